"""Demo data: a few months of clearly fictitious tickets on the four example contracts.

``weibao demo`` imports the example specs and runs the sites, assets and spares demos first,
then calls :func:`load_demo`. Every ticket goes through the real services
(``services.create_ticket`` and ``services.transition`` with explicit past times), so its SLA
stages, breaches and timeline are exactly what the platform computes for real work; at the end
``services.scan_alerts`` records the warnings and breaches once (SLA-10).

History: the last four months of each contract's period up to today, mostly closed in time,
some late (breaches), a few paused (SLA-09), a few with the purchaser's raised priority
(TKT-03) and a few left open. A contract still running today also gets tickets reported
today, so the work board shows live clocks. Titles start with 示例, reporters are 测试联系人.
Running it again changes nothing: a contract that already has demo tickets is skipped.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from weibao.assets.models import Asset
from weibao.contracts.models import Contract
from weibao.core.audit import acting_as
from weibao.core.choices import Role
from weibao.core.models import User
from weibao.core.services import save_user
from weibao.sites.models import Site
from weibao.sla.selectors import cached_contract_policy
from weibao.tickets import services
from weibao.tickets.choices import Priority
from weibao.tickets.models import Ticket, TicketEvent, TicketType

__all__ = ["DEMO_PLAN", "TITLE_PREFIX", "load_demo"]

TITLE_PREFIX = "示例："
SHANGHAI = ZoneInfo("Asia/Shanghai")
HISTORY_DAYS = 120


@dataclass(frozen=True)
class Plan:
    """How many tickets a contract gets and how its work usually runs."""

    example: str  # file in examples/contracts (its contract number is read from there)
    history: int  # tickets over the last HISTORY_DAYS of the period
    today: int  # open tickets reported today, if the contract is running
    channels: tuple[str, ...]
    respond: tuple[int, int]  # usual minutes to acknowledge
    late_respond: tuple[int, int]  # minutes when it is late
    onsite_share: float  # share of faults that need someone on site
    arrive: tuple[int, int]  # minutes from the on-site request to arrival
    late_arrive: tuple[int, int]
    fix: tuple[int, int]  # minutes of work until restored
    office_hours: bool  # reports come in during office hours only


DEMO_PLAN = (
    Plan("000-shanghai-sbk-outlets.yaml", 150, 0, ("phone", "phone", "web"), (10, 90),
         (200, 320), 0.5, (40, 120), (200, 300), (20, 120), True),
    Plan("001-changzhou-hrss-onsite.yaml", 60, 0, ("phone", "onsite"), (2, 10), (20, 40),
         1.0, (5, 30), (50, 80), (30, 240), False),
    Plan("002-shanghai-hrss-ca-integration.yaml", 130, 0, ("phone", "remote", "email"),
         (2, 13), (16, 45), 0.45, (40, 150), (200, 300), (20, 180), False),
    Plan("004-qingpu-egov-cloud.yaml", 90, 16, ("email", "wechat", "sms", "phone"),
         (30, 1500), (5800, 8000), 0.0, (0, 0), (0, 0), (60, 1440), True),
)

TITLES = {
    "fault": ["示例：读卡机无法读卡", "示例：制卡打印机卡纸", "示例：业务系统登录超时",
              "示例：网络中断", "示例：UPS 告警", "示例：高拍仪无图像", "示例：数据库连接池耗尽",
              "示例：证书签名服务报错"],
    "service_request": ["示例：新增网点账号", "示例：导出业务报表", "示例：更换显示器",
                        "示例：咨询证书续期流程"],
    "security_incident": ["示例：异常登录告警", "示例：疑似病毒感染终端"],
    "other": ["示例：重大活动保障值守"],
    "requirement_change": ["示例：报表增加统计口径"],
}


def _examples_dir() -> Path:
    from weibao.core.management.commands.demo import default_examples_dir

    return default_examples_dir()


def _people(contract: Contract) -> dict[str, User] | None:
    """The contract's demo accounts, named as ``weibao demo`` names them (it sets their
    passwords afterwards): ``<org code>-purchaser`` / ``-engineer`` / ``-manager``."""
    if contract.vendor is None or contract.purchaser is None:
        return None
    wanted = {"purchaser": (contract.purchaser.organisation, Role.PURCHASER_STAFF),
              "engineer": (contract.vendor.organisation, Role.VENDOR_ENGINEER),
              "manager": (contract.vendor.organisation, Role.VENDOR_MANAGER)}
    people = {}
    for slug, (org, role) in wanted.items():
        username = f"{org.code}-{slug}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = save_user({"username": username, "organisation": org, "role": role,
                              "first_name": f"{org.short_name or org.name}演示{slug}"[:150],
                              "email": f"{username}@example.com", "is_active": True})
        people[slug] = user
    return people


class _Builder:
    """Walks one ticket through its lifecycle at given times; stops at the first refusal."""

    def __init__(self, rng: random.Random, people: dict[str, User], ticket: Ticket,
                 now: datetime.datetime) -> None:
        self.rng, self.people, self.ticket, self.now = rng, people, ticket, now
        self.time = ticket.reported_at
        self.ok = True

    def step(self, action: str, minutes: float, who: str = "engineer", *,
             entered_after: float = 0, **extra: Any) -> bool:
        """Take ``action`` ``minutes`` after the previous step; ``entered_after`` minutes
        later than it happened (a claimed time the purchaser confirms, issue 15 item 6)."""
        when = self.time + datetime.timedelta(minutes=minutes)
        entered = when + datetime.timedelta(minutes=entered_after)
        if not self.ok or entered > self.now:
            self.ok = False
            return False
        try:
            self.ticket = services.transition(self.ticket, action, self.people[who], at=when,
                                              now=entered, **extra)
        except (ValidationError, PermissionDenied, services.TicketConflict):
            self.ok = False
            return False
        self.time = max(when, entered) if entered_after else when
        return True

    def decide_claims(self, confirm: bool) -> None:
        """The purchaser confirms (or rejects) the ticket's pending claimed times."""
        for event in TicketEvent.objects.filter(ticket=self.ticket, claim_status="pending"):
            when = self.time + datetime.timedelta(minutes=30)
            if when > self.now:
                return
            self.ticket = services.decide_claim(
                event, confirm, self.people["purchaser"], now=when,
                comment="" if confirm else "通话记录与声称时间不符（演示）")

    def pause(self, states: tuple[str, ...], minutes: float, length: float) -> None:
        start = self.time + datetime.timedelta(minutes=minutes)
        end = start + datetime.timedelta(minutes=length)
        if not states or not self.ok or end > self.now:
            return
        engineer = self.people["engineer"]
        self.ticket = services.pause(self.ticket, states[0], "等待甲方确认现场（演示）",
                                     engineer, at=start, now=start)
        self.ticket = services.resume(self.ticket, engineer, at=end, now=end)
        self.time = end

    def accept(self) -> None:
        """The engineer takes the ticket when acknowledging it."""
        services.accept(self.ticket, self.people["engineer"])
        TicketEvent.objects.filter(ticket=self.ticket, action="accept").update(
            occurred_at=self.time)
        self.ticket.refresh_from_db()


