"""Drills (应急演练, EMG-02 [002 §9.1.1 2]): scheduling from the spec's rules, recording a
drill, and closing the windows of drills not held.

Scheduling: a rule wants ``count`` drills of each of its systems per span (the service term,
or each contract year from the service start); the span is cut into ``count`` windows of
equal length and one drill falls due in each. Scheduling is idempotent: a drill is keyed by
(rule, system, number); open drills follow changed windows, and open drills no longer wanted
(a system out of scope, a rule made inactive) are removed; held or missed drills stay.

Closing follows ``maintenance.services.breaches``: a drill still open when its window ends is
missed, and when its rule says so a breach is recorded on it once (``breach_recorded_at`` =
the window's end, ``penalty_percent`` = the rule's), by conditional UPDATEs that two workers
may run at once. The assessment's ``sync_ledger`` reads those drills into the ledger.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.assets.choices import AssetCategory, AssetStatus, Importance
from weibao.assets.models import Asset
from weibao.contracts.models import Contract
from weibao.core.errors import ServiceError
from weibao.emergency.choices import DrillStatus, DrillSystems, Term
from weibao.emergency.models import Drill, DrillPhoto, DrillRule
from weibao.emergency.services.common import EmergencyConflict, lock_current, require
from weibao.maintenance.schedule import day_bounds
from weibao.notifications import publishers as notify

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["DrillWindow", "add_photo", "close_windows", "drill_windows", "save_drill",
           "schedule", "spans"]


@dataclass(frozen=True)
class DrillWindow:
    """Drill ``sequence`` is due in the days ``[start, end)``."""

    sequence: int
    start: datetime.date
    end: datetime.date


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def spans(start: datetime.date, end: datetime.date, per: str) -> list[tuple[datetime.date,
                                                                            datetime.date]]:
    """The spans ``[from, to)`` of a service period ``start``..``end`` (inclusive) in which
    a rule counts its drills."""
    stop = end + datetime.timedelta(days=1)
    if per == Term.TERM:
        return [(start, stop)]
    out: list[tuple[datetime.date, datetime.date]] = []
    k = 0
    while True:
        first = _add_years(start, k)
        if first >= stop:
            return out
        out.append((first, min(_add_years(start, k + 1), stop)))
        k += 1


def drill_windows(start: datetime.date, end: datetime.date, count: int,
                  per: str) -> list[DrillWindow]:
    """``count`` windows of (nearly) equal length in each span; a span shorter than
    ``count`` days gets one window per day."""
    out: list[DrillWindow] = []
    sequence = 0
    for first, stop in spans(start, end, per):
        days = (stop - first).days
        n = min(count, days)
        for i in range(n):
            sequence += 1
            out.append(DrillWindow(
                sequence, first + datetime.timedelta(days=i * days // n),
                first + datetime.timedelta(days=(i + 1) * days // n)))
    return out


def _systems(contract: Contract, rule: DrillRule) -> list[int]:
    systems = Asset.objects.filter(contract=contract,
                                   asset_type__category=AssetCategory.INFORMATION_SYSTEM).exclude(
        status__in=(AssetStatus.DECOMMISSIONED, AssetStatus.MISSING))
    if rule.systems == DrillSystems.IMPORTANT:
        systems = systems.filter(importance=Importance.IMPORTANT)
    elif rule.systems == DrillSystems.OTHERS:
        systems = systems.exclude(importance=Importance.IMPORTANT)
    return list(systems.order_by("pk").values_list("pk", flat=True))


def schedule(contract: Contract) -> int:
    """Create, move and remove the contract's open drills to match its rules; returns how
    many drills were created."""
    created = 0
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).exists()
        existing: dict[tuple[int, int, int], Drill] = {
            (d.rule_id, d.system_id, d.sequence): d
            for d in Drill.objects.filter(contract=contract)}
        new: list[Drill] = []
        for rule in DrillRule.objects.filter(contract=contract):
            if not rule.active:
                continue
            windows = drill_windows(contract.start_date, contract.end_date, rule.count,
                                    rule.per)
            for system_id in _systems(contract, rule):
                for window in windows:
                    start, end = day_bounds(window.start)[0], day_bounds(window.end)[0]
                    drill = existing.pop((rule.pk, system_id, window.sequence), None)
                    if drill is None:
                        new.append(Drill(contract=contract, rule=rule, system_id=system_id,
                                         sequence=window.sequence, window_start=start,
                                         window_end=end))
                    elif drill.status == DrillStatus.SCHEDULED and (
                            drill.window_start, drill.window_end) != (start, end):
                        drill.window_start, drill.window_end = start, end
                        drill.version += 1
                        drill.save(update_fields=["window_start", "window_end", "version",
                                                  "updated_at"])
        Drill.objects.bulk_create(new, ignore_conflicts=True)
        created = len(new)
        stale = [d.pk for d in existing.values()
                 if d.status == DrillStatus.SCHEDULED and d.held_at is None]
        if stale:
            DrillPhoto.objects.filter(drill_id__in=stale).delete()
            Drill.objects.filter(pk__in=stale, status=DrillStatus.SCHEDULED).delete()
    return created


def close_windows(now: datetime.datetime | None = None) -> int:
    """Mark every open drill whose window ended by ``now`` as missed, recording a breach
    when its rule counts a missed drill as one. Returns how many drills were newly missed."""
    now = now or timezone.now()
    ended = Drill.objects.filter(status=DrillStatus.SCHEDULED, window_end__lte=now)
    penalty = Subquery(DrillRule.objects.filter(pk=OuterRef("rule_id"))
                       .values("penalty_percent")[:1])
    with transaction.atomic():
        # Told after commit; a concurrent run finding the same drills tells no one twice
        # (each drill's event has one key).
        notify.drills_missed(list(ended.values_list("pk", flat=True)))
        # Breaches first, while the drills are still open: the status condition makes the
        # second of two concurrent runs find nothing (no join: PostgreSQL re-checks the
        # drill row's own WHERE after a concurrent change).
        breached = ended.filter(
            rule_id__in=DrillRule.objects.filter(missed_is_breach=True).values("pk"),
            breach_recorded_at__isnull=True).update(
            status=DrillStatus.MISSED, breach_recorded_at=F("window_end"),
            penalty_percent=penalty, version=F("version") + 1, updated_at=now)
        missed = ended.update(status=DrillStatus.MISSED, version=F("version") + 1,
                              updated_at=now)
    return breached + missed


_PREPARE = ("planned_on", "scenario", "script", "training", "other_participants")
_RECORD = ("held_at", "record", "summary")


def _check_complete(drill: Drill, participants: list[Any] | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    needed = {"scenario": _("Describe the scenario (演练方案) of the drill."),
              "script": _("Write the drill's script (演练脚本)."),
              "training": _("Say how the participants were trained (演练培训)."),
              "record": _("Record how the drill went (演练过程记录).")}
    for field, message in needed.items():
        if not getattr(drill, field).strip():
            errors[field] = [message]
    if not drill.summary.strip() and not drill.summary_file:
        errors["summary"] = [_("Write the summary report or attach its file.")]
    if not participants and not drill.other_participants.strip():
        errors["participants"] = [_("Name at least one participant.")]
    if drill.held_at is None:
        errors["held_at"] = [_("Give the time the drill was held.")]
    elif drill.held_at > timezone.now():
        errors["held_at"] = [_("A drill is recorded once it has been held.")]
    elif drill.held_at < drill.window_start:
        errors["held_at"] = [_("The drill was held before its window opened; it belongs "
                               "to an earlier drill.")]
    return errors


@transaction.atomic
def save_drill(drill: Drill | int, user: User, data: dict[str, Any], *,
               participants: list[Any] | None = None, summary_file: Any = None,
               complete: bool = False, expected_version: int | None = None) -> Drill:
    """Save what is known of a drill (scenario, script, training, participants, record);
    with ``complete`` it is marked held (``late`` after its window) once everything
    002 §9.1.1 2 asks for is there. A held drill's record is final."""
    locked = lock_current(Drill, drill, expected_version)
    require(user, "emergency.record_drill", locked.contract,
            _("Your role may not record drills of this contract."))
    if locked.status in (DrillStatus.HELD, DrillStatus.LATE):
        raise EmergencyConflict(_("This drill's record is complete and can no longer be "
                                  "changed."), version=locked.version)
    for field in _PREPARE + _RECORD:
        if field in data:
            value = data[field]
            setattr(locked, field, value.strip() if isinstance(value, str) else value)
    if summary_file:
        locked.summary_file = summary_file
    if participants is not None:
        wrong = [p for p in participants if not locked.contract.parties.filter(
            organisation_id=p.organisation_id).exists()]
        if wrong:
            raise ServiceError({"participants": [_(
                "%(name)s is not a person of this contract's parties.")
                % {"name": wrong[0]}]})
    chosen = participants if participants is not None else list(locked.participants.all())
    if complete:
        errors = _check_complete(locked, chosen)
        if errors:
            raise ServiceError(errors)
        assert locked.held_at is not None
        locked.status = (DrillStatus.HELD if locked.held_at < locked.window_end
                         else DrillStatus.LATE)
    locked.recorded_by = user
    locked.version += 1
    locked.save()
    if participants is not None:
        locked.participants.set(participants)
    return locked


@transaction.atomic
def add_photo(drill: Drill | int, user: User, image: Any, caption: str = "") -> DrillPhoto:
    """A photo taken at the drill, from the phone."""
    locked = lock_current(Drill, drill, None)
    require(user, "emergency.record_drill", locked.contract,
            _("Your role may not record drills of this contract."))
    if not image:
        raise ServiceError({"image": [_("Choose a photo.")]})
    return DrillPhoto.objects.create(contract=locked.contract, drill=locked, image=image,
                                     caption=(caption or "").strip()[:200], uploaded_by=user)

