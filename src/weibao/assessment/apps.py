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
        from weibao.assessment.services.cycle import ASSESSMENT_DOCUMENT, signed_assessments
        from weibao.security.signing import register_source

        register_source(ASSESSMENT_DOCUMENT, signed_assessments)
        register_section()
        from weibao.assessment.cockpit import connect_signals
        connect_signals()
