from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "weibao.sites"
    label = "sites"
    verbose_name = _("Sites")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from weibao.sites.importers import register_importers
        from weibao.sites.models import AreaClass, District, Site, SiteType
        from weibao.sites.spec import register_section

        for model in (AreaClass, District, SiteType, Site):
            auditlog.register(model)
        register_section()
        register_importers()
