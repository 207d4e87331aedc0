"""Visits from plans (PM-01, PM-03..07, PM-09): generating them ahead of time, assigning
engineers, re-planning when sites, plans or events change, and a manager's moves,
reassignments and cancellations.

Generation is idempotent: a visit's ``key`` (target + window, :func:`schedule.visit_key`) is
unique per plan, existing keys are read once per contract and only missing visits are
inserted (``bulk_create`` with ``ignore_conflicts``, under a lock on the contract row, so two
workers running at once create each visit once). Re-planning only touches visits whose
window has not started and that are still ``planned``: a visit started, done or missed is
history and never changes here.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.assets.choices import AssetStatus
from weibao.assets.models import Asset, AssetType
from weibao.contracts.choices import ContractStatus, PartyRole
from weibao.contracts.models import Contract, ContractParty
from weibao.core.choices import Role
from weibao.core.models import User
from weibao.maintenance.choices import Frequency, PlanScope, VisitStatus
from weibao.maintenance.models import (
    OPEN_STATES,
    EngineerArea,
    MaintenancePlan,
    MajorEvent,
    Visit,
)
from weibao.maintenance.schedule import (
    Window,
    WorkingDays,
    contract_working_days,
    day_bounds,
    local_zone,
    visit_key,
    windows,
)
from weibao.maintenance.services.errors import StaleVisit, VisitConflict
from weibao.sites.choices import SiteStatus
from weibao.sites.models import District, Site

__all__ = ["GenerationResult", "cancel_visit", "check_major_event", "create_visit",
           "generate_visits", "move_visit", "reassign_visit", "record_major_event",
           "set_engineer_areas"]

#: How far back a window containing today may start, per frequency (days).
_LOOKBACK = {Frequency.DAILY: 1, Frequency.WEEKLY: 7, Frequency.MONTHLY: 31,
             Frequency.QUARTERLY: 92, Frequency.HALF_YEARLY: 184, Frequency.YEARLY: 366,
             Frequency.BEFORE_EVENT: 1}
#: Marks the key of a visit made by hand; re-planning leaves such visits alone.
MANUAL = "manual"
_CHUNK = 500
#: Contracts whose plans generate visits: in force, or being prepared (a draft, like the
#: synthetic seed 002); a terminated contract has no future visits.
LIVE_CONTRACTS = (ContractStatus.SIGNED, ContractStatus.DRAFT)


@dataclass
class GenerationResult:
    """What one run did: visits created, cancelled by re-planning, brought back (cancelled
    by re-planning earlier and wanted again), already there (unchanged), and existing visits
    that got an engineer."""

    created: int = 0
    cancelled: int = 0
    restored: int = 0
    unchanged: int = 0
    assigned: int = 0
    contracts: int = 0

    def add(self, other: GenerationResult) -> None:
        self.created += other.created
        self.cancelled += other.cancelled
        self.restored += other.restored
        self.unchanged += other.unchanged
        self.assigned += other.assigned
        self.contracts += other.contracts


@dataclass(frozen=True)
class _Target:
    """What one visit covers: ``name`` is the key's prefix (``site:12``, ``asset:7``,
    ``contract``); ``order`` sorts targets deterministically."""

    name: str
    site_id: int | None
    asset_id: int | None
    district_id: int | None
    order: str


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


def _local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(local_zone()).date()


# --- the contract's facts, read once per run --------------------------------------------------

@dataclass
class _Context:
    contract: Contract
    today: datetime.date
    cut: datetime.datetime
    working_days: WorkingDays
    events: list[MajorEvent]
    _sites: list[tuple[int, int, int | None, str, str]] | None = None
    _assets: list[tuple[int, int, int | None, int | None, str]] | None = None
    _types: dict[int, int | None] | None = None
    _people: list[tuple[int, str]] | None = None
    _areas: dict[int, set[int]] | None = None
    #: (assignee, window start, window end, open visits) of the contract's open visits.
    load_rows: list[tuple[int, datetime.datetime, datetime.datetime, int]] = field(
        default_factory=list)

    @classmethod
    def build(cls, contract: Contract, today: datetime.date) -> _Context:
        cut = day_bounds(today)[0]
        context = cls(contract, today, cut, contract_working_days(contract),
                      list(MajorEvent.objects.filter(contract=contract)))
        context.load_rows = [
            (row["assignee_id"], row["window_start"], row["window_end"], row["n"])
            for row in Visit.objects.filter(contract=contract, status__in=OPEN_STATES,
                                            window_end__gt=cut, assignee__isnull=False)
            .values("assignee_id", "window_start", "window_end").annotate(n=Count("id"))
            .order_by()]
        return context

    # targets

    def sites(self) -> list[tuple[int, int, int | None, str, str]]:
        if self._sites is None:
            self._sites = list(Site.objects.filter(contract=self.contract).values_list(
                "pk", "site_type_id", "district_id", "status", "code"))
        return self._sites

    def asset_type_closure(self, roots: set[int]) -> set[int]:
        """The types and every type below them (the asset type tree, AST-01)."""
        if self._types is None:
            self._types = dict(AssetType.objects.filter(contract=self.contract)
                               .values_list("pk", "parent_id"))
        found = set(roots)
        changed = True
        while changed:
            grown = {pk for pk, parent in self._types.items() if parent in found} - found
            found |= grown
            changed = bool(grown)
        return found

    def assets(self) -> list[tuple[int, int, int | None, int | None, str]]:
        if self._assets is None:
            self._assets = [
                (pk, type_id, site_id, district_id, str(code or pk))
                for pk, type_id, site_id, district_id, code in Asset.objects.filter(
                    contract=self.contract, status=AssetStatus.IN_SERVICE).values_list(
                    "pk", "asset_type_id", "site_id", "site__district_id", "code")]
        return self._assets

    def targets(self, plan: MaintenancePlan) -> list[_Target]:
        """The plan's scope today: active sites of its site types (all types when it names
        none), in-service assets of its asset types and their sub-types, or the contract."""
        if plan.scope == PlanScope.CONTRACT:
            return [_Target("contract", None, None, None, "")]
        if plan.scope == PlanScope.SITE:
            kinds = {t.pk for t in plan.site_types.all()}
            return [_Target(f"site:{pk}", pk, None, district, code)
                    for pk, kind, district, status, code in self.sites()
                    if status == SiteStatus.ACTIVE and (not kinds or kind in kinds)]
        roots = {t.pk for t in plan.asset_types.all()}
        kinds = self.asset_type_closure(roots) if roots else set()
        return [_Target(f"asset:{pk}", site, pk, district, code)
                for pk, kind, site, district, code in self.assets()
                if not kinds or kind in kinds]

    # people

    def people(self) -> list[tuple[int, str]]:
        """Active users of the contract's vendor: (pk, role)."""
        if self._people is None:
            vendors = ContractParty.objects.filter(contract=self.contract,
                                                   role=PartyRole.VENDOR).values("organisation_id")
            self._people = list(User.objects.filter(organisation_id__in=vendors, is_active=True)
                                .order_by("pk").values_list("pk", "role"))
        return self._people

    def areas(self) -> dict[int, set[int]]:
        """District → its engineers."""
        if self._areas is None:
            self._areas = defaultdict(set)
            for district, engineer in EngineerArea.objects.filter(
                    contract=self.contract).values_list("district_id", "engineer_id"):
                self._areas[district].add(engineer)
        return self._areas

    def candidates(self, plan: MaintenancePlan) -> list[int]:
        roles = set(plan.performer_roles or [Role.VENDOR_ENGINEER])
        return [pk for pk, role in self.people() if role in roles]

    def load(self, window: Window) -> dict[int, int]:
        """Open visits per engineer whose windows overlap ``window``."""
        load: dict[int, int] = defaultdict(int)
        for engineer, start, end, count in self.load_rows:
            if start < window.end and window.start < end:
                load[engineer] += count
        return load