def is_workday(day: datetime.date) -> bool:
    """Whether the outlets work that day, by the national calendar (holidays and 调休)."""
    from weibao.calendars.selectors import is_national_working_day

    working = is_national_working_day(day)
    return day.weekday() < 5 if working is None else working


def _report_time(rng: random.Random, start: datetime.datetime, end: datetime.datetime,
                 office_hours: bool) -> datetime.datetime:
    span = (end - start).total_seconds()
    for _ in range(50):
        moment = start + datetime.timedelta(seconds=rng.uniform(0, span))
        local = timezone.localtime(moment, SHANGHAI)
        if not office_hours:
            if rng.random() < 0.75 and not (is_workday(local.date()) and 9 <= local.hour < 17):
                continue  # most reports still arrive during the working day
            return moment.replace(microsecond=0)
        if is_workday(local.date()) and 9 <= local.hour < 16:
            return moment.replace(microsecond=0)
    return start


def _arrival_counts_from_report(ticket: Ticket) -> bool:
    policy = cached_contract_policy(ticket.contract)
    if policy is None:
        return False
    codes = {stage.code for stage in policy.stages
             if stage.start == "reported" and stage.stop == "arrived"}
    return ticket.stages.filter(code__in=codes).exclude(status="no_target").exists()


def _walk(builder: _Builder, plan: Plan, ticket_type: TicketType, pause_states: tuple[str, ...],
          outcome: str) -> None:
    """The usual path of a ticket; ``outcome`` says where it stops: closed, verified,
    restored, submitted or working."""
    rng = builder.rng
    late = rng.random() < 0.08
    category = ticket_type.category
    # A contract whose arrival clock runs from the report (seed 001 L104, seed 002 L7317–7320
    # for its hardware) is asked on site at once; read from the ticket's own stages.
    resident = plan.onsite_share >= 1 or _arrival_counts_from_report(builder.ticket)
    if category == "security_incident" or resident:
        # Seed 002 L7228–7230: the expert's clock runs from the incident; seed 001 L104: the
        # resident team is at its post within 1 h of the request. The purchaser asks at once,
        # before the vendor acknowledges (issue 15 item 5).
        builder.step("request_onsite", rng.randint(1, 10), who="purchaser")
    # Now and then the engineer enters the acknowledgement later, with the time it happened
    # (a claim the purchaser confirms or rejects, issue 15 item 6).
    claimed = rng.random() < 0.05
    if not builder.step("acknowledge", rng.randint(*(plan.late_respond if late
                                                     else plan.respond)),
                        entered_after=rng.randint(20, 60) if claimed else 0):
        return
    builder.accept()
    if claimed and outcome != "working":
        builder.decide_claims(confirm=rng.random() < 0.7)
    if outcome != "working" and rng.random() < 0.06:
        builder.pause(pause_states, rng.randint(3, 20), rng.randint(20, 120))
    onsite = category in ("fault", "security_incident") and rng.random() < plan.onsite_share
    if resident and category != "security_incident":
        # The 1 h counts from the report (seed 001 L104): mostly well inside it.
        slow = rng.random() < 0.08
        usual = plan.arrive if plan.onsite_share >= 1 else (20, 80)
        builder.step("arrive", rng.randint(*(plan.late_arrive if slow else usual)),
                     location="示例现场签到")
    elif category == "security_incident":
        builder.step("arrive", rng.randint(60, 230))
        builder.step("contain", rng.randint(30, 400))
    elif onsite:
        if plan.onsite_share < 1:
            builder.step("start_remote", rng.randint(1, 5))
        builder.step("request_onsite", rng.randint(20, 60), who="purchaser")
        builder.step("depart", rng.randint(3, 15))
        slow = rng.random() < 0.1
        builder.step("arrive", rng.randint(*(plan.late_arrive if slow else plan.arrive)),
                     location="示例现场签到")
    elif category == "fault" and plan.onsite_share:
        builder.step("start_remote", rng.randint(1, 5))
    if outcome == "working":
        return
    # Cleared by phone or remotely: mostly inside the remote window (SLA-03).
    fix = (5, 40) if plan.onsite_share and not onsite and category != "security_incident" \
        and rng.random() < 0.9 else plan.fix
    builder.step("restore", rng.randint(*fix), comment="已恢复（演示）")
    if outcome == "restored":
        return
    if ticket_type.fault_report_required:
        builder.step("submit_report", rng.randint(60, 1800))
        if outcome == "submitted":
            return
        builder.step("verify", rng.randint(120, 2880), who="purchaser")
        if outcome == "verified":
            return
    builder.step("close", rng.randint(5, 120), who="manager")


