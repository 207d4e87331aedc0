"""The workflow's steps on the submission page (RPT-03, RPT-07): generate the draft, attach
the final file, submit, accept or return with comments. Each form posts here, calls its
service and goes back to the page; refused input shows on the form (400), a state or
version that no longer allows the step is a 409 page with the reason."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from weibao.reports.forms import AttachForm, ReturnForm, ReviewForm, SubmitForm
from weibao.reports.services import generation, workflow
from weibao.reports.views.common import SubmissionMixin, actor, attempt
from weibao.reports.views.pages import submission_context
from weibao.utils.views import render_page

__all__ = ["AcceptView", "AttachView", "GenerateView", "ReturnView", "SubmitView"]


class _Step(SubmissionMixin, View, ABC):
    """One step: parse its form, run its service, back to the page (or the form's errors)."""

    form_key = ""

    @abstractmethod
    def form(self, request: HttpRequest) -> BaseForm:
        """The step's form, bound to the request."""

    @abstractmethod
    def call(self, form: BaseForm) -> Any:
        """Run the step's service with the valid form."""

    @abstractmethod
    def done(self) -> str:
        """The message shown once the step is done."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = self.form(request)
        status = 400
        if form.is_valid():
            _result, status = attempt(form, lambda: self.call(form))
            if status == 200:
                messages.success(request, self.done())
                return HttpResponseRedirect(reverse("reports:submission", args=[pk]))
        context = submission_context(request, self.submission)
        context[self.form_key] = form
        return render_page(request, "reports/submission.html", context, status=status)


class GenerateView(SubmissionMixin, View):
    """Queue the draft's generation; the page then follows its progress."""

    permission_required = "reports.add_generationjob"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            generation.request_generation(self.submission, actor(request))
        except ValidationError as error:  # a conflict too: the reason goes on the page
            for message in error.messages:
                messages.error(request, message)
        return HttpResponseRedirect(reverse("reports:submission", args=[pk]))


class AttachView(_Step):
    permission_required = "reports.add_reportfile"
    form_key = "attach_form"

    def done(self) -> str:
        return _("The final file is attached.")

    def form(self, request: HttpRequest) -> BaseForm:
        return AttachForm(request.POST, request.FILES)

    def call(self, form: BaseForm) -> Any:
        return workflow.attach_final(self.submission, actor(self.request),
                                     upload=form.cleaned_data["upload"],
                                     expected_version=form.cleaned_data["version"])


class SubmitView(_Step):
    permission_required = "reports.submit_submission"
    form_key = "submit_form"

    def done(self) -> str:
        return _("The report is submitted to the purchaser.")

    def form(self, request: HttpRequest) -> BaseForm:
        return SubmitForm(request.POST, submission=self.submission)

    def call(self, form: BaseForm) -> Any:
        return workflow.submit(self.submission, actor(self.request),
                               file=form.cleaned_data["file"],
                               comment=form.cleaned_data["comment"],
                               expected_version=form.cleaned_data["version"])


class AcceptView(_Step):
    permission_required = "reports.review_submission"
    form_key = "review_form"

    def done(self) -> str:
        return _("The report is accepted.")

    def form(self, request: HttpRequest) -> BaseForm:
        return ReviewForm(request.POST)

    def call(self, form: BaseForm) -> Any:
        return workflow.accept(self.submission, actor(self.request),
                               comment=form.cleaned_data["comment"],
                               expected_version=form.cleaned_data["version"])


class ReturnView(_Step):
    permission_required = "reports.review_submission"
    form_key = "return_form"

    def done(self) -> str:
        return _("The report is returned to the vendor with your comments.")

    def form(self, request: HttpRequest) -> BaseForm:
        return ReturnForm(request.POST)

    def call(self, form: BaseForm) -> Any:
        return workflow.return_submission(
            self.submission, actor(self.request),
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"])
