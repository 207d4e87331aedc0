"""Doing a visit on a phone (PM-01, PM-02, PM-08, AST-08, SPR-02): 今天的巡检 (my visits
today, then overdue, then upcoming) and the visit page — check in, the checklist saved as
the engineer goes, photos, parts, a ticket for an abnormal item, the site staff's signature
and the submission. Each page parses a form and calls one service of
``weibao.maintenance.services.visits``; the services hold the rules."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from weibao.assets.models import Asset
from weibao.core.errors import ConflictError
from weibao.maintenance.choices import ItemKind, VisitStatus
from weibao.maintenance.forms import (
    CancelForm,
    CheckInForm,
    ChecklistForm,
    MoveForm,
    PartsForm,
    ReassignForm,
    SubmitForm,
    TicketForm,
)
from weibao.maintenance.models import OPEN_STATES, Visit, VisitPhoto
from weibao.maintenance.selectors import visible_visits
from weibao.maintenance.services import visits as services
from weibao.maintenance.views.common import (
    VisitMixin,
    actor,
    attempt,
    service_errors,
    vendor_people,
)
from weibao.utils.files import remove_files_on_error
from weibao.utils.views import PermissionMixin, render_page

__all__ = ["CheckInView", "OpenTicketView", "PartsView", "TodayView", "VisitView",
           "engineers_of", "visit_context"]

UPCOMING_DAYS = 14


def _cards(visits: QuerySet[Visit]) -> list[Visit]:
    return list(visits.select_related("plan", "site__district", "asset", "event")
                .order_by("window_end", "planned_for", "pk"))


class TodayView(PermissionMixin, View):
    """今天的巡检: the engineer's own open visits — due today first, then overdue (their
    window has ended), then those of the next two weeks."""

    permission_required = "maintenance.perform_visit"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = actor(request)
        now = timezone.now()
        today = timezone.localdate()
        mine = visible_visits(user).filter(assignee=user, status__in=OPEN_STATES)
        due_today = (Q(planned_for=today)
                     | Q(planned_for__isnull=True, window_start__lte=now, window_end__gt=now)
                     | Q(status=VisitStatus.IN_PROGRESS))
        horizon = now + datetime.timedelta(days=UPCOMING_DAYS)
        today_visits = _cards(mine.filter(due_today, window_end__gt=now))
        overdue = _cards(mine.filter(window_end__lte=now))
        upcoming = _cards(mine.exclude(due_today).filter(window_end__gt=now).filter(
            Q(planned_for__gt=today, planned_for__lte=horizon.date())
            | Q(planned_for__isnull=True, window_start__gt=now, window_start__lte=horizon)))
        return render_page(request, "maintenance/today.html", {
            "today_visits": today_visits, "overdue": overdue, "upcoming": upcoming,
            "today": today})


def engineers_of(visit: Visit) -> Any:
    """The vendor's engineers and managers a visit may be given to."""
    return vendor_people(visit.contract)


def _assets(visit: Visit) -> list[Asset]:
    if visit.site_id is not None:
        return list(Asset.objects.filter(site_id=visit.site_id).order_by("code"))
    if visit.asset_id is not None:
        return [visit.asset]  # type: ignore[list-item]
    return []


def checklist_form(visit: Visit, data: Any = None, files: Any = None) -> ChecklistForm:
    items = list(visit.plan.checklist.items.order_by("order", "pk"))
    results = {r.item_code: r for r in visit.results.select_related("ticket")}
    needs_assets = any(item.kind == ItemKind.ASSET_VERIFICATION for item in items)
    return ChecklistForm(data, files, items=items, results=results,
                         assets=_assets(visit) if needs_assets else ())


def _photos(visit: Visit) -> dict[str, list[VisitPhoto]]:
    by_item: dict[str, list[VisitPhoto]] = {}
    for photo in visit.photos.all():
        by_item.setdefault(photo.item_code, []).append(photo)
    return by_item


