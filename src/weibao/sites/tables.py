"""Site, district and area class tables (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from weibao.sites.models import District, Site

__all__ = ["DistrictTable", "SiteTable"]


class SiteTable(tables.Table):
    """The site list; the check box column feeds the bulk edit form."""

    select = tables.CheckBoxColumn(accessor="pk", attrs={
        "th__input": {"data-select-all": "site", "aria-label": _("Select all")},
        "td__input": {"name": "sites", "form": "bulk-form", "data-select": "site"}},
        orderable=False, exclude_from_export=True)
    code = tables.LinkColumn("sites:detail", args=[tables.A("pk")], verbose_name=_("code"))
    name = tables.Column(verbose_name=_("name"))
    contract = tables.Column(accessor="contract__number", verbose_name=_("contract"))
    site_type = tables.Column(accessor="site_type__name", verbose_name=_("site type"))
    district = tables.Column(accessor="district__name", verbose_name=_("district"))
    area_class = tables.Column(verbose_name=_("area class"), empty_values=(), orderable=False)
    address = tables.Column(verbose_name=_("address"))
    contact_name = tables.Column(verbose_name=_("contact person"))
    contact_phone = tables.Column(verbose_name=_("contact phone"))
    status = tables.Column(verbose_name=_("status"))

    class Meta:
        model = Site
        fields = ["select", "code", "name", "contract", "site_type", "district", "area_class",
                  "address", "contact_name", "contact_phone", "status"]
        attrs = {"class": "table table-vcenter card-table", "data-testid": "site-table"}
        row_attrs = {"data-site": lambda record: record.code}

    def render_area_class(self, record: Site) -> str:
        area_class = record.area_class
        if area_class is None:
            return "—"
        if record.area_class_override_id:
            return format_html("{} <span class=\"text-secondary\">({})</span>", area_class.name,
                               _("override"))
        return area_class.name

    def value_area_class(self, record: Site) -> str:
        area_class = record.area_class
        return area_class.name if area_class else ""

    def value_status(self, record: Site) -> str:
        return str(record.get_status_display())


class DistrictTable(tables.Table):
    code = tables.Column(verbose_name=_("code"))
    name = tables.Column(verbose_name=_("name"))
    area_class = tables.Column(accessor="area_class__name", verbose_name=_("area class"))
    site_count = tables.Column(verbose_name=_("sites"), orderable=False)
    edit = tables.TemplateColumn(
        '{% load i18n %}{% if can_change %}<a href="{% url "sites:record-edit" '
        'record.contract_id "districts" record.pk %}">{% translate "Edit" %}</a>{% endif %}',
        verbose_name="", orderable=False)

    class Meta:
        model = District
        fields = ["code", "name", "area_class", "site_count", "edit"]
        attrs = {"class": "table table-vcenter card-table", "data-testid": "district-table"}
        orderable = False
        row_attrs = {"data-district": lambda record: record.code}
