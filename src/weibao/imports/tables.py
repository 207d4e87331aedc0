"""Tables of the imports domain: the job history of a contract."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from weibao.imports.models import ImportJob
from weibao.imports.registry import get_importer

__all__ = ["ImportJobTable"]


class ImportJobTable(tables.Table):
    created_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("uploaded at"))
    original_name = tables.LinkColumn("imports:job", args=[tables.A("contract_id"),
                                                           tables.A("pk")])
    importer = tables.Column()
    created_by = tables.Column()
    status = tables.Column()
    total_rows = tables.Column(attrs={"td": {"class": "text-end"}})
    error_rows = tables.Column(attrs={"td": {"class": "text-end"}})
    written = tables.Column(attrs={"td": {"class": "text-end"}})

    class Meta:
        model = ImportJob
        fields = ["created_at", "original_name", "importer", "created_by", "status", "mode",
                  "total_rows", "error_rows", "written"]
        attrs = {"class": "table table-vcenter card-table", "data-testid": "import-jobs"}
        row_attrs = {"data-job": lambda record: record.pk}

    def render_importer(self, value: str) -> str:
        try:
            return str(get_importer(value).title)
        except KeyError:
            return value
