"""Managing a visit and its signed sheet: move (a day within the window), reassign, cancel
with a reason (issue 9 item 3); the sheet's versions with digest, verification, PDF and the
change table of each correction (PM-02); the month's sheets as one ZIP or one PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from weibao.core.errors import ConflictError
from weibao.maintenance import pdf
from weibao.maintenance.forms import CancelForm, CorrectionForm, MoveForm, ReassignForm
from weibao.maintenance.models import VisitSheet
from weibao.maintenance.selectors import visible_visits
from weibao.maintenance.services import generation
from weibao.maintenance.services import visits as services
from weibao.maintenance.views.common import (
    VisitMixin,
    actor,
    attempt,
    chosen_contract,
    chosen_month,
    service_errors,
)
from weibao.maintenance.views.visits import checklist_form, engineers_of, visit_context
from weibao.utils.views import PermissionMixin, render_page

__all__ = ["MonthSheetsView", "SheetPdfView", "SheetView", "VisitManageView"]


class VisitManageView(VisitMixin, View):
    """``/maintenance/visits/<pk>/manage/``: ``do=move|reassign|cancel`` (vendor manager)."""

    permission_required = "maintenance.plan_visit"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponseRedirect(reverse("maintenance:visit", args=[pk]))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        do = request.POST.get("do", "")
        form: Any
        if do == "move":
            form = MoveForm(request.POST, prefix="move")
            call = lambda data: generation.move_visit(  # noqa: E731
                self.visit, self.user, planned_for=data["planned_for"],
                expected_version=data["version"])
            done = _("Visit planned for %(day)s.")
        elif do == "reassign":
            form = ReassignForm(request.POST, prefix="reassign",
                                engineers=engineers_of(self.visit))
            call = lambda data: generation.reassign_visit(  # noqa: E731
                self.visit, self.user, assignee=data["assignee"],
                expected_version=data["version"])
            done = _("Visit given to %(engineer)s.")
        elif do == "cancel":
            form = CancelForm(request.POST, prefix="cancel")
            call = lambda data: generation.cancel_visit(  # noqa: E731
                self.visit, self.user, reason=data["reason"],
                expected_version=data["version"])
            done = _("Visit cancelled.")
        else:
            raise Http404
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            visit, status = attempt(form, lambda: call(data))
            if visit is not None:
                messages.success(request, done % {
                    "day": visit.planned_for, "engineer": visit.assignee})
                return HttpResponseRedirect(reverse("maintenance:visit", args=[pk]))
        self.visit.refresh_from_db()
        return render_page(request, "maintenance/visit.html",
                           visit_context(request, self.visit, **{do: form}), status=status)


class SheetView(VisitMixin, View):
    """``/maintenance/visits/<pk>/sheet/``: every version of the signed sheet; ``?verify=1``
    recomputes each PDF's SM3 digest; a manager corrects with a reason (a new version)."""

    permission_required = "maintenance.view_visitsheet"

    def context(self, checklist: Any = None, correction: Any = None) -> dict[str, Any]:
        sheets = list(self.visit.sheets.select_related("created_by").order_by("-version"))
        verified = ({sheet.pk: services.verify_sheet(sheet) for sheet in sheets}
                    if self.request.GET.get("verify") else {})
        can_correct = (bool(sheets) and self.user.has_perm("maintenance.perform_visit")
                       and (self.user.has_perm("maintenance.plan_visit")
                            or self.visit.completed_by_id == self.user.pk))
        context: dict[str, Any] = {
            "visit": self.visit, "sheets": sheets, "verified": verified,
            "can_correct": can_correct}
        if can_correct:
            form = checklist or checklist_form(self.visit)
            context.update({"checklist": form, "items": list(form.item_fields()),
                            "correction_form": correction or CorrectionForm()})
        return context

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_page(request, "maintenance/sheet.html", self.context())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("maintenance.perform_visit"):
            raise Http404
        checklist = checklist_form(self.visit, request.POST)
        correction = CorrectionForm(request.POST)
        status = 400
        if checklist.is_valid() and correction.is_valid():
            try:
                sheet = services.correct_sheet(
                    self.visit, self.user, answers=checklist.answers(),
                    reason=correction.cleaned_data["reason"])
            except ConflictError as error:
                correction.add_error(None, error.messages)
                status = 409
            except ValidationError as error:
                errors = service_errors(error)
                for field in ("reason", "answers"):
                    if field in errors:
                        correction.add_error("reason" if field == "reason" else None,
                                             errors.pop(field))
                checklist.add_item_errors(errors)
            else:
                messages.success(request, _("Correction filed as version %(version)s.")
                                 % {"version": sheet.version})
                return HttpResponseRedirect(reverse("maintenance:sheet", args=[pk]))
        self.visit.refresh_from_db()
        return render_page(request, "maintenance/sheet.html",
                           self.context(checklist, correction), status=status)


class SheetPdfView(PermissionMixin, View):
    """One version's signed PDF, within the user's visits."""

    permission_required = "maintenance.view_visitsheet"

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        sheet = get_object_or_404(
            VisitSheet.objects.filter(visit__in=visible_visits(actor(request))), pk=pk)
        if not sheet.pdf:
            raise Http404
        name = f"visit-{sheet.visit_id}-v{sheet.version}.pdf"
        return FileResponse(sheet.pdf.open("rb"), filename=name, as_attachment=True,
                            content_type="application/pdf")


class MonthSheetsView(PermissionMixin, View):
    """The month's signed sheets of a contract as one ZIP or one combined PDF (seed 000
    hands them in by the 21st)."""

    permission_required = "maintenance.view_visitsheet"

    def get(self, request: HttpRequest, kind: str) -> HttpResponseBase:
        contract, _contracts = chosen_contract(request)
        if contract is None or kind not in ("zip", "pdf"):
            raise Http404
        year, month = chosen_month(request)
        make = pdf.month_sheets_zip if kind == "zip" else pdf.month_sheets_pdf
        try:
            content = make(contract, year, month, actor(request))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return HttpResponseRedirect(
                f"{reverse('maintenance:coverage')}?contract={contract.pk}"
                f"&month={year:04d}-{month:02d}")
        name = f"{contract.number}-{year:04d}-{month:02d}.{kind}"
        return FileResponse(ContentFile(content), filename=name, as_attachment=True,
                            content_type="application/zip" if kind == "zip"
                            else "application/pdf")
