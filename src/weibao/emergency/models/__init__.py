"""Models of the emergency domain (EMG-01..04)."""

from weibao.emergency.models.drills import OPEN_DRILL_STATES, Drill, DrillPhoto, DrillRule
from weibao.emergency.models.incidents import (
                                               DutyAssignment,
                                               MajorPeriod,
                                               PeriodReport,
                                               SecurityIncident,
)
from weibao.emergency.models.plans import EmergencyPlan, PlanVersion

__all__ = ["OPEN_DRILL_STATES", "Drill", "DrillPhoto", "DrillRule", "DutyAssignment",
           "EmergencyPlan", "MajorPeriod", "PeriodReport", "PlanVersion", "SecurityIncident"]
