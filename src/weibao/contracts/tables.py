"""Contract tables."""

from __future__ import annotations

import django_tables2 as tables
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract

__all__ = ["ContractTable"]


class ContractTable(tables.Table):
    number = tables.LinkColumn("contracts:detail", args=[tables.A("pk")])
    title = tables.Column()
    purchaser = tables.Column(verbose_name=_("Purchaser"), empty_values=(), orderable=False)
    vendor = tables.Column(verbose_name=_("Vendor"), empty_values=(), orderable=False)
    amount = tables.Column(attrs={"td": {"class": "text-end text-nowrap"},
                                  "th": {"class": "text-end"}})
    period = tables.Column(verbose_name=_("Service period"), empty_values=(),
                           order_by=("start_date", "end_date"))

    class Meta:
        model = Contract
        fields = ["number", "title", "purchaser", "vendor", "amount", "period", "status"]
        attrs = {"class": "table table-vcenter card-table", "data-testid": "contract-table"}
        row_attrs = {"data-contract": lambda record: record.number}

    def render_purchaser(self, record: Contract) -> str:
        party = record.purchaser
        return str(party.organisation) if party else "—"

    def render_vendor(self, record: Contract) -> str:
        party = record.vendor
        return str(party.organisation) if party else "—"

    def render_amount(self, value: object) -> str:
        return f"¥{intcomma(f'{value:.2f}')}"

    def render_period(self, record: Contract) -> str:
        return f"{record.start_date:%Y-%m-%d} – {record.end_date:%Y-%m-%d}"
