"""django-tables2 tables of the core domain."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from weibao.core.models import Organisation, User

__all__ = ["OrganisationTable", "UserTable"]


class OrganisationTable(tables.Table):
    name = tables.LinkColumn("core:organisation-edit", args=[tables.A("pk")])
    contracts = tables.Column(verbose_name=_("contracts"), orderable=False, empty_values=())

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "code", "kind", "phone"]
        attrs = {"class": "table table-vcenter card-table"}

    def render_contracts(self, record: Organisation) -> int:
        return getattr(record, "contract_count", 0)


class UserTable(tables.Table):
    username = tables.LinkColumn("core:user-edit", args=[tables.A("pk")])
    masked_phone = tables.Column(verbose_name=_("mobile phone"), orderable=False)

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "organisation", "role", "is_active"]
        sequence = ["username", "first_name", "last_name", "organisation", "role",
                    "masked_phone", "is_active"]
        attrs = {"class": "table table-vcenter card-table"}
