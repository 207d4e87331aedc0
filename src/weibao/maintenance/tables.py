"""Maintenance lists (django-tables2): checklists, plans, visits and signed sheets (PM-01..09).

Links go to the pages named in each table's ``urls`` (``maintenance:…``); a name the URL
configuration does not have yet leaves the cell as plain text, so the tables render before
the pages exist."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from weibao.maintenance.choices import VisitStatus
from weibao.maintenance.models import ChecklistTemplate, MaintenancePlan, Visit, VisitSheet

__all__ = ["STATUS_BADGES", "ChecklistTable", "PlanTable", "SheetTable", "VisitTable",
           "status_badge"]

STATUS_BADGES = {
    VisitStatus.PLANNED: "bg-blue-lt", VisitStatus.IN_PROGRESS: "bg-orange text-orange-fg",
    VisitStatus.DONE: "bg-green-lt", VisitStatus.MISSED: "bg-red text-red-fg",
    VisitStatus.CANCELLED: "bg-secondary-lt",
}

_TABLE_CSS = "table table-vcenter card-table"


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _person(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else "—"


def status_badge(visit: Visit) -> SafeString:
    """The visit's status as a coloured badge, with "late" or "breach" beside it."""
    extra = ""
    if visit.late:
        extra = format_html(' <span class="badge bg-yellow-lt">{}</span>', _("late"))
    if visit.breach_recorded_at is not None:
        extra = format_html('{} <span class="badge bg-red-lt">{}</span>', extra, _("breach"))
    return format_html('<span class="badge {}" data-status="{}">{}</span>{}',
                       STATUS_BADGES.get(VisitStatus(visit.status), ""), visit.status,
                       visit.get_status_display(), extra)


class ChecklistTable(tables.Table):
    urls = {"detail": "maintenance:checklist"}

    code = tables.Column(verbose_name=_("code"),
                         linkify=lambda record: _url(ChecklistTable.urls["detail"], record.pk))
    name = tables.Column(verbose_name=_("name"))
    contract = tables.Column(accessor="contract__number", verbose_name=_("contract"))
    items = tables.Column(verbose_name=_("items"), accessor="item_count", orderable=False,
                          empty_values=())

    class Meta:
        model = ChecklistTemplate
        fields = ["code", "name", "contract", "items"]
        attrs = {"class": _TABLE_CSS, "data-testid": "checklist-table"}
        row_attrs = {"data-checklist": lambda record: record.code}

    def render_items(self, record: ChecklistTemplate) -> int:
        count = getattr(record, "item_count", None)
        return int(count) if count is not None else record.items.count()


class PlanTable(tables.Table):
    """Plans with cadence, scope, checklist, signature and breach rule (PM-01..07, PM-09)."""

    urls = {"detail": "maintenance:plan", "checklist": "maintenance:checklist"}

    code = tables.Column(verbose_name=_("code"),
                         linkify=lambda record: _url(PlanTable.urls["detail"], record.pk))
    name = tables.Column(verbose_name=_("name"))
    contract = tables.Column(accessor="contract__number", verbose_name=_("contract"))
    frequency = tables.Column(verbose_name=_("frequency"))
    scope = tables.Column(verbose_name=_("scope"))
    checklist = tables.Column(
        accessor="checklist__name", verbose_name=_("checklist"),
        linkify=lambda record: _url(PlanTable.urls["checklist"], record.checklist_id))
    signature = tables.Column(verbose_name=_("signed by"))
    missed_is_breach = tables.BooleanColumn(verbose_name=_("missed is a breach"))
    active = tables.BooleanColumn(verbose_name=_("active"))

    class Meta:
        model = MaintenancePlan
        fields = ["code", "name", "contract", "frequency", "scope", "checklist", "signature",
                  "missed_is_breach", "active"]
        attrs = {"class": _TABLE_CSS, "data-testid": "plan-table"}
        row_attrs = {"data-plan": lambda record: record.code}

    def render_frequency(self, record: MaintenancePlan) -> str:
        label = str(record.get_frequency_display())
        if record.slots:
            names = [str(slot.get("name") or slot.get("code", "")) if isinstance(slot, dict)
                     else str(slot) for slot in record.slots]
            label = f"{label} ({', '.join(n for n in names if n)})"
        return label

    def value_frequency(self, record: MaintenancePlan) -> str:
        return record.frequency


