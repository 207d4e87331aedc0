"""The manager's and the purchaser's pages (PM-01..09): the visit list with the shared
filters, the month calendar, coverage by district, plan or site type with the month's
sheets to download, the plans and checklists from the contract spec (read-only), major
events and the engineers' districts."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, DateField, IntegerField, Prefetch, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.core.choices import Role
from weibao.core.models import User
from weibao.maintenance.choices import VisitStatus
from weibao.maintenance.filtersets import VisitFilterSet
from weibao.maintenance.forms import EngineerAreasForm, MajorEventForm
from weibao.maintenance.models import (
    ChecklistItem,
    ChecklistTemplate,
    EngineerArea,
    MaintenancePlan,
    MajorEvent,
    Visit,
)
from weibao.maintenance.selectors import coverage, month_bounds, visible_visits
from weibao.maintenance.services import generation
from weibao.maintenance.tables import STATUS_BADGES, VisitTable
from weibao.maintenance.views.common import (
    actor,
    attempt,
    chosen_contract,
    chosen_month,
    maintenance_contracts,
    month_text,
    vendor_people,
)
from weibao.sites.models import District
from weibao.utils.views import PermissionMixin, render_page

__all__ = ["CalendarView", "ChecklistDetailView", "CoverageView", "EngineerAreasView",
           "MajorEventsView", "PlanDetailView", "PlanListView", "VisitListView"]

_COVERAGE_LATE = pgettext_lazy("inspection coverage", "late")
_COVERAGE_OPEN = pgettext_lazy("inspection coverage", "open")
COVERAGE_BY = {"district": gettext_lazy("district"), "plan": gettext_lazy("plan"),
               "site_type": gettext_lazy("site type")}


class VisitListView(PermissionMixin, SingleTableMixin, FilterView):
    """巡检: the visits the user may see, with the API's filters; the engineer's own first."""

    permission_required = "maintenance.view_visit"
    filterset_class = VisitFilterSet
    table_class = VisitTable
    paginate_by = 50
    template_name = "maintenance/visit_list.html"

    def get_queryset(self) -> QuerySet[Visit]:
        visits = visible_visits(self.request.user).select_related("site__district", "event")
        user = actor(self.request)
        if user.role == Role.VENDOR_ENGINEER:
            # Mine first: a boolean "assigned to someone else" sorts my visits (False) up.
            visits = visits.annotate(mine_first=Case(
                When(assignee_id=user.pk, then=Value(0)), default=Value(1),
                output_field=IntegerField())).order_by("mine_first", "window_start", "pk")
        else:
            visits = visits.order_by("window_start", "pk")
        return visits

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        if htmx and not getattr(htmx, "boosted", False):
            return ["core/partials/object_table.html"]
        return [self.template_name]


class CalendarView(PermissionMixin, View):
    """The month's visits per day by status (the planned day, else the window's first
    day); a day's link lists that day's visits below the calendar."""

    permission_required = "maintenance.view_maintenanceplan"

    def get(self, request: HttpRequest) -> HttpResponse:
        contract, contracts = chosen_contract(request)
        year, month = chosen_month(request)
        start, end = month_bounds(year, month)
        day_expr = Coalesce("planned_for", TruncDate("window_start"), output_field=DateField())
        counts: dict[datetime.date, dict[str, int]] = {}
        day_visits: list[Visit] = []
        chosen_day = None
        if contract is not None:
            visits = (visible_visits(request.user).filter(contract=contract)
                      .annotate(day=day_expr)
                      .filter(day__gte=start.date(), day__lt=end.date()))
            for row in visits.values("day", "status").order_by().annotate(n=Count("id")):
                counts.setdefault(row["day"], {})[row["status"]] = row["n"]
            try:
                chosen_day = datetime.date.fromisoformat(request.GET.get("day", ""))
            except ValueError:
                chosen_day = None
            if chosen_day is not None:
                day_visits = list(visits.filter(day=chosen_day).select_related(
                    "site__district", "event").order_by("window_start", "pk")[:500])
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append([{"date": day, "in_month": day.month == month,
                           "counts": [(status, VisitStatus(status).label,
                                       counts.get(day, {}).get(status, 0),
                                       STATUS_BADGES[status])
                                      for status in VisitStatus
                                      if counts.get(day, {}).get(status)],
                           "today": day == timezone.localdate()}
                          for day in week])
        return render_page(request, "maintenance/calendar.html", {
            "contract": contract, "contracts": contracts, "year": year, "month": month,
            "month_value": month_text(year, month), "previous": month_text(year, month, -1),
            "next": month_text(year, month, 1), "weeks": weeks, "chosen_day": chosen_day,
            "day_visits": day_visits})


class CoverageView(PermissionMixin, View):
    """PM-09: per contract and month, visits due, done on time, late, missed and open, by
    district, plan or site type, with bars; and the month's signed sheets to download."""

    permission_required = "maintenance.view_maintenanceplan"

    def get(self, request: HttpRequest) -> HttpResponse:
        contract, contracts = chosen_contract(request)
        year, month = chosen_month(request)
        by = request.GET.get("by", "district")
        if by not in COVERAGE_BY:
            by = "district"
        result = None
        if contract is not None:
            start, end = month_bounds(year, month)
            result = coverage(contract, start, end, by=by)
        bars = []
        if result is not None:
            for row in result.rows:
                due = row.due or 1
                bars.append({"row": row, "parts": [
                    ("bg-green", row.done_on_time * 100 / due, _("done on time")),
                    ("bg-yellow", row.late * 100 / due, _COVERAGE_LATE),
                    ("bg-red", row.missed * 100 / due, _("missed")),
                    ("bg-blue-lt", row.open * 100 / due, _COVERAGE_OPEN)]})
        return render_page(request, "maintenance/coverage.html", {
            "contract": contract, "contracts": contracts, "year": year, "month": month,
            "month_value": month_text(year, month), "previous": month_text(year, month, -1),
            "next": month_text(year, month, 1), "by": by, "by_choices": COVERAGE_BY.items(),
            "coverage": result, "bars": bars,
            "can_download": request.user.has_perm("maintenance.view_visitsheet")})


