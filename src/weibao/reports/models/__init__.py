from weibao.reports.models.obligations import Deliverable, ReportTemplate
from weibao.reports.models.submissions import (
    GenerationJob,
    ReportFile,
    Submission,
    SubmissionEvent,
)

__all__ = ["Deliverable", "GenerationJob", "ReportFile", "ReportTemplate", "Submission",
           "SubmissionEvent"]
