"""Read side of the staff app: who is on duty, expiring certificates, roster compliance."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from weibao.contracts.models import Contract
from weibao.core.models import User
from weibao.staff.choices import EDUCATION_RANK
from weibao.staff.models import Certificate, Member, PersonalData, StaffingRule

__all__ = ["RuleResult", "StaffRule", "active_members", "certificates_expiring", "compliance",
           "contract_compliance", "contract_rules", "due_days", "education_of", "on_duty",
           "satisfies"]


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
    education: str | None = None


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
    members = list(active_members(contract, on).select_related("personal")
                   .prefetch_related("certificates"))
    return [RuleResult(rule, sum(1 for m in members if satisfies(m, rule, on)))
            for rule in rules]


def education_of(member: Member) -> str:
    try:
        return member.personal.education
    except PersonalData.DoesNotExist:
        return ""


def satisfies(member: Member, rule: StaffRule, on: datetime.date) -> bool:
    """Whether ``member`` counts for ``rule`` on day ``on`` (certificates prefetched)."""
    if rule.resident is not None and member.resident != rule.resident:
        return False
    if rule.role is not None and member.role != rule.role:
        return False
    if rule.education is not None and (EDUCATION_RANK.get(education_of(member), 0)
                                       < EDUCATION_RANK[rule.education]):
        return False
    return rule.certificate is None or any(
        rule.certificate in c.name and (c.expires_on is None or c.expires_on >= on)
        for c in member.certificates.all())


def contract_rules(contract: Contract) -> list[StaffRule]:
    """The contract's rules from its spec's ``staffing`` section."""
    return [StaffRule(minimum=r.minimum, resident=r.resident, role=r.role or None,
                      certificate=r.certificate or None, label=r.label,
                      education=r.education or None)
            for r in StaffingRule.objects.filter(contract=contract)]


def contract_compliance(contract: Contract, on: datetime.date) -> list[RuleResult]:
    """Live compliance of the contract's team with its spec's rules on day ``on``."""
    return compliance(contract, contract_rules(contract), on)


def due_days(member: Member, required: list[Any]) -> dict[int, datetime.date | None]:
    """The day each required paper with ``within_working_days`` is due for ``member``: that
    many working days of the contract calendar after their arrival (STF-03)."""
    from weibao.maintenance.schedule import contract_working_days

    result: dict[int, datetime.date | None] = {}
    calendar = None
    for req in required:
        if not req.within_working_days:
            result[req.pk] = None
            continue
        calendar = calendar or contract_working_days(member.contract)
        day, counted = member.starts_on, 0
        while counted < req.within_working_days:
            day += datetime.timedelta(days=1)
            counted += 1 if calendar(day) else 0
        result[req.pk] = day
    return result
