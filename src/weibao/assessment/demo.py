"""Demo data of the assessment domain (ASM-03, ASM-06), after the other domains' demo data:

- the breach ledger takes in every breach those records prove (SLA stages missed, visits
  missed, reports late); on seed 000 the purchaser waives one of them with a reason, so the
  ledger shows a waived breach that keeps its record and drops its penalty;
- seed 001 (weighted score, every item scored by the purchaser): the first half-year's
  assessment is computed, the purchaser enters each item's points with how they were
  established, and the vendor's manager agrees with four items and disputes the attendance
  score, then submits the review — the purchaser confirms it in the demo (and decides the
  disputed item, the contract having no supervisor party).

Everything goes through the services. Running it again changes nothing: a contract that
already has assessments, or a waived breach, is left as it is."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from weibao.assessment.choices import BreachStatus
from weibao.assessment.models import Assessment, AssessmentLine, Breach
from weibao.assessment.services import cycle
from weibao.assessment.services.ledger import sync_ledger, waive_breach
from weibao.contracts.models import Contract
from weibao.core.audit import acting_as
from weibao.core.choices import Role
from weibao.reports.demo import demo_person

__all__ = ["CONTRACTS", "DISPUTE", "POINTS", "load_demo"]

CONTRACTS = {"000": "11N4252038312025801", "001": "20241149308"}
#: The purchaser's points for seed 001's first half-year: 80 in all, a factor of 90 %.
POINTS = {"daily-maintenance": Decimal(17), "responsiveness": Decimal(8),
          "completion-rate": Decimal(17), "satisfaction-rate": Decimal(16),
          "attendance": Decimal(22)}
DISPUTE = "attendance"
_NOTE = "按甲方月度考核表核定（演示）"
_DISPUTE_COMMENT = "3 月两天调休已提前报备，不应计为缺勤（演示）"
_WAIVE_REASON = "网点停电，非乙方原因，甲方同意免除（演示）"


def _waive_one(contract: Contract) -> int:
    if Breach.objects.filter(contract=contract, status=BreachStatus.WAIVED).exists():
        return 0
    breach = (Breach.objects.filter(contract=contract, status=BreachStatus.RECORDED)
              .order_by("occurred_at", "pk").first())
    if breach is None or contract.purchaser is None:
        return 0
    purchaser = demo_person(contract.purchaser.organisation, "purchaser", Role.PURCHASER_STAFF)
    waive_breach(breach, purchaser, _WAIVE_REASON)
    return 1


def _half_year(contract: Contract) -> int:
    if (Assessment.objects.filter(contract=contract).exists() or contract.vendor is None
            or contract.purchaser is None or not hasattr(contract, "assessment_scheme")):
        return 0
    purchaser = demo_person(contract.purchaser.organisation, "purchaser", Role.PURCHASER_STAFF)
    vendor = demo_person(contract.vendor.organisation, "manager", Role.VENDOR_MANAGER)
    start = contract.start_date
    end = (start.replace(month=start.month + 6) if start.month <= 6
           else start.replace(year=start.year + 1, month=start.month - 6))
    end -= datetime.timedelta(days=1)
    assessment = cycle.compute(cycle.create_assessment(contract, purchaser, start, end),
                               purchaser)
    lines = list(AssessmentLine.objects.filter(assessment=assessment).select_related("item"))
    for line in lines:
        if line.item.code in POINTS:
            cycle.enter_manual(line, purchaser, points=POINTS[line.item.code], note=_NOTE)
    for line in lines:
        disputed = line.item.code == DISPUTE
        cycle.review_line(line, vendor, agree=not disputed,
                          comment=_DISPUTE_COMMENT if disputed else "")
    cycle.submit_review(assessment, vendor)
    return 1


def load_demo(write: Callable[[str], object]) -> None:
    entered = sync_ledger()
    write(f"assessment: {entered} breaches entered in the ledger")
    contracts = {c.number: c for c in Contract.objects.filter(number__in=CONTRACTS.values())}
    with acting_as(None), transaction.atomic():
        waived = _waive_one(contracts[CONTRACTS["000"]]) if CONTRACTS["000"] in contracts else 0
        made = _half_year(contracts[CONTRACTS["001"]]) if CONTRACTS["001"] in contracts else 0
    write(f"assessment: {waived} breach waived, {made} half-year assessment reviewed by the "
          "vendor")
