from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "weibao.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from weibao.tickets import models
        from weibao.tickets.spec import register_section

        for model in (models.TicketType, models.Ticket, models.FaultReport,
                      models.RequirementChange, models.Article, models.TicketPolicy,
                      models.ChangeBudget):
            auditlog.register(model)
        register_section()
