from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SparesConfig(AppConfig):
    name = "weibao.spares"
    label = "spares"
    verbose_name = _("Spare parts")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from weibao.spares.importers import register_importers
        from weibao.spares.models import (
            BudgetCap,
            PartType,
            RatioRule,
            StandbyLoan,
            StockMovement,
            Warehouse,
        )
        from weibao.spares.spec import register_section

        # StockBalance is derived from the ledger (the sum of its movements): not audited.
        for model in (PartType, Warehouse, RatioRule, BudgetCap, StockMovement, StandbyLoan):
            auditlog.register(model)
        register_section()
        register_importers()
