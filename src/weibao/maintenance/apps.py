from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    name = "weibao.maintenance"
    label = "maintenance"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from weibao.maintenance import models
        from weibao.maintenance.spec import register_section

        for model in (models.ChecklistTemplate, models.ChecklistItem, models.MaintenancePlan,
                      models.MajorEvent, models.EngineerArea, models.Visit):
            auditlog.register(model)
        from weibao.maintenance.signals import connect as connect_replanning
        connect_replanning()
        from weibao.maintenance.services.sheets import SHEET_DOCUMENT, signed_sheets
        from weibao.security.signing import register_source

        register_source(SHEET_DOCUMENT, signed_sheets)
        register_section()