def visit_context(request: HttpRequest, visit: Visit, **bound: Any) -> dict[str, Any]:
    """Everything the visit page shows; ``bound`` replaces a form with the one just posted
    (so its errors show where the user typed)."""
    user = actor(request)
    version = {"version": visit.version}
    may_perform = user.has_perm("maintenance.perform_visit")
    may_plan = user.has_perm("maintenance.plan_visit")
    can_work = may_perform and visit.status == VisitStatus.IN_PROGRESS
    checklist = bound.get("checklist") or checklist_form(visit)
    photos = _photos(visit)
    context: dict[str, Any] = {
        "visit": visit, "plan": visit.plan,
        "can_check_in": may_perform and visit.checked_in_at is None and visit.status in (
            VisitStatus.PLANNED, VisitStatus.MISSED),
        "can_work": can_work,
        "checklist": checklist, "items": list(checklist.item_fields(photos)),
        "visit_photos": photos.get("", []),
        "check_in_form": bound.get("check_in") or CheckInForm(initial=version),
        "submit_form": bound.get("submit") or SubmitForm(initial={
            **version, "signer_name": visit.site.contact_name if visit.site else ""}),
        "needs_signature": visit.plan.signature != "none",
        "movements": list(services.visit_movements(visit)),
        "sheets": list(visit.sheets.order_by("version")),
        "can_manage": may_plan and visit.is_open,
    }
    if can_work and user.has_perm("spares.add_stockmovement"):
        context["parts_form"] = bound.get("parts") or PartsForm(contract=visit.contract)
    if context["can_manage"]:
        context["move_form"] = bound.get("move") or MoveForm(initial={
            **version, "planned_for": visit.planned_for}, prefix="move")
        context["reassign_form"] = bound.get("reassign") or ReassignForm(
            initial={**version, "assignee": visit.assignee_id}, engineers=engineers_of(visit),
            prefix="reassign")
        context["cancel_form"] = bound.get("cancel") or CancelForm(initial=version, prefix="cancel")
    return context


def _visit_url(visit: Visit, anchor: str = "") -> str:
    url = reverse("maintenance:visit", args=[visit.pk])
    return f"{url}#{anchor}" if anchor else url


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)


class VisitView(VisitMixin, View):
    """``/maintenance/visits/<pk>/``: the visit. A POST saves the checklist (``do=save``) or
    saves and submits with the signature (``do=submit``); an HTMX POST of one item saves
    that item and answers with its block, so nothing typed is lost on a bad network."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_page(request, "maintenance/visit.html", visit_context(request, self.visit))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("maintenance.perform_visit"):
            raise PermissionDenied
        checklist = checklist_form(self.visit, request.POST, request.FILES)
        if _is_htmx(request) and request.POST.get("autosave"):
            return self._save_items(checklist, request.POST["autosave"])
        submit = SubmitForm(request.POST)
        ok = checklist.is_valid() and submit.is_valid()
        status = 400
        submitting = request.POST.get("do") == "submit"
        # A retry of a submission that went through (the answer was lost on the way back):
        # the visit is done, the same idempotency key brings back its sheet.
        retry = submitting and self.visit.status == VisitStatus.DONE
        if ok and not retry:
            status = self._save(checklist)
        elif ok:
            status = 200
        if ok and status == 200 and submitting:
            sheet, status = self._submit(checklist, submit)
            if sheet is not None:
                messages.success(request, _("Visit submitted; the signed sheet is filed."))
                return HttpResponseRedirect(reverse("maintenance:sheet", args=[pk]))
        elif ok and status == 200:
            messages.success(request, _("Checklist saved."))
            return HttpResponseRedirect(_visit_url(self.visit, "checklist"))
        self.visit.refresh_from_db()
        return render_page(request, "maintenance/visit.html", visit_context(
            request, self.visit, checklist=checklist, submit=submit), status=status)

    def _submit(self, checklist: ChecklistForm, submit: SubmitForm) -> tuple[Any, int]:
        """Submit; the signature's errors go under the pad, an item's (required, photo
        missing) next to the item."""
        data = submit.cleaned_data
        try:
            return services.submit_visit(
                self.visit, self.user, signature=data["signature"] or None,
                signer_name=data["signer_name"], idempotency_key=data["idempotency_key"]), 200
        except ConflictError as error:
            submit.add_error(None, error.messages)
            return None, 409
        except ValidationError as error:
            errors = service_errors(error)
            for field in ("signature", "signer_name"):
                if field in errors:
                    submit.add_error(field, errors.pop(field))
            checklist.add_item_errors(errors)
            return None, 400

    def _save(self, checklist: ChecklistForm, codes: list[str] | None = None) -> int:
        """Photos first (a photo item needs its photo), then the answers."""
        try:
            with remove_files_on_error():
                for code, upload in checklist.photos():
                    if codes is None or code in codes:
                        services.add_photo(self.visit, self.user, upload=upload,
                                           item_code=code)
                services.record_results(self.visit, self.user, checklist.answers(codes))
        except ConflictError as error:
            checklist.add_error(None, error.messages)
            return 409
        except ValidationError as error:
            errors = service_errors(error)
            if "upload" in errors:
                for code, _upload in checklist.photos():
                    checklist.add_item_errors({code: errors.pop("upload")})
                    break
            checklist.add_item_errors(errors)
            return 400
        return 200

    def _save_items(self, checklist: ChecklistForm, code: str) -> HttpResponse:
        """Save one item as the engineer goes (HTMX) and answer with its status line:
        saved, or the service's message; abnormal with its ticket button (PM-08)."""
        status = 400
        if code in {item.code for item in checklist.items} and checklist.is_valid():
            status = self._save(checklist, [code])
        self.visit.refresh_from_db()
        shown = checklist_form(self.visit) if status == 200 else checklist
        block = next((b for b in shown.item_fields(_photos(self.visit)) if b.code == code),
                     None)
        if block is None:
            return HttpResponse(status=404)
        return render_page(self.request, "maintenance/partials/item_status.html", {
            "visit": self.visit, "block": block, "saved": status == 200,
            "can_work": True, "errors": checklist.non_field_errors() if status != 200
            else []}, status=status)