class PlanListView(PermissionMixin, View):
    """The plans and checklists of the user's contracts, as the contract spec set them."""

    permission_required = "maintenance.view_maintenanceplan"

    def get(self, request: HttpRequest) -> HttpResponse:
        contracts = maintenance_contracts(actor(request))
        plans = (MaintenancePlan.objects.filter(contract__in=contracts)
                 .select_related("contract", "checklist")
                 .prefetch_related("site_types", "asset_types")
                 .order_by("contract__number", "order", "code"))
        checklists = (ChecklistTemplate.objects.filter(contract__in=contracts)
                      .select_related("contract").annotate(item_count=Count("items"))
                      .order_by("contract__number", "code"))
        return render_page(request, "maintenance/plan_list.html", {
            "plans": plans, "checklists": checklists})


class PlanDetailView(PermissionMixin, View):
    permission_required = "maintenance.view_maintenanceplan"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = get_object_or_404(
            MaintenancePlan.objects.filter(contract__in=maintenance_contracts(actor(request)))
            .select_related("contract", "checklist")
            .prefetch_related("site_types", "asset_types",
                              Prefetch("checklist__items",
                                       ChecklistItem.objects.order_by("order", "pk"))),
            pk=pk)
        performers = [str(Role(code).label) if code in Role.values else str(code)
                      for code in plan.performer_roles or []]
        return render_page(request, "maintenance/plan_detail.html", {
            "plan": plan, "checklist": plan.checklist, "performers": performers,
            "items": list(plan.checklist.items.all())})


