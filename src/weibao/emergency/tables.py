"""Emergency lists (django-tables2): plans, drills, incidents and major periods."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from weibao.emergency.choices import DisposalPlanStatus, DrillStatus, IncidentPhase
from weibao.emergency.models import Drill, EmergencyPlan, MajorPeriod, SecurityIncident

__all__ = ["DRILL_BADGES", "PHASE_BADGES", "DrillTable", "IncidentTable", "PeriodTable",
           "PlanTable", "drill_badge", "phase_badge"]

_CSS = "table table-vcenter card-table"
DRILL_BADGES = {DrillStatus.SCHEDULED: "bg-blue-lt", DrillStatus.HELD: "bg-green-lt",
                DrillStatus.MISSED: "bg-red text-red-fg", DrillStatus.LATE: "bg-yellow-lt"}
PHASE_BADGES = {IncidentPhase.PREPARATION: "bg-blue-lt", IncidentPhase.ASSESSMENT: "bg-azure-lt",
                IncidentPhase.CONTAINMENT: "bg-orange-lt", IncidentPhase.ERADICATION: "bg-red-lt",
                IncidentPhase.SUMMARY: "bg-purple-lt", IncidentPhase.CLOSED: "bg-green-lt"}
PLAN_BADGES = {DisposalPlanStatus.NONE: "bg-secondary-lt",
               DisposalPlanStatus.SUBMITTED: "bg-yellow-lt",
               DisposalPlanStatus.APPROVED: "bg-green-lt",
               DisposalPlanStatus.REJECTED: "bg-red-lt"}


def drill_badge(drill: Drill) -> SafeString:
    extra = ""
    if drill.breach_recorded_at is not None:
        extra = format_html(' <span class="badge bg-red-lt">{}</span>', _("breach"))
    return format_html('<span class="badge {}" data-status="{}">{}</span>{}',
                       DRILL_BADGES.get(DrillStatus(drill.status), ""), drill.status,
                       drill.get_status_display(), extra)


def phase_badge(incident: SecurityIncident) -> SafeString:
    return format_html('<span class="badge {}" data-phase="{}">{}</span>',
                       PHASE_BADGES.get(IncidentPhase(incident.phase), ""), incident.phase,
                       incident.get_phase_display())


def _link(name: str, record: Any) -> str:
    return reverse(name, args=[record.pk])


class PlanTable(tables.Table):
    title = tables.Column(verbose_name=_("title"),
                          linkify=lambda record: _link("emergency:plan", record))
    system = tables.Column(verbose_name=_("system"), default="—")
    current_version = tables.Column(verbose_name=_("current version"))
    review_due = tables.DateColumn(verbose_name=_("review due"), format="Y-m-d")
    contract = tables.Column(verbose_name=_("contract"), accessor="contract__number")

    class Meta:
        model = EmergencyPlan
        fields = ["title", "system", "current_version", "review_due", "contract"]
        attrs = {"class": _CSS}

    def render_current_version(self, value: int) -> str:
        return f"v{value}" if value else "—"

    def render_review_due(self, record: EmergencyPlan, value: Any) -> SafeString:
        if record.review_overdue(timezone.localdate()):
            return format_html('{} <span class="badge bg-red-lt" data-testid="overdue">{}</span>',
                               value, _("review overdue"))
        return format_html("{}", value)


class DrillTable(tables.Table):
    system = tables.Column(verbose_name=_("system"),
                           linkify=lambda record: _link("emergency:drill", record))
    rule = tables.Column(verbose_name=_("drill rule"))
    sequence = tables.Column(verbose_name=_("number"))
    window_end = tables.DateTimeColumn(verbose_name=_("due by"), format="Y-m-d H:i")
    status = tables.Column(verbose_name=_("status"))
    held_at = tables.DateTimeColumn(verbose_name=_("held at"), format="Y-m-d H:i")

    class Meta:
        model = Drill
        fields = ["system", "rule", "sequence", "window_end", "status", "held_at"]
        attrs = {"class": _CSS}

    def render_status(self, record: Drill) -> SafeString:
        return drill_badge(record)


class IncidentTable(tables.Table):
    number = tables.Column(verbose_name=_("number"),
                           linkify=lambda record: _link("emergency:incident", record))
    title = tables.Column(verbose_name=_("title"))
    phase = tables.Column(verbose_name=_("phase"))
    plan_status = tables.Column(verbose_name=_("disposal plan"))
    reported_at = tables.DateTimeColumn(verbose_name=_("reported at"), format="Y-m-d H:i")
    contract = tables.Column(verbose_name=_("contract"), accessor="contract__number")

    class Meta:
        model = SecurityIncident
        fields = ["number", "title", "phase", "plan_status", "reported_at", "contract"]
        attrs = {"class": _CSS}

    def render_phase(self, record: SecurityIncident) -> SafeString:
        return phase_badge(record)

    def render_plan_status(self, record: SecurityIncident) -> SafeString:
        return format_html('<span class="badge {}">{}</span>',
                           PLAN_BADGES.get(DisposalPlanStatus(record.plan_status), ""),
                           record.get_plan_status_display())


class PeriodTable(tables.Table):
    name = tables.Column(verbose_name=_("name"),
                         linkify=lambda record: _link("emergency:period", record))
    kind = tables.Column(verbose_name=_("kind"))
    starts_on = tables.DateColumn(verbose_name=_("starts on"), format="Y-m-d")
    ends_on = tables.DateColumn(verbose_name=_("ends on"), format="Y-m-d")
    duties_count = tables.Column(verbose_name=_("on-site duties"), orderable=False)
    reports_count = tables.Column(verbose_name=_("security reports"), orderable=False)

    class Meta:
        model = MajorPeriod
        fields = ["name", "kind", "starts_on", "ends_on", "duties_count", "reports_count"]
        attrs = {"class": _CSS}
