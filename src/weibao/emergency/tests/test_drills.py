"""Drills (EMG-02): scheduled from the spec per seed 002 §9.1.1 2 (important systems twice per
term, others once), recorded with everything the seed asks for, and a drill not held by the
end of its window is one breach in the ledger — however often and however many workers run."""

from __future__ import annotations

import datetime
import itertools
import threading
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from hypothesis import given, settings
from hypothesis import strategies as st

from weibao.assessment.choices import BreachSource
from weibao.assessment.models import Breach
from weibao.assessment.services.ledger import sync_ledger
from weibao.assets.choices import Importance
from weibao.assets.models import Asset
from weibao.emergency.choices import DrillStatus, Term
from weibao.emergency.models import Drill, DrillRule
from weibao.emergency.services.common import EmergencyConflict
from weibao.emergency.services.drills import (
    add_photo,
    close_windows,
    drill_windows,
    save_drill,
    schedule,
)
from weibao.testing.examples import Setup, at

D0 = datetime.date(2025, 3, 1)


def test_emg02_seed_002_important_twice_others_once(ca: Setup) -> None:
    """EMG-02 [002 L8354]: the one important system has 2 drills in the term, each of the
    other information systems 1."""
    drills = Drill.objects.filter(contract=ca.contract).select_related("system", "rule")
    per_system = Counter(d.system.code for d in drills)
    assert per_system["sys-labour"] == 2
    others = Asset.objects.filter(contract=ca.contract, asset_type__code="info-system").exclude(
        importance=Importance.IMPORTANT)
    assert others.count() == 9
    assert all(per_system[s.code] == 1 for s in others)
    assert sum(per_system.values()) == 11
    labour = sorted((d for d in drills if d.system.code == "sys-labour"),
                    key=lambda d: d.sequence)
    # The term 2025-03-01 – 12-31 (306 days) cut in two: 03-01 – 08-01 and 08-01 – 2026-01-01.
    assert labour[0].window_start == at("2025-03-01 00:00")
    assert labour[0].window_end == labour[1].window_start == at("2025-08-01 00:00")
    assert labour[1].window_end == at("2026-01-01 00:00")
    other = next(d for d in drills if d.system.code == "sys-oa")
    assert (other.window_start, other.window_end) == (at("2025-03-01 00:00"),
                                                      at("2026-01-01 00:00"))


def test_emg02_seed_001_has_no_drill_rule(onsite: Setup) -> None:
    """EMG-02 [001 L136]: the seed names no count of drills, so nothing is scheduled."""
    assert not DrillRule.objects.filter(contract=onsite.contract).exists()
    assert not Drill.objects.filter(contract=onsite.contract).exists()


def test_emg02_schedule_is_idempotent_and_follows_importance(ca: Setup) -> None:
    """EMG-02: scheduling again creates nothing; a system made important gets a second drill
    and its single drill's window shrinks to the first half."""
    assert schedule(ca.contract) == 0
    oa = Asset.objects.get(contract=ca.contract, code="sys-oa")
    oa.importance = Importance.IMPORTANT
    oa.save()
    assert schedule(ca.contract) == 2  # the important rule's two drills
    assert Drill.objects.filter(system=oa).count() == 2  # the "others" drill was removed
    assert Drill.objects.filter(contract=ca.contract).count() == 12


def test_emg02_yearly_rule_counts_per_contract_year(ca: Setup) -> None:
    """EMG-02: ``per: year`` repeats the windows each contract year (the rule is data)."""
    windows = drill_windows(datetime.date(2025, 3, 1), datetime.date(2027, 2, 28), 2,
                            Term.YEAR)
    assert [(w.sequence, w.start, w.end) for w in windows] == [
        (1, datetime.date(2025, 3, 1), datetime.date(2025, 8, 30)),
        (2, datetime.date(2025, 8, 30), datetime.date(2026, 3, 1)),
        (3, datetime.date(2026, 3, 1), datetime.date(2026, 8, 30)),
        (4, datetime.date(2026, 8, 30), datetime.date(2027, 3, 1)),
    ]


@settings(max_examples=200, deadline=None)
@given(days=st.integers(min_value=0, max_value=2000), count=st.integers(1, 24),
       per=st.sampled_from(list(Term.values)))
def test_emg02_windows_tile_the_period(days: int, count: int, per: str) -> None:
    """EMG-02: the windows cover the service period without gap or overlap, each span has
    min(count, its days) windows, numbered 1.. in order."""
    end = D0 + datetime.timedelta(days=days)
    windows = drill_windows(D0, end, count, per)
    assert windows[0].start == D0
    assert windows[-1].end == end + datetime.timedelta(days=1)
    for before, after in itertools.pairwise(windows):
        assert before.end == after.start
    assert all(w.start < w.end for w in windows)
    assert [w.sequence for w in windows] == list(range(1, len(windows) + 1))
    if per == Term.TERM:
        assert len(windows) == min(count, days + 1)
        lengths = [(w.end - w.start).days for w in windows]
        assert max(lengths) - min(lengths) <= 1


def _labour(setup: Setup, sequence: int = 1) -> Drill:
    return Drill.objects.get(contract=setup.contract, system__code="sys-labour",
                             sequence=sequence)


