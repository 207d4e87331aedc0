from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "weibao.sla"
    label = "sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from weibao.core.stamped import expire_on_write
        from weibao.sla.models import FaultLevel, SlaPolicy, SlaStage, SlaTarget
        from weibao.sla.spec import register_section

        for model in (SlaPolicy, FaultLevel, SlaStage, SlaTarget):
            auditlog.register(model)
        register_section()
        # A policy written here is read again at once by this process's cache; its stamp
        # (the policy's timestamp) tells the other processes.
        expire_on_write(_forget_policy, SlaPolicy)


def _forget_policy(sender: type, instance: object, **kwargs: object) -> None:
    from weibao.sla.selectors import forget_contract_policy

    forget_contract_policy(instance.contract_id)  # type: ignore[attr-defined]
