from weibao.maintenance.models.plans import (
    ChecklistItem,
    ChecklistTemplate,
    EngineerArea,
    MaintenancePlan,
    MajorEvent,
)
from weibao.maintenance.models.visits import (
    OPEN_STATES,
    SheetImmutable,
    Visit,
    VisitPhoto,
    VisitResult,
    VisitSheet,
)

__all__ = ["OPEN_STATES", "ChecklistItem", "ChecklistTemplate", "EngineerArea",
           "MaintenancePlan", "MajorEvent", "SheetImmutable", "Visit", "VisitPhoto",
           "VisitResult", "VisitSheet"]