def test_emg02_overdue_drill_is_one_breach(ca: Setup) -> None:
    """EMG-02: a drill not held by the end of its window is missed and exactly one breach,
    however often the windows are closed and the ledger synchronised."""
    first = _labour(ca)
    assert close_windows(at("2025-07-31 23:59")) == 0
    assert close_windows(at("2025-08-01 00:00")) == 1
    first.refresh_from_db()
    assert first.status == DrillStatus.MISSED
    assert first.breach_recorded_at == at("2025-08-01 00:00")
    assert first.penalty_percent is None  # the seed names no penalty
    assert close_windows(at("2025-08-02 00:00")) == 0
    assert sync_ledger(ca.contract) == 1
    assert sync_ledger(ca.contract) == 0
    breach = Breach.objects.get(contract=ca.contract)
    assert (breach.source, breach.drill_id) == (BreachSource.DRILL, first.pk)
    assert breach.occurred_at == at("2025-08-01 00:00")
    assert breach.penalty_amount == 0
    assert "上海市劳动保障管理信息系统" in breach.description


def test_emg02_rule_without_breach_only_misses(ca: Setup) -> None:
    """EMG-02: a rule saying a missed drill is no breach leaves the ledger alone."""
    DrillRule.objects.filter(contract=ca.contract).update(missed_is_breach=False)
    close_windows(at("2026-01-02 00:00"))
    assert Drill.objects.filter(contract=ca.contract, status=DrillStatus.MISSED).count() == 11
    assert sync_ledger(ca.contract) == 0


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers need PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_emg02_two_workers_close_and_sync_once(transactional_db: None) -> None:
    """EMG-02: two workers closing the windows and synchronising the ledger at once record
    each missed drill's breach exactly once."""
    from weibao.testing.calendars import ensure_national_calendars
    from weibao.testing.examples import example_setup

    ensure_national_calendars()
    setup = example_setup("002-shanghai-hrss-ca-integration.yaml", "ca2")
    barrier = threading.Barrier(2)
    closed: list[int] = []
    synced: list[int] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            closed.append(close_windows(at("2026-01-02 00:00")))
            synced.append(sync_ledger())
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert Breach.objects.filter(contract=setup.contract, source=BreachSource.DRILL).count() == 11
    assert sum(synced) == 11
    assert Drill.objects.filter(contract=setup.contract,
                                breach_recorded_at__isnull=False).count() == 11


FULL = {"scenario": "核心数据库主节点宕机", "script": "1. 切换 2. 验证 3. 回切",
        "training": "演练前一周全员培训", "record": "10:00 开始，10:40 恢复",
        "summary": "切换用时 40 分钟，达到目标"}


def test_emg02_record_held_in_window(ca: Setup) -> None:
    """EMG-02 [002 L8358–8366]: scenario, script, training, record, summary and participants
    make a drill held; in its window it is held, after its window late."""
    drill = _labour(ca)
    engineer, manager = ca.people["engineer"], ca.people["manager"]
    saved = save_drill(drill, engineer, {"scenario": FULL["scenario"]},
                       expected_version=drill.version)
    assert saved.status == DrillStatus.SCHEDULED
    with pytest.raises(ValidationError) as error:
        save_drill(drill, engineer, {"held_at": at("2025-05-01 10:00")}, complete=True)
    assert {"script", "training", "record", "summary", "participants"} <= set(
        error.value.message_dict)
    held = save_drill(drill, engineer, {**FULL, "held_at": at("2025-05-01 10:00")},
                      participants=[engineer, manager], complete=True)
    assert held.status == DrillStatus.HELD
    assert set(held.participants.all()) == {engineer, manager}
    with pytest.raises(EmergencyConflict):
        save_drill(drill, engineer, {"record": "改写"})
    late = _labour(ca, 2)
    close_windows(at("2026-01-01 00:00"))
    done = save_drill(late, engineer, {**FULL, "held_at": at("2026-01-01 09:00")},
                      participants=[engineer], complete=True)
    assert done.status == DrillStatus.LATE
    late.refresh_from_db()
    assert late.breach_recorded_at is not None  # the breach stays recorded


def test_emg02_record_refusals(ca: Setup) -> None:
    """EMG-02: a stale version, a participant of no party, a time before the window, a
    purchaser or an outsider recording: refused with a clear message."""
    drill = _labour(ca, 2)
    engineer = ca.people["engineer"]
    with pytest.raises(EmergencyConflict, match="changed this record"):
        save_drill(drill, engineer, {}, expected_version=drill.version + 1)
    with pytest.raises(ValidationError) as error:
        save_drill(drill, engineer, {}, participants=[ca.people["outsider"]])
    assert "participants" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        save_drill(drill, engineer, {**FULL, "held_at": at("2025-05-01 10:00")},
                   participants=[engineer], complete=True)
    assert "earlier drill" in error.value.message_dict["held_at"][0]
    for person in ("purchaser", "outsider"):
        with pytest.raises(PermissionDenied):
            save_drill(drill, ca.people[person], {"scenario": "x"})
        with pytest.raises(PermissionDenied):
            add_photo(drill, ca.people[person], image=b"")
