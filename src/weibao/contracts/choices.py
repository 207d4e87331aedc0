"""Choices of the contracts domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AmountBasis",
    "BondStatus",
    "ContractEventKind",
    "ContractStatus",
    "DocumentType",
    "EventSource",
    "MilestoneTrigger",
    "OffsetUnit",
    "PartyRole",
    "TriggerEvent",
]


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    TERMINATED = "terminated", _("Terminated")


class PartyRole(models.TextChoices):
    PURCHASER = "purchaser", _("Purchaser (甲方)")
    VENDOR = "vendor", _("Vendor (乙方)")
    SUPERVISOR = "supervisor", _("Supervisor (监理方)")
    SITE_OWNER = "site_owner", _("Site owner")


class DocumentType(models.TextChoices):
    CONTRACT_TEXT = "contract_text", _("Contract text")
    BID_WINNING_NOTICE = "bid_winning_notice", _("Bid-winning notice (中标通知书)")
    TENDER = "tender", _("Tender documents (招标文件)")
    BID = "bid", _("Bid documents (投标文件)")
    USER_REQUIREMENTS = "user_requirements", _("User requirements (用户需求书)")
    INTEGRITY_AGREEMENT = "integrity_agreement", _("Integrity agreement (廉洁协议)")
    CONFIDENTIALITY_AGREEMENT = "confidentiality_agreement", _(
        "Confidentiality agreement (保密协议)"
    )
    SECURITY_COMMITMENT_COMPANY = "security_commitment_company", _(
        "Security commitment letter, company (安全承诺书-公司)"
    )
    SECURITY_COMMITMENT_PERSONAL = "security_commitment_personal", _(
        "Security commitment letter, personal (安全承诺书-个人)"
    )
    AMENDMENT = "amendment", _("Amendment (合同变更)")
    BOND_RECEIPT = "bond_receipt", _("Performance bond receipt")
    INVOICE = "invoice", _("Invoice")
    OTHER = "other", _("Other")


class MilestoneTrigger(models.TextChoices):
    """PAY-01: what makes a payment milestone due."""

    ON_SIGNING = "on_signing", _("On signing")
    AFTER_BOND = "after_bond", _("After the performance bond is received")
    BY_DATE = "by_date", _("By a date")
    AFTER_EVENT = "after_event", _("A period after an event")
    AFTER_ASSESSMENT = "after_assessment", _("After the assessment")
    AFTER_ACCEPTANCE = "after_acceptance", _("After final acceptance")
    AFTER_DELIVERABLE = "after_deliverable", _("After a deliverable is accepted")


class AmountBasis(models.TextChoices):
    """PAY-01, PAY-03: what a milestone's amount is."""

    PERCENT = "percent", _("Percent of the contract amount")
    FINAL_PRICE = "final_price", _("Final price minus the earlier milestones")
    APPROVED_BUDGET = "approved_budget", _("Approved budget of the year minus the earlier "
                                           "milestones")


class ContractEventKind(models.TextChoices):
    """Dated facts of a contract that payment milestones wait for (PAY-01, PAY-03)."""

    FINAL_ASSESSMENT = "final_assessment", _("Final assessment")
    FINAL_ACCEPTANCE = "final_acceptance", _("Final acceptance")
    APPROVED_BUDGET = "approved_budget", _("Approved budget of a year")
    DELIVERABLE_ACCEPTED = "deliverable_accepted", _("Deliverable accepted")


class EventSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")


class TriggerEvent(models.TextChoices):
    SIGNING = "signing", _("Contract signing")
    INVOICE = "invoice", _("Invoice received")
    BOND = "bond", _("Performance bond received")
    SERVICE_START = "service_start", _("Service start")
    SERVICE_END = "service_end", _("Service end")
    ASSESSMENT = "assessment", _("Final assessment")
    ACCEPTANCE = "acceptance", _("Final acceptance")


class OffsetUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    MONTHS = "months", _("months")


class BondStatus(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    RECEIVED = "received", _("Received")
    RETURNED = "returned", _("Returned")
