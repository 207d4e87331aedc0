"""Read side of the staff app: who is on duty, expiring certificates, roster compliance."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from weibao.contracts.models import Contract
from weibao.core.models import User
from weibao.staff.models import Certificate, Member, StaffingRule

__all__ = ["RuleResult", "StaffRule", "active_members", "certificates_expiring", "compliance",
           "contract_compliance", "contract_rules",
           "on_duty"]


def on_duty(contract: Contract, at: datetime.datetime) -> list[User]:
    """The users on duty for ``contract`` at ``at`` (a shift covers [starts_at, ends_at))."""
    return list(User.objects.filter(duty_shifts__contract=contract,
                                    duty_shifts__starts_at__lte=at,
                                    duty_shifts__ends_at__gt=at,
                                    is_active=True).distinct().order_by("pk"))


def active_members(contract: Contract, on: datetime.date) -> QuerySet[Member]:
    """The members on ``contract``'s team on day ``on``."""
    return Member.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on),
                                 contract=contract, starts_on__lte=on)


def certificates_expiring(within_days: int, today: datetime.date,
                          contract: Contract | None = None) -> QuerySet[Certificate]:
    """Certificates of current members expiring in [today, today + within_days] (STF-02):
    the service behind the "certificate expiring" notification."""
    if within_days < 0:
        raise ValueError("within_days must not be negative / 天数不能为负数")
    qs = Certificate.objects.filter(
        expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=within_days),
    ).filter(Q(member__ends_on__isnull=True) | Q(member__ends_on__gte=today))
    if contract is not None:
        qs = qs.filter(member__contract=contract)
    return qs.select_related("member", "member__contract").order_by("expires_on", "pk")


@dataclass(frozen=True)
class StaffRule:
    """A minimum count of the team: ``minimum`` members, restricted to residents, to a role
    and/or to holders of a valid certificate whose name contains ``certificate``."""

    minimum: int
    resident: bool | None = None
    role: str | None = None
    certificate: str | None = None
    label: str = ""


@dataclass(frozen=True)
class RuleResult:
    rule: StaffRule
    count: int

    @property
    def shortfall(self) -> int:
        return max(0, self.rule.minimum - self.count)

    @property
    def ok(self) -> bool:
        return self.shortfall == 0

    def __str__(self) -> str:
        text = f"≥{self.rule.minimum} {self.rule.label}: {self.count}".strip()
        return text if self.ok else f"{text} — short by {self.shortfall}"


def compliance(contract: Contract, rules: list[StaffRule],
               on: datetime.date) -> list[RuleResult]:
    """Live compliance of the team on day ``on`` with each rule (STF-01); one query."""
    members = list(active_members(contract, on).prefetch_related("certificates"))
    results = []
    for rule in rules:
        count = 0
        for m in members:
            if rule.resident is not None and m.resident != rule.resident:
                continue
            if rule.role is not None and m.role != rule.role:
                continue
            if rule.certificate is not None and not any(
                    rule.certificate in c.name and (c.expires_on is None or c.expires_on >= on)
                    for c in m.certificates.all()):
                continue
            count += 1
        results.append(RuleResult(rule, count))
    return results


def contract_rules(contract: Contract) -> list[StaffRule]:
    """The contract's rules from its spec's ``staffing`` section."""
    return [StaffRule(minimum=r.minimum, resident=r.resident, role=r.role or None,
                      certificate=r.certificate or None, label=r.label)
            for r in StaffingRule.objects.filter(contract=contract)]


def contract_compliance(contract: Contract, on: datetime.date) -> list[RuleResult]:
    """Live compliance of the contract's team with its spec's rules on day ``on``."""
    return compliance(contract, contract_rules(contract), on)
