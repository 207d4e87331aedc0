"""The steps on the assessment pages (ASM-03..06): dispute, waive, confirm or decide a
breach, apply a penalty by clause; create and compute an assessment, enter a manual item
with its proof, comment on a line, submit the review, confirm, decide a line, finalise. Each
form posts here and calls its service; refused input shows on the form (400), a state or
version that no longer allows the step is a 409 page with the reason, a role that may not
take it a 403."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from weibao.assessment.forms import (
    ApplyPenaltyForm,
    ConfirmForm,
    CreateAssessmentForm,
    DecideBreachForm,
    DecideLineForm,
    ManualEntryForm,
    ReasonForm,
    ReviewLineForm,
    VersionForm,
)
from weibao.assessment.models import AssessmentLine
from weibao.assessment.services import cycle, ledger
from weibao.assessment.views.common import AssessmentMixin, BreachMixin, actor
from weibao.assessment.views.pages import assessment_context, breach_context, contract_context
from weibao.utils.views import ContractScopedMixin, attempt, render_page

__all__ = ["ApplyPenaltyView", "BreachStepView", "ComputeView", "ConfirmView", "CreateView",
           "DecideLineView", "EnterView", "FinaliseView", "ReviewLineView", "SubmitReviewView"]


def _run(request: HttpRequest, form: BaseForm, call: Any, done: str, success_url: str,
         page: Any, form_key: str) -> HttpResponse:
    """Validate, run the service, go back with a message — or show the page again with the
    form's errors (400 / 409)."""
    status = 400
    if form.is_valid():
        _result, status = attempt(form, call)
        if status == 200:
            messages.success(request, done)
            return HttpResponseRedirect(success_url)
    template, context = page()
    context[form_key] = form
    for row in context.get("rows", []):  # a line's form goes back into its own row
        if form.prefix and form.prefix.endswith(f"-{row['line'].pk}"):
            row[form_key] = form
    return render_page(request, template, context, status=status)


# -- breaches ------------------------------------------------------------------------------

class BreachStepView(BreachMixin, View):
    """``step`` is dispute, waive, confirm or decide."""

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        user, breach = actor(request), self.breach
        form: BaseForm
        if step == "dispute":
            form = ReasonForm(request.POST, prefix="dispute")

            def call() -> Any:
                return ledger.dispute_breach(breach, user, form.cleaned_data["reason"],
                                             expected_version=form.cleaned_data["version"])
            done = _("The breach is disputed; the supervisor decides it.")
        elif step == "waive":
            form = ReasonForm(request.POST, prefix="waive")

            def call() -> Any:
                return ledger.waive_breach(breach, user, form.cleaned_data["reason"],
                                           expected_version=form.cleaned_data["version"])
            done = _("The breach is waived; it stays in the ledger without its penalty.")
        elif step == "confirm":
            form = VersionForm(request.POST, prefix="confirm")

            def call() -> Any:
                return ledger.confirm_breach(breach, user,
                                             expected_version=form.cleaned_data["version"])
            done = _("The breach is confirmed.")
        elif step == "decide":
            form = DecideBreachForm(request.POST, prefix="decide")

            def call() -> Any:
                return ledger.decide_breach(breach, user, upheld=form.cleaned_data["upheld"],
                                            reason=form.cleaned_data["reason"],
                                            expected_version=form.cleaned_data["version"])
            done = _("The dispute is decided.")
        else:
            return HttpResponse(status=404)
        return _run(request, form, call, done,
                    reverse("assessment:breach", args=[breach.pk]),
                    lambda: ("assessment/breach.html", breach_context(request, breach)),
                    f"{step}_form")


class ApplyPenaltyView(ContractScopedMixin, View):
    """ASM-04: the purchaser applies a penalty by clause from the ledger page."""

    permission_required = "assessment.add_breach"

    def post(self, request: HttpRequest, contract_pk: int) -> HttpResponse:
        contract = self.contract
        form = ApplyPenaltyForm(request.POST, request.FILES, contract=contract)

        def call() -> Any:
            data = form.cleaned_data
            return ledger.apply_penalty(contract, actor(request), data["rule"],
                                        data["percent"], data["occurred_at"],
                                        data["description"], data["reason"],
                                        evidence=data["evidence"])

        def page() -> tuple[str, dict[str, Any]]:
            return "assessment/penalty.html", {"contract": contract}
        return _run(request, form, call, _("The penalty is entered in the ledger."),
                    reverse("assessment:ledger") + f"?contract={contract.pk}", page,
                    "penalty_form")


# -- assessments ---------------------------------------------------------------------------

