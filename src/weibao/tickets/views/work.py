"""Pages of the work a ticket produces (TKT-06..08): the fault report (write, issue parts,
submit; review: approve with a drawn signature or reject), its PDF, satisfaction, return
visits, requirement changes, and the summary of satisfaction and change budgets.

Each page loads the ticket within the user's scope (PLT-01: another contract's ticket is a
404), parses a form and calls one service; the services check the role's permission."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from weibao.core.models import User
from weibao.tickets import services
from weibao.tickets.choices import ReportStatus, TicketCategory, TicketState
from weibao.tickets.models import FaultReport, RequirementChange, Ticket
from weibao.tickets.pdf import PdfUnavailable, render_report_pdf
from weibao.tickets.views.work_forms import (
    ApproveForm,
    ChangeForm,
    DecideForm,
    DisputeForm,
    PartsForm,
    RejectForm,
    ReportForm,
    ReturnVisitForm,
    SatisfactionForm,
)
from weibao.utils.views import PermissionMixin, attempt, render_page

__all__ = ["ChangeDecideView", "ChangeDisputeView", "ChangeView", "PartsIssueView",
           "ReportEditView", "ReportPdfView", "ReportReviewView", "ReturnVisitView",
           "SatisfactionView", "WorkSummaryView", "attempt", "ticket_url"]


def ticket_url(ticket: Ticket) -> str:
    """The ticket's own page (written by the ticket pages), else the report page."""
    try:
        return reverse("tickets:detail", args=[ticket.pk])
    except NoReverseMatch:  # pragma: no cover - the ticket pages are installed
        return reverse("tickets:report-edit", args=[ticket.pk])


