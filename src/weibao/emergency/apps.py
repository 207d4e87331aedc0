from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    name = "weibao.emergency"
    label = "emergency"
    verbose_name = _("Emergency")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from weibao.emergency import models
        from weibao.emergency.spec import register_section

        for model in (models.EmergencyPlan, models.PlanVersion, models.DrillRule, models.Drill,
                      models.SecurityIncident, models.MajorPeriod, models.DutyAssignment,
                      models.PeriodReport):
            auditlog.register(model)
        register_section()