class ChecklistDetailView(PermissionMixin, View):
    permission_required = "maintenance.view_checklisttemplate"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = actor(request)
        contracts = (maintenance_contracts(user) if user.role != Role.SITE_STAFF
                     else maintenance_contracts(user).none())
        checklist = get_object_or_404(
            ChecklistTemplate.objects.filter(contract__in=contracts).select_related("contract"),
            pk=pk)
        return render_page(request, "maintenance/checklist_detail.html", {
            "checklist": checklist, "items": list(checklist.items.order_by("order", "pk")),
            "plans": list(checklist.plans.order_by("order", "code"))})


class MajorEventsView(PermissionMixin, View):
    """重大活动 (PM-07): the events of the user's contracts; the purchaser and the vendor's
    manager record new ones (their ``before_event`` visits are created at once)."""

    permission_required = "maintenance.view_majorevent"

    def _form(self, data: Any = None) -> MajorEventForm | None:
        if not self.request.user.has_perm("maintenance.add_majorevent"):
            return None
        return MajorEventForm(data, contracts=maintenance_contracts(actor(self.request)))

    def _render(self, form: MajorEventForm | None, status: int = 200) -> HttpResponse:
        contracts = maintenance_contracts(actor(self.request))
        events = (MajorEvent.objects.filter(contract__in=contracts)
                  .select_related("contract", "created_by")
                  .annotate(visit_count=Count("visits")).order_by("-date", "pk"))
        return render_page(self.request, "maintenance/events.html", {
            "events": events, "form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        if form is None:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            event, status = attempt(form, lambda: generation.record_major_event(
                data["contract"], actor(request), name=data["name"], date=data["date"],
                notes=data["notes"]))
            if event is not None:
                messages.success(request, _("Major event %(event)s recorded.")
                                 % {"event": event})
                return HttpResponseRedirect(reverse("maintenance:events"))
        return self._render(form, status=status)


class EngineerAreasView(PermissionMixin, View):
    """Which engineers cover which districts (generation gives a site's visits to the
    engineers of its district); the vendor manager changes an engineer's districts."""

    permission_required = "maintenance.view_engineerarea"

    def _context(self, contract: Any, contracts: Any, form: Any = None) -> dict[str, Any]:
        rows: dict[int, dict[str, Any]] = {}
        engineers = User.objects.none()
        if contract is not None:
            engineers = vendor_people(contract)
            for engineer in engineers:
                rows[engineer.pk] = {"engineer": engineer, "districts": []}
            for area in (EngineerArea.objects.filter(contract=contract)
                         .select_related("engineer", "district")):
                rows.setdefault(area.engineer_id, {"engineer": area.engineer,
                                                   "districts": []})
                rows[area.engineer_id]["districts"].append(area.district)
        can_edit = (contract is not None
                    and self.request.user.has_perm("maintenance.add_engineerarea"))
        if can_edit and form is None:
            form = EngineerAreasForm(engineers=engineers, districts=District.objects.filter(
                contract=contract).order_by("code"))
        return {"contract": contract, "contracts": contracts,
                "rows": [r for r in rows.values()], "form": form if can_edit else None}

    def get(self, request: HttpRequest) -> HttpResponse:
        contract, contracts = chosen_contract(request)
        return render_page(request, "maintenance/areas.html", self._context(contract, contracts))

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("maintenance.add_engineerarea"):
            raise PermissionDenied
        contract, contracts = chosen_contract(request)
        if contract is None:
            return HttpResponseRedirect(reverse("maintenance:areas"))
        form = EngineerAreasForm(request.POST, engineers=vendor_people(contract),
                                 districts=District.objects.filter(contract=contract))
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            areas, status = attempt(form, lambda: generation.set_engineer_areas(
                contract, actor(request), data["engineer"], data["districts"]))
            if areas is not None:
                messages.success(request, _("Districts of %(engineer)s saved.")
                                 % {"engineer": data["engineer"]})
                return HttpResponseRedirect(
                    f"{reverse('maintenance:areas')}?contract={contract.pk}")
        return render_page(request, "maintenance/areas.html",
                           self._context(contract, contracts, form), status=status)
