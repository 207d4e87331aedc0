from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "weibao.assets"
    label = "assets"
    verbose_name = _("Assets")

    def ready(self) -> None:
        from weibao.assets import audit  # noqa: F401  (registers audited models)
        from weibao.assets.importers import register_importers
        from weibao.assets.spec import register_section

        register_section()
        register_importers()
