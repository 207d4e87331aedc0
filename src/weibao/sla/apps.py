from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "weibao.sla"
    label = "sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from weibao.sla.models import FaultLevel, SlaPolicy, SlaStage, SlaTarget
        from weibao.sla.spec import register_section

        for model in (SlaPolicy, FaultLevel, SlaStage, SlaTarget):
            auditlog.register(model)
        register_section()
