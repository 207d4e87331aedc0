"""Services of the work a ticket produces (TKT-06..09): the fault report and its review,
satisfaction and return visits, requirement changes, and the knowledge base."""

from weibao.tickets.services.work.changes import (
    BudgetUse,
    budget_consumption,
    decide_change,
    dispute_change,
    save_requirement_change,
)
from weibao.tickets.services.work.feedback import (
    ContractSatisfaction,
    rate_ticket,
    record_return_visit,
    satisfaction_summary,
)
from weibao.tickets.services.work.knowledge import (
    ArticleInput,
    article_from_report,
    delete_article,
    link_article,
    save_article,
    search_text_for,
    unlink_article,
)
from weibao.tickets.services.work.reports import (
    approve_report,
    decode_signature,
    issue_parts,
    reject_report,
    report_movements,
    save_report,
    submit_report,
)

__all__ = ["ArticleInput", "BudgetUse", "ContractSatisfaction", "approve_report",
           "article_from_report", "budget_consumption", "decide_change", "decode_signature",
           "delete_article", "dispute_change", "issue_parts", "link_article", "rate_ticket",
           "record_return_visit", "reject_report", "report_movements", "satisfaction_summary",
           "save_article", "save_report", "save_requirement_change", "search_text_for",
           "submit_report", "unlink_article"]
