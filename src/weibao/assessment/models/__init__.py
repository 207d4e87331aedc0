from weibao.assessment.models.assessments import Assessment, AssessmentLine
from weibao.assessment.models.ledger import Breach
from weibao.assessment.models.schemes import AssessmentItem, AssessmentScheme, PenaltyRule

__all__ = ["Assessment", "AssessmentItem", "AssessmentLine", "AssessmentScheme", "Breach",
           "PenaltyRule"]
