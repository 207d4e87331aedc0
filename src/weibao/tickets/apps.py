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

        for model in (models.TicketType, models.FaultReport, models.RequirementChange,
                      models.Article, models.TicketPolicy, models.ChangeBudget):
            auditlog.register(model)
        # The reverse one-to-one relations are records of their own (audited above); diffing
        # them would cost three queries on every ticket write.
        # The reporter's phone is kept masked in the log (PLT-02).
        auditlog.register(models.Ticket, mask_fields=["reporter_phone"],
                          exclude_fields=["fault_report", "satisfaction",
                                          "requirement_change"])
        from weibao.security.signing import register_source
        from weibao.tickets.services.work.reports import REPORT_DOCUMENT, signed_reports

        register_source(REPORT_DOCUMENT, signed_reports)
        register_section()
        self._forget_reporting_data_on_change()

    @staticmethod
    def _forget_reporting_data_on_change() -> None:
        from weibao.contracts.models import Contract, ContractParty
        from weibao.core.stamped import expire_on_write
        from weibao.sites.models import AreaClass, District, Site
        from weibao.tickets.models import TicketType
        from weibao.tickets.selectors import forget_reporting_sites, forget_reporting_types

        expire_on_write(forget_reporting_types, TicketType, Contract, ContractParty)
        expire_on_write(forget_reporting_sites, Site, District, AreaClass)
