"""Reads of the tickets domain: the reporting path's reference data, and the period
attainment of KPI targets (SLA-05)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from weibao.contracts.selectors import visible_contracts
from weibao.core.stamped import TimedCache
from weibao.sites.models import Site
from weibao.sla.choices import StageStatus
from weibao.tickets.models import TicketStage, TicketType

__all__ = ["KpiAttainment", "forget_reporting_sites", "forget_reporting_types",
           "kpi_attainment", "reporting_site", "reporting_type"]

_types: TimedCache[tuple[Any, str, str], TicketType] = TimedCache()
_sites: TimedCache[tuple[int, str], Site] = TimedCache()


def forget_reporting_types(**kwargs: Any) -> None:
    """A ticket type, a contract or a contract party changed in this process."""
    _types.expire()


def forget_reporting_sites(**kwargs: Any) -> None:
    """A site, a district or an area class changed in this process."""
    _sites.expire()


def reporting_site(contract_id: int, code: str) -> Site | None:
    """Site ``code`` of the contract with what the SLA selects on (its area class), kept per
    process like :func:`reporting_type`."""
    return _sites.get((contract_id, code), lambda: (
        Site.objects.select_related("area_class_override", "district__area_class")
        .filter(contract_id=contract_id, code=code).first()))


def _scope(user: Any) -> Any:
    """What decides which contracts ``user`` sees (``ContractQuerySet.visible_to``)."""
    if not (user.is_authenticated and user.is_active):
        return None
    return "all" if user.is_administrator else ("organisation", user.organisation_id)


def reporting_type(user: Any, contract_number: str, code: str) -> TicketType | None:
    """Ticket type ``code`` of contract ``contract_number``, its contract loaded, when the
    user sees that contract (PLT-01); else None. Every report asks this, so an answer is kept
    per process for ``WEIBAO_CACHE_RECHECK_SECONDS`` (:mod:`weibao.core.stamped`); a type,
    contract or party changed here is read again at once."""

    def build() -> TicketType | None:
        return (TicketType.objects.select_related("contract")
                .filter(contract__in=visible_contracts(user), contract__number=contract_number,
                        code=code).first())

    scope = _scope(user)
    if scope is None:
        return build()
    return _types.get((scope, contract_number, code), build)


@dataclass
class KpiAttainment:
    """One KPI target over a period: tickets whose stage stopped in it, how many on time."""

    target: Any  # weibao.sla.policy.Target
    stage_name: str
    on_time: int
    total: int
    met: bool | None  # None: no ticket in the period

    @property
    def rate(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.on_time) * 100 / Decimal(self.total)).quantize(Decimal("0.01"))


def kpi_attainment(contract: Any, start: datetime.datetime,
                   end: datetime.datetime) -> list[KpiAttainment]:
    """SLA-05 (seed 002 §6.1 "3 个工作日内处理完毕 > 95 %"): for each KPI target of the
    contract, the tickets whose stage stopped in ``[start, end)`` under that target, how many
    on time, and whether the KPI is met. One query for all targets."""
    from weibao.sla.policy import kpi_met
    from weibao.sla.selectors import cached_contract_policy

    policy = cached_contract_policy(contract)
    if policy is None:
        return []
    targets = [t for t in policy.targets if t.kpi is not None]
    if not targets:
        return []
    counted = {
        (row["code"], row["target_index"]): (row["on_time"], row["total"])
        for row in TicketStage.objects
        .filter(ticket__contract=contract, stopped_at__gte=start, stopped_at__lt=end,
                target_index__in=[t.index for t in targets])
        .values("code", "target_index")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(status=StageStatus.MET)))
    }
    names = {stage.code: stage.name for stage in policy.stages}
    rows = []
    for target in targets:
        on_time, total = counted.get((target.stage, target.index), (0, 0))
        met = kpi_met(target, on_time, total)
        rows.append(KpiAttainment(target=target, stage_name=names.get(target.stage,
                                                                         target.stage),
                                  on_time=on_time, total=total, met=met))
    return rows
