"""The ticket list (django-tables2), with the SLA status as a coloured badge (SLA-10)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from weibao.sla.choices import StageStatus
from weibao.tickets.models import SlaAlert, Ticket

__all__ = ["SLA_BADGES", "SlaAlertTable", "TicketTable", "sla_badge"]

SLA_BADGES = {
    StageStatus.BREACHED: "bg-red text-red-fg", StageStatus.WARNING: "bg-orange text-orange-fg",
    StageStatus.RUNNING: "bg-blue-lt", StageStatus.PAUSED: "bg-secondary-lt",
    StageStatus.MET: "bg-green-lt", StageStatus.NOT_STARTED: "bg-secondary-lt",
    StageStatus.NO_TARGET: "bg-secondary-lt",
}


def sla_badge(ticket: Ticket) -> SafeString:
    """The ticket's SLA status badge, its next due time and the provisional marker."""
    status = ticket.sla_status
    label = StageStatus(status).label if status in StageStatus.values else status
    due = ""
    if ticket.next_due_at is not None:
        due = timezone.localtime(ticket.next_due_at).strftime("%m-%d %H:%M")
    provisional = format_html(' <span class="badge bg-yellow-lt" title="{}">{}</span>',
                              _("The working calendar of a year involved is not entered yet; "
                                "the due time may change."), _("provisional")) \
        if ticket.sla_provisional else ""
    return format_html('<span class="badge {}" data-sla="{}">{}</span>{}{}',
                       SLA_BADGES.get(StageStatus(status), "") if status in StageStatus.values
                       else "", status, label,
                       format_html(' <span class="small text-secondary">{}</span>', due)
                       if due else "", provisional)


# Columns a 1366 px screen can spare (the SLA badge already shows the next due time); the
# title keeps a readable width instead of one character per line (issue 16).
_WIDE_ONLY = {"th": {"class": "d-none d-xxl-table-cell"},
              "td": {"class": "d-none d-xxl-table-cell"}}
_NOWRAP = {"td": {"class": "text-nowrap"}}


class PickColumn(tables.CheckBoxColumn):
    """A tick box per row for the bulk assignment form (``form="bulk-assign"``)."""

    @property
    def header(self) -> str:
        return ""


class TicketTable(tables.Table):
    # Shown only to who may assign (TicketListView); never exported.
    pick = PickColumn(accessor="pk", exclude_from_export=True, orderable=False,
                      verbose_name=_("select"),
                      attrs={"input": {"form": "bulk-assign", "name": "ticket",
                                       "class": "form-check-input"}})
    number = tables.LinkColumn("tickets:detail", args=[tables.A("pk")],
                               verbose_name=_("number"), attrs=_NOWRAP)
    title = tables.Column(verbose_name=_("title"), attrs={"td": {"class": "cell-title"}})
    contract = tables.Column(accessor="contract__number", verbose_name=_("contract"))
    ticket_type = tables.Column(accessor="ticket_type__name", verbose_name=_("ticket type"),
                                attrs=_WIDE_ONLY)
    site = tables.Column(accessor="site__name", verbose_name=_("site"), attrs=_NOWRAP)
    level = tables.Column(verbose_name=_("fault level"), empty_values=(), orderable=False)
    state = tables.Column(verbose_name=_("state"))
    sla_status = tables.Column(verbose_name=_("SLA"))
    next_due_at = tables.DateTimeColumn(verbose_name=_("next due at"), format="Y-m-d H:i",
                                        attrs=_WIDE_ONLY)
    assignee = tables.Column(verbose_name=_("engineer"))
    reported_at = tables.DateTimeColumn(verbose_name=_("reported at"), format="Y-m-d H:i",
                                        attrs=_NOWRAP)

    class Meta:
        model = Ticket
        fields = ["number", "title", "contract", "ticket_type", "site", "level", "state",
                  "sla_status", "next_due_at", "assignee", "reported_at"]
        sequence = ["pick", "..."]
        attrs = {"class": "table table-vcenter card-table", "data-testid": "ticket-table"}
        row_attrs = {"data-ticket": lambda record: record.number}

    def render_level(self, record: Ticket) -> Any:
        level = record.effective_level
        if not level:
            return "—"
        if record.fault_level_override:
            return format_html('{} <span class="text-secondary small">({})</span>', level,
                               _("override"))
        return level

    def value_level(self, record: Ticket) -> str:
        return record.effective_level

    def render_sla_status(self, record: Ticket) -> SafeString:
        return sla_badge(record)

    def value_sla_status(self, record: Ticket) -> str:
        return str(record.get_sla_status_display())

    def value_state(self, record: Ticket) -> str:
        return str(record.get_state_display())

    def render_assignee(self, record: Ticket) -> str:
        assignee = record.assignee
        return (assignee.get_full_name() or assignee.username) if assignee else "—"

    def value_assignee(self, record: Ticket) -> str:
        assignee = record.assignee
        return assignee.username if assignee else ""


class SlaAlertTable(tables.Table):
    """SLA-10: the warnings and breaches recorded by the scan."""

    at = tables.DateTimeColumn(verbose_name=_("threshold time"), format="Y-m-d H:i")
    kind = tables.Column(verbose_name=_("kind"))
    ticket = tables.LinkColumn("tickets:detail", args=[tables.A("ticket_id")],
                               accessor="ticket__number", verbose_name=_("ticket"))
    title = tables.Column(accessor="ticket__title", verbose_name=_("title"), orderable=False)
    contract = tables.Column(accessor="contract__number", verbose_name=_("contract"))
    stage = tables.Column(verbose_name=_("stage"))
    occurrence = tables.Column(verbose_name=_("missed interval"))
    level = tables.Column(verbose_name=_("fault level"), empty_values=(), orderable=False)
    site = tables.Column(accessor="ticket__site__name", verbose_name=_("site"))
    penalty_percent = tables.Column(verbose_name=_("penalty (percent)"))
    recorded_at = tables.DateTimeColumn(verbose_name=_("recorded at"), format="Y-m-d H:i")

    class Meta:
        model = SlaAlert
        fields = ["at", "kind", "ticket", "title", "contract", "stage", "occurrence", "level",
                  "site", "penalty_percent", "recorded_at"]
        attrs = {"class": "table table-vcenter card-table", "data-testid": "alert-table"}
        row_attrs = {"data-alert": lambda record: f"{record.ticket_id}-{record.stage}-"
                                                  f"{record.kind}-{record.occurrence}"}

    def render_kind(self, record: SlaAlert) -> SafeString:
        css = "bg-red text-red-fg" if record.kind == "breach" else "bg-orange text-orange-fg"
        return format_html('<span class="badge {}">{}</span>', css, record.get_kind_display())

    def value_kind(self, record: SlaAlert) -> str:
        return str(record.get_kind_display())

    def render_occurrence(self, value: int) -> Any:
        return value or "—"

    def value_occurrence(self, record: SlaAlert) -> int | None:
        return record.occurrence or None

    def render_level(self, record: SlaAlert) -> str:
        return record.ticket.effective_level or "—"

    def value_level(self, record: SlaAlert) -> str:
        return record.ticket.effective_level
