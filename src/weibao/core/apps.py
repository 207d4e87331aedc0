from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "weibao.core"
    label = "core"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from weibao.core import audit  # noqa: F401  (registers audited models)
