"""Reads of the spare-parts domain: scoping (PLT-01), compliance (SPR-01), budget (SPR-03).

Compliance and budget figures are aggregates: a fixed number of queries whatever the number of
sites, part types or movements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from weibao.contracts.models import Contract
from weibao.contracts.selectors import scope_to_user
from weibao.sites.choices import SiteStatus
from weibao.sites.models import Site
from weibao.spares.choices import ComplianceStatus, Condition, MovementKind, ReferenceKind
from weibao.spares.models import (
    BudgetCap,
    PartType,
    RatioRule,
    StandbyLoan,
    StockBalance,
    StockMovement,
    Warehouse,
)

__all__ = [
    "CapState",
    "ComplianceRow",
    "cap_consumption",
    "cap_states",
    "compliance",
    "open_loans",
    "required_quantity",
    "stock_by_warehouse",
    "visible",
]


def visible(model: type[Any], user: Any) -> QuerySet[Any]:
    """PLT-01: the rows of ``model`` that belong to the user's contracts."""
    return scope_to_user(model.objects.all(), user)


def required_quantity(ratio: Decimal, sites: int) -> int:
    """SPR-01: ceil(ratio × sites), exact in Decimal (10% of 31 sites = 4, not 3.1000001)."""
    return int((Decimal(ratio) * sites).to_integral_value(rounding=ROUND_CEILING))


@dataclass
class ComplianceRow:
    part_type: PartType
    rules: list[tuple[RatioRule, int, int]]  # (rule, sites in scope, required)
    required: int
    on_hand: int

    @property
    def shortfall(self) -> int:
        return max(self.required - self.on_hand, 0)

    @property
    def status(self) -> ComplianceStatus:
        if not self.rules:
            return ComplianceStatus.NONE_REQUIRED
        return ComplianceStatus.SHORT if self.shortfall else ComplianceStatus.OK


def compliance(contract: Contract) -> list[ComplianceRow]:
    """Per part type: required stock from the ratio rules, new parts on hand in all the
    contract's warehouses, shortfall. Four queries, whatever the number of sites."""
    part_types = list(PartType.objects.filter(contract=contract))
    rules = list(RatioRule.objects.filter(contract=contract).select_related("site_type"))
    counts: dict[int | None, int] = {
        row["site_type"]: row["n"]
        for row in Site.objects.filter(contract=contract, status=SiteStatus.ACTIVE)
        .values("site_type").annotate(n=Count("pk")).order_by()}
    all_sites = sum(counts.values())
    on_hand = dict(
        StockBalance.objects.filter(contract=contract, condition=Condition.NEW)
        .values("part_type").annotate(n=Sum("on_hand")).order_by()
        .values_list("part_type", "n"))
    by_type: dict[int, list[tuple[RatioRule, int, int]]] = defaultdict(list)
    for rule in rules:
        sites = all_sites if rule.site_type_id is None else counts.get(rule.site_type_id, 0)
        by_type[rule.part_type_id].append((rule, sites, required_quantity(rule.ratio, sites)))
    return [
        ComplianceRow(part_type=pt, rules=by_type.get(pt.pk, []),
                      required=sum(r[2] for r in by_type.get(pt.pk, [])),
                      on_hand=on_hand.get(pt.pk) or 0)
        for pt in part_types
    ]


def cap_consumption(caps: Iterable[BudgetCap]) -> dict[int, Decimal]:
    """SPR-03: consumption of each cap = the amounts of the issues of its part types, standby
    loans excepted (the unit comes back). Returning the faulty part taken out does not reduce
    it: the new part was used up. Issues beyond the cap with a proposal count too. One query."""
    ids = [cap.pk for cap in caps]
    if not ids:
        return {}
    rows = (StockMovement.objects.filter(kind=MovementKind.ISSUE,
                                         part_type__budget_caps__in=ids)
            .exclude(reference_kind=ReferenceKind.STANDBY)
            .values("part_type__budget_caps").annotate(total=Sum("amount")).order_by())
    return {row["part_type__budget_caps"]: row["total"] or Decimal(0) for row in rows}


@dataclass
class CapState:
    cap: BudgetCap
    used: Decimal

    @property
    def limit(self) -> Decimal | None:
        return self.cap.cap

    @property
    def percent_used(self) -> int | None:
        if not self.limit:
            return None
        return int(self.used * 100 / self.limit)

    @property
    def over(self) -> bool:
        return self.limit is not None and self.used > self.limit


def cap_states(contract: Contract) -> list[CapState]:
    caps = list(BudgetCap.objects.filter(contract=contract).prefetch_related("part_types"))
    used = cap_consumption(caps)
    return [CapState(cap=cap, used=used.get(cap.pk, Decimal(0))) for cap in caps]


def open_loans(contract: Contract) -> QuerySet[StandbyLoan]:
    return StandbyLoan.objects.filter(contract=contract, returned_at__isnull=True) \
        .select_related("site", "part_type", "warehouse")


def stock_by_warehouse(contract: Contract) -> list[tuple[Warehouse, list[StockBalance]]]:
    balances = StockBalance.objects.filter(contract=contract, on_hand__gt=0) \
        .select_related("part_type").order_by("warehouse", "part_type__order", "part_type__code",
                                              "condition")
    grouped: dict[int, list[StockBalance]] = defaultdict(list)
    for balance in balances:
        grouped[balance.warehouse_id].append(balance)
    return [(w, grouped.get(w.pk, [])) for w in Warehouse.objects.filter(contract=contract)
            .select_related("site")]