def _outcome(rng: random.Random) -> str:
    roll = rng.random()
    return ("closed" if roll < 0.84 else "verified" if roll < 0.88 else
            "submitted" if roll < 0.92 else "restored" if roll < 0.96 else "working")


def _load_contract(plan: Plan, contract: Contract, now: datetime.datetime) -> int:
    people = _people(contract)
    types = list(TicketType.objects.filter(contract=contract).order_by("order", "code"))
    if people is None or not types:
        return 0
    policy = cached_contract_policy(contract)
    pause_states = tuple(policy.pause_states) if policy else ()
    sites = list(Site.objects.filter(contract=contract).order_by("code"))
    demo_sites = [s for s in sites if s.code.startswith("demo-")] or sites
    assets = list(Asset.objects.filter(contract=contract,
                                       asset_type__category__in=["hardware", "line"])
                  .order_by("code"))
    rng = random.Random(f"weibao-demo-{plan.example}")
    end = min(now, datetime.datetime.combine(contract.end_date, datetime.time(18),
                                             tzinfo=SHANGHAI)) if contract.end_date else now
    start = end - datetime.timedelta(days=HISTORY_DAYS)
    if contract.start_date:
        start = max(start, datetime.datetime.combine(contract.start_date, datetime.time(8),
                                                     tzinfo=SHANGHAI))
    running = end == now
    weights = [8 if t.category == "fault" else 3 if t.category == "service_request" else 1
               for t in types]
    jobs: list[tuple[datetime.datetime, str]] = [
        (_report_time(rng, start, end - datetime.timedelta(days=1), plan.office_hours),
         _outcome(rng)) for _ in range(plan.history)]
    if running:
        jobs += [(now - datetime.timedelta(minutes=rng.randint(5, 480)),
                  rng.choice(["open", "working", "working", "restored"]))
                 for _ in range(plan.today)]
    made = 0
    for reported_at, outcome in sorted(jobs):
        ticket_type = rng.choices(types, weights)[0]
        raised = rng.random() < 0.05
        site = rng.choice(demo_sites) if demo_sites else None
        chosen = [rng.choice(assets)] if assets and ticket_type.category == "fault" \
            and rng.random() < 0.15 else []
        ticket = services.create_ticket(services.TicketInput(
            contract=contract, ticket_type=ticket_type,
            title=rng.choice(TITLES.get(ticket_type.category, TITLES["fault"])),
            description="演示数据，非真实工单。", channel=rng.choice(plan.channels),
            scope="large" if rng.random() < 0.2 else "small", site=site, assets=chosen,
            reporter_name="测试联系人", reporter_phone="13800000000", reported_at=reported_at,
            priority=Priority.HIGH if raised else Priority.NORMAL,
            priority_reason="甲方领导关注（演示）" if raised else ""),
            actor=people["purchaser"], now=reported_at)
        made += 1
        if outcome != "open":
            _walk(_Builder(rng, people, ticket, now), plan, ticket_type, pause_states, outcome)
    return made


def load_demo(write: Callable[[str], object]) -> None:
    now = timezone.now().replace(microsecond=0)
    total = 0
    with acting_as(None):
        for plan in DEMO_PLAN:
            path = _examples_dir() / plan.example
            if not path.is_file():
                write(f"tickets: {plan.example} not found; skipped.")
                continue
            number = str(yaml.safe_load(path.read_text("utf-8"))["contract"]["number"])
            contract = Contract.objects.filter(number=number).first()
            if contract is None:
                write(f"tickets: contract {number} not found; import the examples first.")
                continue
            if Ticket.objects.filter(contract=contract,
                                     title__startswith=TITLE_PREFIX).exists():
                write(f"tickets: contract {number} already has demo tickets.")
                continue
            with transaction.atomic():
                made = _load_contract(plan, contract, now)
            total += made
            write(f"tickets: {made} demo tickets for contract {number}.")
        warnings, breaches = services.scan_alerts(now)
    write(f"tickets: {total} demo tickets created; {warnings} warnings and {breaches} "
          f"breaches recorded.")