class TicketWorkView(PermissionMixin, View):
    """Loads ``self.ticket`` within the user's scope: another contract's ticket is a 404."""

    permission_required = "tickets.view_ticket"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.ticket = get_object_or_404(
                Ticket.objects.visible_to(request.user)
                .select_related("contract", "ticket_type", "site", "assignee"),
                pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def user(self) -> User:
        return self.request.user  # type: ignore[return-value]

    def done(self, message: str, url: str | None = None) -> HttpResponse:
        messages.success(self.request, message)
        return HttpResponseRedirect(url or ticket_url(self.ticket))


class ReportEditView(TicketWorkView):
    """``/tickets/<pk>/report/``: the engineer writes the report, saves a draft or submits."""

    permission_required = "tickets.view_faultreport"

    def context(self, form: forms.BaseForm | None = None,
                parts: forms.BaseForm | None = None) -> dict[str, Any]:
        report = FaultReport.objects.filter(ticket=self.ticket).first()
        if form is None:
            initial = ({"cause": report.cause, "actions": report.actions,
                        "parts_used": report.parts_used, "prevention": report.prevention}
                       if report else {})
            form = ReportForm(initial=initial)
        can_write = (self.ticket.state == TicketState.RESTORED
                     and self.user.has_perm("tickets.change_faultreport")
                     and (report is None
                          or report.status in (ReportStatus.DRAFT, ReportStatus.REJECTED)))
        return {"ticket": self.ticket, "report": report, "form": form,
                "parts_form": parts or PartsForm(contract=self.ticket.contract),
                "movements": services.report_movements(self.ticket), "can_write": can_write,
                "can_issue": can_write and self.user.has_perm("spares.add_stockmovement"),
                "ticket_url": ticket_url(self.ticket)}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_page(request, "tickets/work/report_edit.html", self.context())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ReportForm(request.POST)
        if not form.is_valid():
            return render_page(request, "tickets/work/report_edit.html", self.context(form),
                               status=400)
        data = form.cleaned_data

        def save_and_maybe_submit() -> FaultReport:
            report = services.save_report(self.ticket, self.user, **data)
            if request.POST.get("do") == "submit":
                report = services.submit_report(self.ticket, self.user)
            return report

        report, status = attempt(form, save_and_maybe_submit)
        if report is None:
            return render_page(request, "tickets/work/report_edit.html", self.context(form),
                               status=status)
        if report.status == ReportStatus.SUBMITTED:
            return self.done(_("Fault report submitted to the purchaser."))
        messages.success(request, _("Draft saved."))
        return HttpResponseRedirect(reverse("tickets:report-edit", args=[pk]))


class PartsIssueView(ReportEditView):
    """``/tickets/<pk>/report/parts/``: issue parts from the stock for this ticket."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponseRedirect(reverse("tickets:report-edit", args=[pk]))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        parts = PartsForm(request.POST, contract=self.ticket.contract)
        status = 400
        if parts.is_valid():
            data = parts.cleaned_data
            movement, status = attempt(parts, lambda: services.issue_parts(
                self.ticket, self.user, warehouse=data["warehouse"],
                part_type=data["part_type"], quantity=data["quantity"],
                proposal_reference=data["proposal_reference"]))
            if movement is not None:
                messages.success(request, _("%(quantity)s × %(part)s issued from %(warehouse)s.")
                                 % {"quantity": data["quantity"], "part": data["part_type"],
                                    "warehouse": data["warehouse"]})
                return HttpResponseRedirect(reverse("tickets:report-edit", args=[pk]))
        return render_page(request, "tickets/work/report_edit.html",
                           self.context(parts=parts), status=status)


class ReportReviewView(TicketWorkView):
    """``/tickets/<pk>/report/review/``: the purchaser approves (signature) or rejects."""

    permission_required = "tickets.view_faultreport"

    def context(self, approve: forms.BaseForm | None = None,
                reject: forms.BaseForm | None = None) -> dict[str, Any]:
        report = FaultReport.objects.filter(ticket=self.ticket).first()
        if report is None:
            raise Http404
        return {"ticket": self.ticket, "report": report,
                "approve_form": approve or ApproveForm(
                    initial={"signer_name": self.user.get_full_name()}),
                "reject_form": reject or RejectForm(),
                "movements": services.report_movements(self.ticket),
                "can_review": (report.status == ReportStatus.SUBMITTED
                               and self.user.has_perm("tickets.verify_ticket")),
                "ticket_url": ticket_url(self.ticket)}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_page(request, "tickets/work/report_review.html", self.context())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.POST.get("do") == "reject":
            reject = RejectForm(request.POST)
            status = 400
            if reject.is_valid():
                report, status = attempt(reject, lambda: services.reject_report(
                    self.ticket, self.user, reason=reject.cleaned_data["reason"]))
                if report is not None:
                    return self.done(_("Fault report sent back to the engineer."))
            return render_page(request, "tickets/work/report_review.html",
                               self.context(reject=reject), status=status)
        approve = ApproveForm(request.POST)
        status = 400
        if approve.is_valid():
            data = approve.cleaned_data
            report, status = attempt(approve, lambda: services.approve_report(
                self.ticket, self.user, signature=data["signature"],
                signer_name=data["signer_name"], comment=data["comment"]))
            if report is not None:
                return self.done(_("Fault report approved and signed."))
        return render_page(request, "tickets/work/report_review.html",
                           self.context(approve=approve), status=status)


class ReportPdfView(TicketWorkView):
    """``/tickets/<pk>/report.pdf``: the stored PDF of a submitted report (with the signature
    once approved); a draft is rendered on the fly for the parties to read."""

    permission_required = "tickets.view_faultreport"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
        report = FaultReport.objects.filter(ticket=self.ticket).first()
        if report is None:
            raise Http404
        filename = f"{self.ticket.number}.pdf"
        if report.pdf and report.status != ReportStatus.DRAFT:
            return FileResponse(report.pdf.open("rb"), content_type="application/pdf",
                                filename=filename)
        try:
            content = render_report_pdf(report)
        except PdfUnavailable as error:  # no Pango or font on this server: say so, no 500
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(ticket_url(self.ticket))
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


class _FormView(TicketWorkView, ABC):
    """A small form about the ticket, on its own page and inline on the ticket page."""

    title: Any = ""
    form_class: type[forms.BaseForm] = forms.Form

    def make_form(self, data: Any = None, files: Any = None) -> forms.BaseForm:
        return self.form_class(data, files)

    @abstractmethod
    def call(self, data: dict[str, Any]) -> Any:
        """Run the service for the valid form's data (each page names its own)."""

    success: Any = gettext_lazy("Saved.")

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        return render_page(self.request, "tickets/work/form.html", {
            "ticket": self.ticket, "form": form, "title": self.title,
            "multipart": form.is_multipart(), "back": ticket_url(self.ticket)}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_form(self.make_form())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = self.make_form(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            result, status = attempt(form, lambda: self.call(form.cleaned_data))
            if result is not None:
                return self.done(str(self.success))
        return self.render_form(form, status)


class SatisfactionView(_FormView):
    """TKT-07: the reporter or purchaser rates the ticket once."""

    permission_required = "tickets.add_satisfaction"
    title = gettext_lazy("Rate the service")
    form_class = SatisfactionForm
    success = gettext_lazy("Thank you for your rating.")

    def call(self, data: dict[str, Any]) -> Any:
        return services.rate_ticket(self.ticket, self.user, rating=data["rating"],
                                    comment=data["comment"])


class ReturnVisitView(_FormView):
    """TKT-07: the vendor records a return visit."""

    permission_required = "tickets.add_returnvisit"
    title = gettext_lazy("Record a return visit")
    form_class = ReturnVisitForm
    success = gettext_lazy("Return visit recorded.")

    def call(self, data: dict[str, Any]) -> Any:
        return services.record_return_visit(self.ticket, self.user, **data)


class ChangeView(_FormView):
    """TKT-08: the workload estimate, budget and design document of a requirement change."""

    permission_required = "tickets.add_requirementchange"
    title = gettext_lazy("Requirement change")
    form_class = ChangeForm
    success = gettext_lazy("Requirement change saved.")

    def make_form(self, data: Any = None, files: Any = None) -> forms.BaseForm:
        if self.ticket.ticket_type.category != TicketCategory.REQUIREMENT_CHANGE:
            raise Http404
        change = RequirementChange.objects.filter(ticket=self.ticket).first()
        initial = ({"estimate_person_days": change.estimate_person_days,
                    "budget": change.budget} if change else {})
        return ChangeForm(data, files, contract=self.ticket.contract, initial=initial)

    def call(self, data: dict[str, Any]) -> Any:
        return services.save_requirement_change(
            self.ticket, self.user, estimate_person_days=data["estimate_person_days"],
            budget=data["budget"], design_document=data["design_document"])


class ChangeDisputeView(_FormView):
    permission_required = "tickets.add_requirementchange"
    title = gettext_lazy("Dispute the requirement change")
    form_class = DisputeForm
    success = gettext_lazy("Dispute recorded; the supervisor decides.")

    def call(self, data: dict[str, Any]) -> Any:
        return services.dispute_change(self.ticket, self.user, reason=data["reason"])


class ChangeDecideView(_FormView):
    permission_required = "tickets.decide_requirementchange"
    title = gettext_lazy("Decide on the requirement change")
    form_class = DecideForm
    success = gettext_lazy("Decision recorded.")

    def call(self, data: dict[str, Any]) -> Any:
        return services.decide_change(self.ticket, self.user, decision=data["decision"],
                                      note=data["note"])


class WorkSummaryView(PermissionMixin, View):
    """``/tickets/summary/``: satisfaction rate per contract (TKT-07) and the consumption of
    each change budget (TKT-08), for the user's contracts."""

    permission_required = "tickets.view_ticket"

    def get(self, request: HttpRequest) -> HttpResponse:
        from weibao.contracts.selectors import visible_contracts

        contracts = visible_contracts(request.user).order_by("number")
        return render_page(request, "tickets/work/summary.html", {
            "satisfaction": services.satisfaction_summary(contracts),
            "budgets": [(c, uses) for c in contracts
                        if request.user.has_perm("tickets.view_requirementchange")
                        and (uses := services.budget_consumption(c))]})
