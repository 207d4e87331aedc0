"""The assessment lists (django-tables2) and what they share with the API: the breach
ledger with its evidence link and status badge, the assessments of a contract (ASM-03..06)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.assessment.choices import AssessmentStatus, BreachSource, BreachStatus
from weibao.assessment.models import Assessment, Breach

__all__ = ["ASSESSMENT_BADGES", "BREACH_BADGES", "AssessmentTable", "BreachTable",
           "assessment_badge", "breach_badge", "evidence_label", "evidence_url"]

BREACH_BADGES = {
    BreachStatus.RECORDED: "bg-orange-lt", BreachStatus.DISPUTED: "bg-yellow text-yellow-fg",
    BreachStatus.WAIVED: "bg-secondary-lt", BreachStatus.CONFIRMED: "bg-red text-red-fg",
}
ASSESSMENT_BADGES = {
    AssessmentStatus.DRAFT: "bg-blue-lt", AssessmentStatus.VENDOR_REVIEWED: "bg-azure-lt",
    AssessmentStatus.CONFIRMED: "bg-green text-green-fg",
    AssessmentStatus.FINAL: "bg-teal text-teal-fg",
}


def evidence_url(breach: Breach) -> str:
    """The page of the record behind a breach: the ticket of the SLA alert, the missed visit,
    the late report; a penalty by clause has its uploaded proof (empty when none)."""
    if breach.source == BreachSource.SLA and breach.sla_alert is not None:
        return reverse("tickets:detail", args=[breach.sla_alert.ticket_id])
    if breach.source == BreachSource.INSPECTION and breach.visit_id is not None:
        return reverse("maintenance:visit", args=[breach.visit_id])
    if breach.source == BreachSource.DELIVERABLE and breach.submission_id is not None:
        return reverse("reports:submission", args=[breach.submission_id])
    if breach.source == BreachSource.DRILL and breach.drill_id is not None:
        return reverse("emergency:drill", args=[breach.drill_id])
    if breach.evidence:
        return reverse("assessment:breach-evidence", args=[breach.pk])
    return ""


def evidence_label(breach: Breach) -> str:
    """What the evidence link points at, in words."""
    if breach.source == BreachSource.SLA and breach.sla_alert is not None:
        return str(_("ticket %(number)s") % {"number": breach.sla_alert.ticket.number})
    if breach.source == BreachSource.INSPECTION:
        return str(_("visit"))
    if breach.source == BreachSource.DELIVERABLE:
        return str(_("report"))
    if breach.source == BreachSource.DRILL:
        return str(_("drill"))
    return str(_("proof")) if breach.evidence else ""


def breach_badge(breach: Breach) -> SafeString:
    return format_html('<span class="badge {}" data-status="{}">{}</span>',
                       BREACH_BADGES.get(BreachStatus(breach.status), ""), breach.status,
                       breach.get_status_display())


def assessment_badge(assessment: Assessment) -> SafeString:
    return format_html('<span class="badge {}" data-status="{}">{}</span>',
                       ASSESSMENT_BADGES.get(AssessmentStatus(assessment.status), ""),
                       assessment.status, assessment.get_status_display())


class BreachTable(tables.Table):
    occurred_at = tables.DateTimeColumn(verbose_name=_("occurred at"), format="Y-m-d H:i")
    contract = tables.Column(verbose_name=_("contract"), accessor="contract__number")
    source = tables.Column(verbose_name=pgettext_lazy("assessment", "source"))
    description = tables.Column(verbose_name=_("description"),
                                linkify=lambda record: reverse("assessment:breach",
                                                               args=[record.pk]))
    penalty_amount = tables.Column(verbose_name=_("penalty (yuan)"),
                                   attrs={"td": {"class": "text-end"}})
    status = tables.Column(verbose_name=_("status"))
    evidence = tables.Column(verbose_name=_("evidence"), empty_values=(), orderable=False)

    class Meta:
        model = Breach
        fields = ["occurred_at", "contract", "source", "description", "penalty_amount",
                  "status", "evidence"]
        attrs = {"class": "table table-vcenter card-table", "data-testid": "breaches"}
        row_attrs = {"data-breach": lambda record: record.pk}

    def render_status(self, record: Breach) -> SafeString:
        return breach_badge(record)

    def value_status(self, record: Breach) -> Any:
        return record.get_status_display()

    def render_penalty_amount(self, record: Breach) -> str:
        return "—" if not record.counts else f"{record.penalty_amount:,.2f}"

    def render_evidence(self, record: Breach) -> SafeString | str:
        url = evidence_url(record)
        if not url:
            return "—"
        return format_html('<a href="{}">{}</a>', url, evidence_label(record))


class AssessmentTable(tables.Table):
    period = tables.Column(verbose_name=_("period"), empty_values=(), orderable=False,
                           linkify=lambda record: reverse("assessment:assessment",
                                                          args=[record.pk]))
    contract = tables.Column(verbose_name=_("contract"), accessor="contract__number")
    is_final = tables.BooleanColumn(verbose_name=_("final assessment of the contract"))
    status = tables.Column(verbose_name=_("status"))
    result = tables.Column(verbose_name=_("result"), empty_values=(), orderable=False)
    factor = tables.Column(verbose_name=pgettext_lazy("assessment", "factor (%)"))
    penalties = tables.Column(verbose_name=_("penalties (yuan)"))

    class Meta:
        model = Assessment
        fields = ["period", "contract", "is_final", "status", "result", "factor", "penalties"]
        attrs = {"class": "table table-vcenter card-table", "data-testid": "assessments"}
        row_attrs = {"data-assessment": lambda record: record.pk}

    def render_period(self, record: Assessment) -> str:
        return f"{record.period_start:%Y-%m-%d} – {record.period_end:%Y-%m-%d}"

    def render_status(self, record: Assessment) -> SafeString:
        return assessment_badge(record)

    def value_status(self, record: Assessment) -> Any:
        return record.get_status_display()

    def render_result(self, record: Assessment) -> str:
        return result_text(record)


def result_text(assessment: Assessment) -> str:
    """"80.00 分", "一般 (5 项达标)" or "—" while nothing is computed."""
    if assessment.score is not None:
        return str(_("%(score)s points") % {"score": assessment.score})
    if assessment.rating or assessment.criteria_met is not None:
        return str(_("%(rating)s (%(met)s met)") % {"rating": assessment.rating or "—",
                                                    "met": assessment.criteria_met or 0})
    return "—"