def _assign(context: _Context, plan: MaintenancePlan, window: Window,
            targets: Sequence[_Target]) -> list[int | None]:
    """An engineer for each target: the plan's performers who cover the target's district
    (all of them when none does), the least loaded in the window, the lowest id on a tie."""
    candidates = context.candidates(plan)
    if not candidates:
        return [None] * len(targets)
    allowed = set(candidates)
    load = context.load(window)
    areas = context.areas()
    chosen: list[int | None] = []
    for target in targets:
        local = sorted(areas.get(target.district_id, set()) & allowed) \
            if target.district_id is not None else []
        pool = local or candidates
        engineer = min(pool, key=lambda pk: (load[pk], pk))
        load[engineer] += 1
        chosen.append(engineer)
    added: dict[int, int] = defaultdict(int)
    for picked in chosen:
        if picked is not None:
            added[picked] += 1
    context.load_rows.extend((e, window.start, window.end, n) for e, n in added.items())
    return chosen


def _spread(context: _Context, window: Window, count: int) -> list[datetime.date]:
    """``count`` planned days over the window's working days from today on (all its days
    when it has no working day), evenly, so an engineer's month does not start with every
    visit on the 1st."""
    days = [d for d in window.days() if d >= context.today] or window.days()[-1:]
    working = [d for d in days if context.working_days(d)] or days
    return [working[i * len(working) // count] for i in range(count)]


# --- generation -------------------------------------------------------------------------------

def generate_visits(contract: Contract | None = None, *, today: datetime.date | None = None,
                    horizon_days: int | None = None) -> GenerationResult:
    """Create the visits of every active plan of every signed contract (or of ``contract``)
    from the window containing ``today`` to windows starting ``horizon_days`` ahead
    (``WEIBAO_VISIT_HORIZON_DAYS``), assign engineers, and cancel future planned visits that
    left the plans' scope. Running it again creates nothing new. One transaction per
    contract."""
    now = timezone.now()
    if today is None or today == timezone.localdate(now):
        today = timezone.localdate(now)
    else:  # a run "as of" another day (tests, demo): that day's first moment
        now = day_bounds(today)[0]
    horizon = settings.WEIBAO_VISIT_HORIZON_DAYS if horizon_days is None else horizon_days
    until = today + datetime.timedelta(days=horizon)
    if contract is not None:
        contracts = [contract]
    else:
        contracts = list(Contract.objects.filter(status__in=LIVE_CONTRACTS,
                                                 start_date__lte=until, end_date__gte=today))
    result = GenerationResult()
    for each in contracts:
        result.add(_generate_contract(each, today=today, until=until, now=now))
    return result


_CONTRACT_ENDED = gettext_noop("The contract is no longer in force.")
_PLAN_DEACTIVATED = gettext_noop("The plan was deactivated.")
_OUT_OF_SCOPE = gettext_noop("The site or asset is no longer in the plan's scope.")
_SCHEDULE_CHANGED = gettext_noop("The plan's schedule changed.")


def _automatic_reasons() -> set[str]:
    """The reasons re-planning writes, in every language of the site: a visit cancelled
    with one of them comes back when it is wanted again (a manager's reason never does)."""
    found: set[str] = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.update(_(text) for text in (_CONTRACT_ENDED, _PLAN_DEACTIVATED,
                                              _OUT_OF_SCOPE, _SCHEDULE_CHANGED))
    return found


def _plan_reason(plan: MaintenancePlan, contract: Contract) -> str | None:
    """Why none of the plan's future visits is wanted any more, if so."""
    if contract.status not in LIVE_CONTRACTS:
        return _(_CONTRACT_ENDED)
    if not plan.active:
        return _(_PLAN_DEACTIVATED)
    return None


def _generate_contract(contract: Contract, *, today: datetime.date, until: datetime.date,
                       now: datetime.datetime,
                       plans: Sequence[MaintenancePlan] | None = None) -> GenerationResult:
    result = GenerationResult(contracts=1)
    with transaction.atomic():
        # One generation per contract at a time; FOR NO KEY UPDATE lets other transactions
        # keep inserting rows that reference the contract meanwhile.
        list(Contract.objects.select_for_update(no_key=True).filter(pk=contract.pk)
             .values_list("pk"))
        context = _Context.build(contract, today)
        if plans is None:
            plans = list(MaintenancePlan.objects.filter(contract=contract)
                         .prefetch_related("site_types", "asset_types"))
        existing: dict[int, dict[str, tuple[Any, ...]]] = defaultdict(dict)
        for row in Visit.objects.filter(plan__in=[p.pk for p in plans],
                                        window_end__gt=context.cut).values_list(
                "plan_id", "key", "pk", "status", "window_start", "assignee_id", "site_id",
                "asset_id", "window_end", "cancel_reason"):
            existing[row[0]][row[1]] = row
        new: list[Visit] = []
        restore: list[int] = []
        automatic = _automatic_reasons()
        unassigned: dict[int, list[int]] = defaultdict(list)
        stale: dict[str, list[int]] = defaultdict(list)
        for plan in plans:
            plan.contract = contract
            mine = existing.get(plan.pk, {})
            reason = _plan_reason(plan, contract)
            if reason is None and plan.frequency == Frequency.ON_DEMAND:
                continue  # visits made by hand only; nothing to generate or re-plan
            wanted: dict[str, Any] = {}
            window_keys: set[str] = set()
            targets: list[_Target] = []
            if reason is None:
                found = windows(plan, today - datetime.timedelta(
                    days=_LOOKBACK[Frequency(plan.frequency)]), until,
                    working_days=context.working_days, events=context.events,
                    period=(contract.start_date, contract.end_date))
                found = [w for w in found if w.end > context.cut]
                window_keys = {w.key for w in found}
                targets = sorted(context.targets(plan), key=lambda t: (t.order, t.name))
                for window in found:
                    missing: list[_Target] = []
                    for target in targets:
                        key = visit_key(target.name, window)
                        wanted[key] = True
                        had = mine.get(key)
                        if had is None:
                            missing.append(target)
                            continue
                        if (had[3] == VisitStatus.CANCELLED and had[4] > now
                                and had[9] in automatic):
                            restore.append(had[2])  # wanted again: the site reopened, ...
                        else:
                            result.unchanged += 1
                        if had[5] is None and had[3] in OPEN_STATES:
                            engineer = _assign(context, plan, window, [target])[0]
                            if engineer is not None:
                                unassigned[engineer].append(had[2])
                    if missing:
                        new.extend(_new_visits(context, plan, window, missing))
            in_scope = {t.name for t in targets}
            for key, row in mine.items():
                _plan_id, _key, pk, status, start, _assignee, site_id, asset_id, _end, _why = row
                if status != VisitStatus.PLANNED or start <= now or key in wanted:
                    continue
                if f":{MANUAL}:" in key:
                    if reason is None:
                        continue
                    stale[reason].append(pk)
                    continue
                name = (f"asset:{asset_id}" if asset_id else f"site:{site_id}" if site_id
                        else "contract")
                window_key = key[len(name) + 1:]
                if reason is not None:
                    stale[reason].append(pk)
                elif name not in in_scope:
                    stale[_(_OUT_OF_SCOPE)].append(pk)
                elif _local_day(start) <= until and window_key not in window_keys:
                    stale[_(_SCHEDULE_CHANGED)].append(pk)
        Visit.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        result.created = len(new)
        for engineer, pks in unassigned.items():
            for chunk in _chunks(pks):
                result.assigned += Visit.objects.filter(
                    pk__in=chunk, assignee__isnull=True, status__in=OPEN_STATES).update(
                    assignee_id=engineer, version=F("version") + 1)
        for chunk in _chunks(restore):
            result.restored += Visit.objects.filter(
                pk__in=chunk, status=VisitStatus.CANCELLED, window_start__gt=now).update(
                status=VisitStatus.PLANNED, cancel_reason="", version=F("version") + 1)
        for text, pks in stale.items():
            for chunk in _chunks(pks):
                result.cancelled += Visit.objects.filter(
                    pk__in=chunk, status=VisitStatus.PLANNED, window_start__gt=now).update(
                    status=VisitStatus.CANCELLED, cancel_reason=text,
                    version=F("version") + 1)
    return result


def _new_visits(context: _Context, plan: MaintenancePlan, window: Window,
                targets: Sequence[_Target]) -> list[Visit]:
    engineers = _assign(context, plan, window, targets)
    groups: dict[Any, list[int]] = defaultdict(list)
    for i, (target, engineer) in enumerate(zip(targets, engineers, strict=True)):
        groups[engineer if engineer is not None else ("district", target.district_id)].append(i)
    planned: list[datetime.date | None] = [None] * len(targets)
    for members in groups.values():
        for i, day in zip(members, _spread(context, window, len(members)), strict=True):
            planned[i] = day
    return [Visit(contract_id=context.contract.pk, plan=plan, key=visit_key(t.name, window),
                  site_id=t.site_id, asset_id=t.asset_id, event_id=window.event_id,
                  slot=window.slot, window_start=window.start, window_end=window.end,
                  planned_for=planned[i], assignee_id=engineers[i])
            for i, t in enumerate(targets)]


# --- by hand ----------------------------------------------------------------------------------

def _require(actor: User, perm: str, obj: Any) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not plan visits of this contract."))


def _vendor_orgs(contract: Contract) -> set[int]:
    return set(ContractParty.objects.filter(contract=contract, role=PartyRole.VENDOR)
               .values_list("organisation_id", flat=True))


def _check_performer(plan: MaintenancePlan, user: User) -> None:
    """The user may carry out the plan's visits: active, of the contract's vendor, with the
    right to do visits, and of one of the plan's roles when it names any."""
    roles = plan.performer_roles
    if (not user.is_active or user.organisation_id not in _vendor_orgs(plan.contract)
            or not user.has_perm("maintenance.perform_visit")
            or (roles and user.role not in roles)):
        raise ValidationError({"assignee": _(
            "%(user)s may not carry out visits of plan %(plan)s.")
            % {"user": user.get_full_name() or user.username, "plan": plan.name}})


def _check_day(visit: Visit, day: datetime.date) -> None:
    days = Window(visit.window_start, visit.window_end).days()
    if not days[0] <= day <= days[-1]:
        raise ValidationError({"planned_for": _(
            "The visit counts only from %(first)s to %(last)s; plan it on one of those days.")
            % {"first": days[0].isoformat(), "last": days[-1].isoformat()}})


def create_visit(plan: MaintenancePlan, actor: User, *, window_start: datetime.datetime,
                 window_end: datetime.datetime, site: Site | None = None,
                 asset: Asset | None = None, assignee: User | None = None,
                 planned_for: datetime.date | None = None) -> Visit:
    """A visit made by hand (an ``on_demand`` plan, or an extra one): for a site, an asset or
    the contract as the plan's scope says. Without ``assignee`` the engineer is chosen as
    generation would; without ``planned_for``, the first working day of the window."""
    _require(actor, "maintenance.add_visit", plan)
    if window_end <= window_start:
        raise ValidationError({"window_end": _("The window must end after it starts.")})
    contract = plan.contract
    errors: dict[str, str] = {}
    if plan.scope == PlanScope.SITE and (site is None or site.contract_id != contract.pk):
        errors["site"] = _("Choose a site of this contract.")
    if plan.scope == PlanScope.ASSET and (asset is None or asset.contract_id != contract.pk):
        errors["asset"] = _("Choose an asset of this contract.")
    if errors:
        raise ValidationError(errors)
    if plan.scope == PlanScope.ASSET and asset is not None:
        site = asset.site
    target = (f"asset:{asset.pk}" if plan.scope == PlanScope.ASSET and asset
              else f"site:{site.pk}" if plan.scope == PlanScope.SITE and site else "contract")
    window = Window(window_start, window_end, "", f"{MANUAL}:{uuid.uuid4().hex[:16]}")
    with transaction.atomic():
        context = _Context.build(contract, timezone.localdate())
        if assignee is not None:
            _check_performer(plan, assignee)
            engineer: int | None = assignee.pk
        else:
            engineer = _assign(context, plan, window, [_Target(
                target, site.pk if site else None, asset.pk if asset else None,
                site.district_id if site else None, "")])[0]
        visit = Visit(contract=contract, plan=plan, key=visit_key(target, window),
                      site=site, asset=asset if plan.scope == PlanScope.ASSET else None,
                      window_start=window_start, window_end=window_end,
                      assignee_id=engineer)
        if planned_for is not None:
            _check_day(visit, planned_for)
            visit.planned_for = planned_for
        else:
            visit.planned_for = _spread(context, window, 1)[0]
        visit.save()
    return visit


def _locked(visit: Visit, actor: User, expected_version: int | None) -> Visit:
    _require(actor, "maintenance.plan_visit", visit)
    locked = (Visit.objects.select_for_update().select_related("plan", "contract")
              .get(pk=visit.pk))
    if expected_version is not None and locked.version != expected_version:
        raise StaleVisit(
            _("The visit was changed by someone else meanwhile (version %(have)s, you had "
              "%(given)s); reload it and try again.")
            % {"have": locked.version, "given": expected_version}, version=locked.version)
    if locked.status not in OPEN_STATES:
        raise VisitConflict(
            _("The visit is %(status)s; only a planned or started visit can be changed.")
            % {"status": locked.get_status_display()}, version=locked.version)
    return locked


def _saved(visit: Visit, *fields: str) -> Visit:
    visit.version += 1
    visit.save(update_fields=[*fields, "version", "updated_at"])
    return visit


def move_visit(visit: Visit, actor: User, *, planned_for: datetime.date,
               expected_version: int | None = None) -> Visit:
    """A manager plans the visit for another day, which must lie inside its window."""
    with transaction.atomic():
        locked = _locked(visit, actor, expected_version)
        _check_day(locked, planned_for)
        locked.planned_for = planned_for
        return _saved(locked, "planned_for")


def reassign_visit(visit: Visit, actor: User, *, assignee: User,
                   expected_version: int | None = None) -> Visit:
    """A manager gives the visit to another engineer, who must be able to carry it out."""
    with transaction.atomic():
        locked = _locked(visit, actor, expected_version)
        _check_performer(locked.plan, assignee)
        locked.assignee = assignee
        return _saved(locked, "assignee")


def cancel_visit(visit: Visit, actor: User, *, reason: str,
                 expected_version: int | None = None) -> Visit:
    """A manager cancels an open visit, saying why; it no longer counts as due."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the visit is cancelled.")})
    with transaction.atomic():
        locked = _locked(visit, actor, expected_version)
        locked.status = VisitStatus.CANCELLED
        locked.cancel_reason = reason.strip()
        return _saved(locked, "status", "cancel_reason")


def check_major_event(contract: Contract, name: str, date: datetime.date) -> None:
    """A major event has a name and falls within the contract's service period."""
    errors = {}
    if not name.strip():
        errors["name"] = _("Name the event.")
    if not contract.start_date <= date <= contract.end_date:
        errors["date"] = _("The event must fall within the contract's service period "
                           "(%(start)s to %(end)s).") % {
            "start": contract.start_date.isoformat(), "end": contract.end_date.isoformat()}
    if errors:
        raise ValidationError(errors)


def record_major_event(contract: Contract, actor: User, *, name: str, date: datetime.date,
                       notes: str = "") -> MajorEvent:
    """重大活动 (PM-07): record the event and create its ``before_event`` visits at once,
    however far ahead it lies."""
    if not actor.has_perm("maintenance.add_majorevent", contract):
        raise PermissionDenied(_("You may not record major events of this contract."))
    check_major_event(contract, name, date)
    with transaction.atomic():
        event = MajorEvent.objects.create(contract=contract, name=name.strip(), date=date,
                                          notes=notes, created_by=actor)
        plans = list(MaintenancePlan.objects.filter(
            contract=contract, active=True, frequency=Frequency.BEFORE_EVENT)
            .prefetch_related("site_types", "asset_types"))
        if plans:
            today = timezone.localdate()
            horizon = today + datetime.timedelta(days=settings.WEIBAO_VISIT_HORIZON_DAYS)
            _generate_contract(contract, today=today, until=max(horizon, date), now=timezone.now(),
                               plans=plans)
    return event


def set_engineer_areas(contract: Contract, actor: User, engineer: User,
                       districts: Iterable[District]) -> list[EngineerArea]:
    """Replace the districts an engineer covers on the contract (generation prefers the
    engineers of a site's district)."""
    if not actor.has_perm("maintenance.add_engineerarea", contract):
        raise PermissionDenied(_("You may not set engineers' districts of this contract."))
    wanted = {d.pk: d for d in districts}
    if any(d.contract_id != contract.pk for d in wanted.values()):
        raise ValidationError({"districts": _("Choose districts of this contract.")})
    if not engineer.is_active or engineer.organisation_id not in _vendor_orgs(contract):
        raise ValidationError({"engineer": _(
            "%(user)s is not an active member of the contract's vendor.")
            % {"user": engineer.get_full_name() or engineer.username}})
    with transaction.atomic():
        current = {a.district_id: a for a in EngineerArea.objects.select_for_update().filter(
            contract=contract, engineer=engineer)}
        for district_id, area in current.items():
            if district_id not in wanted:
                area.delete()
        for district_id in wanted.keys() - current.keys():
            EngineerArea.objects.create(contract=contract, engineer=engineer,
                                        district_id=district_id)
    return list(EngineerArea.objects.filter(contract=contract, engineer=engineer)
                .select_related("district"))
