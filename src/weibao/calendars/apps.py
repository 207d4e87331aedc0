from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "weibao.calendars"
    label = "calendars"
    verbose_name = _("Calendars")

    def ready(self) -> None:
        from weibao.calendars import audit, signals  # noqa: F401  (audit registration, version)
        from weibao.calendars.spec import register_section

        register_section()
