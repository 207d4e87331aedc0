from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "weibao.reports"
    label = "reports"
    verbose_name = _("Deliverables and reports")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from weibao.reports import models
        from weibao.reports.spec import register_section

        for model in (models.Deliverable, models.ReportTemplate, models.Submission):
            auditlog.register(model)
        from weibao.reports.signals import connect as connect_triggers
        connect_triggers()
        register_section()
