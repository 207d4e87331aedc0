"""Tables of the assets domain (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from weibao.assets.choices import WarrantyState
from weibao.assets.models import EXPIRED, Asset, Certificate, Relocation

__all__ = ["AssetTable", "CertificateTable", "RelocationTable", "warranty_badge"]

_WARRANTY_COLOURS = {WarrantyState.IN_WARRANTY: "green", WarrantyState.OUT_OF_WARRANTY: "orange",
                     WarrantyState.UNKNOWN: "secondary"}


def warranty_badge(state: str) -> str:
    return format_html('<span class="badge bg-{}-lt">{}</span>',
                       _WARRANTY_COLOURS.get(WarrantyState(state), "secondary"),
                       WarrantyState(state).label)


class AssetTable(tables.Table):
    select = tables.CheckBoxColumn(accessor="pk", attrs={"th__input": {"aria-label": _("all")},
                                                         "td__input": {"name": "assets",
                                                                       "form": "bulk-edit"}},
                                   exclude_from_export=True)
    name = tables.LinkColumn("assets:detail", args=[tables.A("pk")])
    code = tables.Column()
    asset_type = tables.Column(order_by=("asset_type__name",))
    site = tables.Column(order_by=("site__code",))
    brand = tables.Column()
    model = tables.Column()
    serial = tables.Column()
    warranty = tables.Column(verbose_name=_("warranty state"), empty_values=(),
                             order_by=("warranty_until",))
    status = tables.Column()
    contract = tables.Column(order_by=("contract__number",))

    class Meta:
        model = Asset
        fields = ["select", "name", "code", "asset_type", "site", "brand", "model", "serial",
                  "quantity", "warranty", "status", "importance", "contract"]
        attrs = {"class": "table table-vcenter card-table table-sm",
                 "data-testid": "asset-table"}
        order_by = ("name",)

    def render_warranty(self, record: Asset) -> str:
        return warranty_badge(record.warranty_state_on(timezone.localdate()))

    def value_warranty(self, record: Asset) -> str:
        return str(WarrantyState(record.warranty_state_on(timezone.localdate())).label)

    def render_contract(self, record: Asset) -> str:
        return record.contract.number

    def render_site(self, record: Asset) -> Any:
        return record.site


_STATE_COLOURS = {"applied": "secondary", "issued": "blue", "imported": "green",
                  "renewed": "green", "reissued": "cyan", "revoked": "dark", EXPIRED: "red"}


def expiry_badge(certificate: Certificate) -> str:
    today = timezone.localdate()
    days = certificate.days_left(today)
    state = certificate.state_on(today)
    if days is None or state in ("revoked", EXPIRED) or days > 90:
        return ""
    colour = "red" if days <= 7 else "orange" if days <= 30 else "yellow"
    return format_html('<span class="badge bg-{}-lt" data-testid="expiry-badge">{}</span>',
                       colour, _("expires in %(n)d days") % {"n": days})


class CertificateTable(tables.Table):
    holder = tables.LinkColumn("assets:certificate-detail", args=[tables.A("pk")])
    state = tables.Column(empty_values=())
    expiry = tables.Column(verbose_name=_("expiry"), empty_values=(), orderable=False,
                           exclude_from_export=True)
    contract = tables.Column(order_by=("contract__number",))

    class Meta:
        model = Certificate
        fields = ["holder", "kind", "serial", "issuer", "algorithm", "state", "issued_on",
                  "expires_on", "expiry", "contract"]
        attrs = {"class": "table table-vcenter card-table table-sm",
                 "data-testid": "certificate-table"}

    def render_state(self, record: Certificate) -> str:
        state = record.state_on(timezone.localdate())
        label = _("expired") if state == EXPIRED else record.get_state_display()
        return format_html('<span class="badge bg-{}-lt">{}</span>',
                           _STATE_COLOURS.get(state, "secondary"), label)

    def render_expiry(self, record: Certificate) -> str:
        return expiry_badge(record)

    def render_contract(self, record: Certificate) -> str:
        return record.contract.number


class RelocationTable(tables.Table):
    label = tables.Column()
    asset = tables.LinkColumn("assets:detail", args=[tables.A("asset_id")])
    serial = tables.Column(verbose_name=_("serial number"), accessor="asset__serial")
    from_site = tables.Column()
    to = tables.Column(verbose_name=_("destination"), empty_values=(), orderable=False)
    decommission = tables.BooleanColumn()
    actor = tables.Column()

    class Meta:
        model = Relocation
        fields = ["relocated_on", "label", "asset", "serial", "from_site", "to", "decommission",
                  "reason", "actor"]
        attrs = {"class": "table table-vcenter card-table table-sm",
                 "data-testid": "relocation-table"}

    def render_to(self, record: Relocation) -> str:
        return str(record.to_site) if record.to_site_id else record.destination