class CreateView(ContractScopedMixin, View):
    permission_required = "assessment.add_assessment"

    def post(self, request: HttpRequest, contract_pk: int) -> HttpResponse:
        contract = self.contract
        form = CreateAssessmentForm(request.POST)
        created: dict[str, Any] = {}

        def call() -> Any:
            data = form.cleaned_data
            created["assessment"] = cycle.create_assessment(
                contract, actor(request), data["period_start"], data["period_end"],
                is_final=data["is_final"])
            return created["assessment"]

        status = 400
        if form.is_valid():
            _result, status = attempt(form, call)
            if status == 200:
                messages.success(request, _("The assessment is created; compute it next."))
                return HttpResponseRedirect(reverse("assessment:assessment",
                                                    args=[created["assessment"].pk]))
        context = contract_context(request, contract)
        context["create_form"] = form
        return render_page(request, "assessment/contract.html", context, status=status)


class _Step(AssessmentMixin, View, ABC):
    """One step on the assessment page: each subclass names the service it calls."""

    form_key = ""
    done = ""

    def form(self, request: HttpRequest) -> BaseForm:
        return VersionForm(request.POST, prefix=self.form_key.removesuffix("_form"))

    @abstractmethod
    def call(self, form: BaseForm) -> Any:
        """Run the step's service with the valid form's data."""

    def post(self, request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        form = self.form(request)
        assessment = self.assessment
        return _run(request, form, lambda: self.call(form), str(self.done),
                    reverse("assessment:assessment", args=[assessment.pk]),
                    lambda: ("assessment/assessment.html",
                             assessment_context(request, assessment)), self.form_key)


class ComputeView(_Step):
    permission_required = "assessment.add_assessment"
    form_key = "compute_form"
    done = _("The assessment is computed from the records.")

    def call(self, form: BaseForm) -> Any:
        return cycle.compute(self.assessment, actor(self.request),
                             expected_version=form.cleaned_data["version"])


class SubmitReviewView(_Step):
    permission_required = "assessment.review_assessment"
    form_key = "submit_form"
    done = _("Your review is submitted to the purchaser.")

    def call(self, form: BaseForm) -> Any:
        return cycle.submit_review(self.assessment, actor(self.request),
                                   expected_version=form.cleaned_data["version"])


class ConfirmView(_Step):
    permission_required = "assessment.confirm_assessment"
    form_key = "confirm_form"
    done = _("The assessment is confirmed.")

    def form(self, request: HttpRequest) -> BaseForm:
        lines = list(AssessmentLine.objects.filter(assessment=self.assessment)
                     .select_related("item"))
        return ConfirmForm(request.POST, prefix="confirm", lines=lines,
                           deciding=not ledger.has_supervisor(self.assessment.contract))

    def call(self, form: BaseForm) -> Any:
        assert isinstance(form, ConfirmForm)
        return cycle.confirm(self.assessment, actor(self.request), notes=form.notes(),
                             decisions=form.decisions() or None,
                             expected_version=form.cleaned_data["version"])


class FinaliseView(_Step):
    permission_required = "assessment.confirm_assessment"
    form_key = "finalise_form"
    done = _("The assessment is final; its inputs are frozen with their digest.")

    def call(self, form: BaseForm) -> Any:
        return cycle.finalise(self.assessment, actor(self.request),
                              expected_version=form.cleaned_data["version"])


class _LineStep(_Step):
    prefix = ""

    def line(self) -> AssessmentLine:
        return get_object_or_404(AssessmentLine.objects.filter(assessment=self.assessment)
                                 .select_related("item"), pk=self.kwargs["line_pk"])

    def post(self, request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        self.current = self.line()
        return super().post(request, pk, **kwargs)


class EnterView(_LineStep):
    permission_required = "assessment.change_assessmentline"
    form_key = "enter_form"
    done = _("The value is entered with its proof.")

    def form(self, request: HttpRequest) -> BaseForm:
        return ManualEntryForm(request.POST, request.FILES, prefix=f"enter-{self.current.pk}")

    def call(self, form: BaseForm) -> Any:
        data = form.cleaned_data
        return cycle.enter_manual(self.current, actor(self.request), value=data["value"],
                                  points=data["points"], met=data["met"], proof=data["proof"],
                                  note=data["note"], expected_version=data["version"])


class ReviewLineView(_LineStep):
    permission_required = "assessment.review_assessment"
    form_key = "review_form"
    done = _("Your comment on the item is saved.")

    def form(self, request: HttpRequest) -> BaseForm:
        return ReviewLineForm(request.POST, prefix=f"review-{self.current.pk}")

    def call(self, form: BaseForm) -> Any:
        data = form.cleaned_data
        return cycle.review_line(self.current, actor(self.request), agree=data["agree"],
                                 comment=data["comment"], expected_version=data["version"])


class DecideLineView(_LineStep):
    permission_required = "assessment.decide_assessment"
    form_key = "decide_form"
    done = _("The disputed item is decided.")

    def form(self, request: HttpRequest) -> BaseForm:
        return DecideLineForm(request.POST, prefix=f"decide-{self.current.pk}")

    def call(self, form: BaseForm) -> Any:
        data = form.cleaned_data
        return cycle.decide_line(self.current, actor(self.request), points=data["points"],
                                 met=data["met"], decision=data["decision"],
                                 expected_version=data["version"])