class CheckInView(VisitMixin, View):
    """签到: the time is now; the browser adds its location when the engineer allows it."""

    permission_required = "maintenance.perform_visit"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponseRedirect(_visit_url(self.visit))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = CheckInForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            visit, status = attempt(form, lambda: services.check_in(
                self.visit, self.user, latitude=data["latitude"], longitude=data["longitude"],
                expected_version=data["version"]))
            if visit is not None:
                messages.success(request, _("Checked in at %(time)s.") % {
                    "time": timezone.localtime(visit.checked_in_at).strftime("%H:%M")})
                return HttpResponseRedirect(_visit_url(self.visit, "checklist"))
        self.visit.refresh_from_db()
        return render_page(request, "maintenance/visit.html",
                           visit_context(request, self.visit, check_in=form), status=status)


class PartsView(VisitMixin, View):
    """Parts fitted at the visit, issued from the spare-parts ledger (SPR-02)."""

    permission_required = "maintenance.perform_visit"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponseRedirect(_visit_url(self.visit))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = PartsForm(request.POST, contract=self.visit.contract)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            movement, status = attempt(form, lambda: services.issue_visit_parts(
                self.visit, self.user, warehouse=data["warehouse"],
                part_type=data["part_type"], quantity=data["quantity"],
                reason=data["reason"]))
            if movement is not None:
                messages.success(request, _("%(quantity)s × %(part)s issued from %(warehouse)s.")
                                 % {"quantity": data["quantity"], "part": data["part_type"],
                                    "warehouse": data["warehouse"]})
                return HttpResponseRedirect(_visit_url(self.visit, "parts"))
        self.visit.refresh_from_db()
        return render_page(request, "maintenance/visit.html",
                           visit_context(request, self.visit, parts=form), status=status)


class OpenTicketView(VisitMixin, View):
    """PM-08: one tap beside an abnormal item opens a ticket linked to it."""

    permission_required = "maintenance.perform_visit"

    def get(self, request: HttpRequest, pk: int, code: str) -> HttpResponse:
        return HttpResponseRedirect(_visit_url(self.visit))

    def post(self, request: HttpRequest, pk: int, code: str) -> HttpResponse:
        form = TicketForm(request.POST)
        if form.is_valid():
            ticket, _status = attempt(form, lambda: services.open_ticket(
                self.visit, self.user, item_code=code,
                description=form.cleaned_data["description"]))
            if ticket is not None and _is_htmx(request):
                return render_page(request, "maintenance/partials/ticket_link.html",
                                   {"ticket": ticket})
            if ticket is not None:
                messages.success(request, _("Ticket %(number)s opened for this item.")
                                 % {"number": ticket.number})
                return HttpResponseRedirect(_visit_url(self.visit, f"item-{code}"))
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        if _is_htmx(request):
            return render_page(request, "maintenance/partials/ticket_link.html",
                               {"errors": errors}, status=400)
        for error in errors:
            messages.error(request, error)
        return HttpResponseRedirect(_visit_url(self.visit, f"item-{code}"))
