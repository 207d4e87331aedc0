from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "weibao.assessment"
    label = "assessment"
    verbose_name = _("Assessment and settlement")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from weibao.assessment import models
        from weibao.assessment.spec import register_section

        for model in (models.AssessmentScheme, models.Breach, models.Assessment,
                      models.AssessmentLine):
            auditlog.register(model)
        register_section()
        from weibao.assessment.cockpit import connect_signals
        connect_signals()