class VisitTable(tables.Table):
    """Visits with window, target, engineer and status; late and breach as badges (PM-09)."""

    urls = {"detail": "maintenance:visit"}

    window_start = tables.DateTimeColumn(
        verbose_name=_("counts from"), format="Y-m-d H:i",
        linkify=lambda record: _url(VisitTable.urls["detail"], record.pk))
    window_end = tables.DateTimeColumn(verbose_name=_("counts until"), format="Y-m-d H:i")
    plan = tables.Column(accessor="plan__name", verbose_name=_("plan"))
    target = tables.Column(verbose_name=_("site or asset"), empty_values=(), orderable=False)
    district = tables.Column(accessor="site__district__name", verbose_name=_("district"))
    slot = tables.Column(verbose_name=_("check"))
    planned_for = tables.DateColumn(verbose_name=_("planned for"), format="Y-m-d")
    assignee = tables.Column(verbose_name=_("engineer"))
    status = tables.Column(verbose_name=_("status"))
    completed_at = tables.DateTimeColumn(verbose_name=_("completed at"), format="Y-m-d H:i")

    class Meta:
        model = Visit
        fields = ["window_start", "window_end", "plan", "target", "district", "slot",
                  "planned_for", "assignee", "status", "completed_at"]
        attrs = {"class": _TABLE_CSS, "data-testid": "visit-table"}
        row_attrs = {"data-visit": lambda record: record.pk,
                     "data-status": lambda record: record.status}

    def render_target(self, record: Visit) -> str:
        if record.site_id is not None:
            return f"{record.site.code} {record.site.name}"  # type: ignore[union-attr]
        if record.asset_id is not None:
            return str(record.asset)
        if record.event_id is not None:
            return str(record.event)
        return str(_("the contract's systems"))

    def value_target(self, record: Visit) -> str:
        if record.site_id is not None:
            return record.site.code  # type: ignore[union-attr]
        return self.render_target(record)

    def render_assignee(self, record: Visit) -> str:
        return _person(record.assignee)

    def value_assignee(self, record: Visit) -> str:
        return record.assignee.username if record.assignee is not None else ""

    def render_status(self, record: Visit) -> SafeString:
        return status_badge(record)

    def value_status(self, record: Visit) -> str:
        return str(record.get_status_display())


class SheetTable(tables.Table):
    """Signed maintenance sheets (受理网点维护单, PM-02) and their corrections."""

    urls = {"visit": "maintenance:visit", "pdf": "maintenance:sheet-pdf"}

    visit = tables.Column(verbose_name=_("visit"), accessor="visit__window_start",
                          linkify=lambda record: _url(SheetTable.urls["visit"],
                                                      record.visit_id))
    plan = tables.Column(accessor="visit__plan__name", verbose_name=_("plan"))
    site = tables.Column(accessor="visit__site__name", verbose_name=_("site"))
    version = tables.Column(verbose_name=_("version"))
    signer_name = tables.Column(verbose_name=_("signed by"))
    signed_at = tables.DateTimeColumn(verbose_name=_("signed at"), format="Y-m-d H:i")
    created_by = tables.Column(verbose_name=_("made by"))
    digest = tables.Column(verbose_name=_("digest"), orderable=False)
    pdf = tables.Column(verbose_name=_("PDF"), empty_values=(), orderable=False,
                        accessor="pk")

    class Meta:
        model = VisitSheet
        fields = ["visit", "plan", "site", "version", "signer_name", "signed_at",
                  "created_by", "digest", "pdf"]
        attrs = {"class": _TABLE_CSS, "data-testid": "sheet-table"}
        row_attrs = {"data-sheet": lambda record: f"{record.visit_id}-v{record.version}"}

    def render_visit(self, record: VisitSheet) -> str:
        start = timezone.localtime(record.visit.window_start)
        return f"{start:%Y-%m-%d} #{record.visit_id}"

    def render_created_by(self, record: VisitSheet) -> str:
        return _person(record.created_by)

    def render_digest(self, record: VisitSheet) -> SafeString:
        return format_html('<code title="{} {}">{}…</code>', record.digest_algorithm,
                           record.digest, record.digest[:12])

    def value_digest(self, record: VisitSheet) -> str:
        return record.digest

    def render_pdf(self, record: VisitSheet) -> SafeString | str:
        url = _url(SheetTable.urls["pdf"], record.pk)
        return format_html('<a href="{}">{}</a>', url, _("download")) if url else "—"

    def value_pdf(self, record: VisitSheet) -> str:
        return _url(SheetTable.urls["pdf"], record.pk) or ""
