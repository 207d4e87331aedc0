from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "weibao.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from weibao.contracts import audit  # noqa: F401  (registers audited models)
        from weibao.contracts.spec.sections import register_sections

        register_sections()
