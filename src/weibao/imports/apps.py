from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "weibao.imports"
    label = "imports"
    verbose_name = _("Imports and exports")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from weibao.imports.models import ImportJob

        auditlog.register(ImportJob, exclude_fields=["progress", "updated_at"])
