"""The breach ledger (ASM-03, ASM-04, ASM-06): synchronised from the records once, disputed,
waived, confirmed and decided by the right roles, penalties by clause within their range, and
the period's count, penalties and termination right."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from weibao.assessment.choices import BreachSource, BreachStatus
from weibao.assessment.models import AssessmentScheme, Breach, PenaltyRule
from weibao.assessment.services.errors import AssessmentConflict, StaleRecord
from weibao.assessment.services.ledger import (
    apply_penalty,
    confirm_breach,
    decide_breach,
    dispute_breach,
    ledger_summary,
    sync_ledger,
    waive_breach,
)
from weibao.assessment.tests.conftest import Setup, _setup, at
from weibao.contracts.choices import PartyRole
from weibao.contracts.models import Contract
from weibao.reports.models import Deliverable, Submission
from weibao.testing.calendars import ensure_national_calendars

D = Decimal


def late_reports(contract: Contract, times: list[str], percent: str | None = "1",
                 prefix: str = "r") -> list[Submission]:
    """Reports whose breach the deliverables domain recorded (RPT-05)."""
    deliverable = Deliverable.objects.filter(contract=contract).order_by("pk").first()
    assert deliverable is not None
    rows = [Submission(contract=contract, deliverable=deliverable, key=f"{prefix}{i}",
                       period_start=at(when).date(), period_end=at(when).date(),
                       due_at=at(when), breach_recorded_at=at(when),
                       penalty_percent=D(percent) if percent else None)
            for i, when in enumerate(times)]
    return Submission.objects.bulk_create(rows)


def ledger_scheme(contract: Contract) -> AssessmentScheme:
    """Seed 000 第七条 as the example spec transcribes it: the ledger alone; termination at 5
    breaches, 20 % more (ASM-03)."""
    scheme = AssessmentScheme.objects.get(contract=contract)
    assert (scheme.method, scheme.termination_breaches,
            scheme.termination_penalty_percent) == ("ledger", 5, D(20))
    return scheme


def integrity_rule(contract: Contract) -> PenaltyRule:
    """Seed 000 附件五 十三 (廉洁协议): 1 to 5 % (the example spec's rule); another contract
    gets one built directly."""
    rule = PenaltyRule.objects.filter(contract=contract, code="integrity").first()
    if rule is None:
        rule = PenaltyRule.objects.create(contract=contract, code="integrity",
                                          name="违反廉洁协议", min_percent=D(1),
                                          max_percent=D(5))
    return rule


def test_sync_enters_each_recorded_breach_once(outlets: Setup,
                                               django_assert_max_num_queries: Any) -> None:
    """ASM-03: every late report's breach enters the ledger once with 1 % of 1,663,800."""
    late_reports(outlets.contract, ["2025-10-22 00:00", "2025-11-22 00:00"])
    with django_assert_max_num_queries(12):
        assert sync_ledger(outlets.contract) == 2
    assert sync_ledger(outlets.contract) == 0
    assert sync_ledger() == 0
    rows = Breach.objects.filter(contract=outlets.contract)
    assert rows.count() == 2
    breach = rows.get(submission__key="r0")
    assert breach.source == BreachSource.DELIVERABLE
    assert breach.penalty_amount == D("16638.00")
    assert breach.occurred_at == at("2025-10-22 00:00")
    assert breach.status == BreachStatus.RECORDED


def test_sync_is_set_based(outlets: Setup, django_assert_max_num_queries: Any) -> None:
    """ASM-03: the number of queries does not grow with the number of breaches."""
    late_reports(outlets.contract, [f"2025-10-{d:02d} 00:00" for d in range(1, 29)])
    with django_assert_max_num_queries(12):
        assert sync_ledger() == 28


def test_a_breach_without_percent_costs_nothing(outlets: Setup) -> None:
    late_reports(outlets.contract, ["2025-10-22 00:00"], percent=None)
    sync_ledger(outlets.contract)
    assert Breach.objects.get().penalty_amount == 0


def test_termination_right_at_five_breaches(outlets: Setup) -> None:
    """ASM-03 [000 第七条]: 4 breaches give no right, the 5th gives the right to terminate
    with 20 % (332,760) — shown, never added to the penalties."""
    ledger_scheme(outlets.contract)
    late_reports(outlets.contract, [f"2025-10-{d:02d} 10:00" for d in (1, 2, 3, 4)])
    sync_ledger()
    four = ledger_summary(outlets.contract, at("2025-09-01 00:00").date(),
                          at("2026-08-31 00:00").date())
    assert (four.count, four.penalties, four.termination_right) == (4, D("66552.00"), False)
    late_reports(outlets.contract, ["2025-10-05 10:00"], prefix="x")
    sync_ledger()
    five = ledger_summary(outlets.contract, at("2025-09-01 00:00").date(),
                          at("2026-08-31 00:00").date())
    assert (five.count, five.penalties, five.termination_right) == (5, D("83190.00"), True)
    assert five.termination_penalty == D("332760.00")


def test_period_is_whole_local_days(outlets: Setup) -> None:
    """A breach at 23:59 Beijing time on the period's last day counts in it, one at 00:00 of
    the next day does not."""
    late_reports(outlets.contract, ["2025-10-31 23:59", "2025-11-01 00:00"])
    sync_ledger()
    october = ledger_summary(outlets.contract, at("2025-10-01 00:00").date(),
                             at("2025-10-31 00:00").date())
    assert october.count == 1


def test_waived_breach_keeps_its_record_and_drops_its_penalty(outlets: Setup) -> None:
    """ASM-03/06: the vendor disputes, the purchaser waives with a reason: the row stays with
    its reason and who decided, its count and penalty drop."""
    ledger_scheme(outlets.contract)
    late_reports(outlets.contract, ["2025-10-22 00:00", "2025-11-22 00:00"])
    sync_ledger()
    breach = Breach.objects.get(submission__key="r0")
    breach = dispute_breach(breach, outlets.people["manager"], "系统故障导致无法上传",
                            expected_version=1)
    assert breach.status == BreachStatus.DISPUTED
    waived = waive_breach(breach, outlets.people["purchaser"], "经核实系平台故障",
                          expected_version=2)
    assert waived.status == BreachStatus.WAIVED
    assert waived.decided_by == outlets.people["purchaser"]
    assert Breach.objects.filter(pk=breach.pk, reason="经核实系平台故障").exists()
    summary = ledger_summary(outlets.contract)
    assert (summary.count, summary.penalties, summary.waived) == (1, D("16638.00"), 1)


def test_supervisor_decides_a_disputed_breach(outlets: Setup) -> None:
    """ASM-06: a disputed breach is decided by the supervisor, not confirmed by the
    purchaser; the vendor cannot waive."""
    late_reports(outlets.contract, ["2025-10-22 00:00"])
    sync_ledger()
    breach = Breach.objects.get()
    with pytest.raises(PermissionDenied):
        waive_breach(breach, outlets.people["manager"], "不认可")
    dispute_breach(breach, outlets.people["manager"], "不认可")
    with pytest.raises(AssessmentConflict):
        confirm_breach(breach, outlets.people["purchaser"])
    with pytest.raises(PermissionDenied):
        decide_breach(breach, outlets.people["purchaser"], upheld=True, reason="维持")
    with pytest.raises(PermissionDenied):
        decide_breach(breach, outlets.people["engineer"], upheld=True, reason="维持")
    decided = decide_breach(breach, outlets.people["supervisor"], upheld=True,
                            reason="月报确系逾期")
    assert (decided.status, decided.decided_by) == (BreachStatus.CONFIRMED,
                                                    outlets.people["supervisor"])
    with pytest.raises(AssessmentConflict):
        dispute_breach(decided, outlets.people["manager"], "再次申诉")


def test_without_supervisor_the_purchaser_confirms_a_dispute(outlets: Setup) -> None:
    """ASM-06: a contract without a supervisor party — the purchaser decides."""
    outlets.contract.parties.filter(role=PartyRole.SUPERVISOR).delete()
    late_reports(outlets.contract, ["2025-10-22 00:00"])
    sync_ledger()
    breach = dispute_breach(Breach.objects.get(), outlets.people["manager"], "不认可")
    assert confirm_breach(breach, outlets.people["purchaser"], "维持").status == \
        BreachStatus.CONFIRMED


def test_stale_version_and_reasons(outlets: Setup) -> None:
    late_reports(outlets.contract, ["2025-10-22 00:00"])
    sync_ledger()
    breach = Breach.objects.get()
    with pytest.raises(ValidationError):
        dispute_breach(breach, outlets.people["manager"], "  ")
    dispute_breach(breach, outlets.people["manager"], "不认可", expected_version=1)
    with pytest.raises(StaleRecord):
        waive_breach(breach, outlets.people["purchaser"], "豁免", expected_version=1)


def test_outsider_cannot_dispute(outlets: Setup) -> None:
    """PLT-01: a vendor's manager of another organisation sees nothing and acts on nothing."""
    late_reports(outlets.contract, ["2025-10-22 00:00"])
    sync_ledger()
    with pytest.raises(PermissionDenied):
        dispute_breach(Breach.objects.get(), outlets.people["outsider"], "不认可")


def test_apply_penalty_within_the_clause_range(outlets: Setup) -> None:
    """ASM-04 [000 附件五 十三]: 1 to 5 % — 3 % is 49,914; 0.5 % and 6 % are refused; only the
    purchaser applies it, with a reason."""
    rule = integrity_rule(outlets.contract)
    purchaser = outlets.people["purchaser"]
    when = at("2025-12-01 10:00")
    for percent in ("0.5", "6"):
        with pytest.raises(ValidationError) as refused:
            apply_penalty(outlets.contract, purchaser, rule, D(percent), when, "违规", "依约")
        assert "percent" in refused.value.message_dict
    with pytest.raises(ValidationError) as no_reason:
        apply_penalty(outlets.contract, purchaser, rule, D(3), when, "违规", "")
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(PermissionDenied):
        apply_penalty(outlets.contract, outlets.people["manager"], rule, D(3), when, "违规",
                      "依约")
    breach = apply_penalty(outlets.contract, purchaser, rule, D(3), when,
                           "工程师收受礼品", "监察室通报")
    assert (breach.source, breach.penalty_amount, breach.entered_by) == (
        BreachSource.OTHER, D("49914.00"), purchaser)
    assert ledger_summary(outlets.contract).penalties == D("49914.00")


def test_penalty_rule_of_another_contract_is_refused(outlets: Setup, onsite: Setup) -> None:
    rule = integrity_rule(onsite.contract)
    with pytest.raises(ValidationError) as refused:
        apply_penalty(outlets.contract, outlets.people["purchaser"], rule, D(2),
                      at("2025-12-01 10:00"), "违规", "依约")
    assert "rule" in refused.value.message_dict


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers need PostgreSQL")
def test_two_workers_sync_each_breach_once(transactional_db: None) -> None:
    """ASM-03: two workers synchronising at once enter every breach exactly once and report
    the number entered once between them."""
    ensure_national_calendars()  # a transactional test before may have flushed them
    setup = _setup("000-shanghai-sbk-outlets.yaml", "sbk")
    late_reports(setup.contract, [f"2025-10-{1 + i % 28:02d} 10:00" for i in range(300)])
    counts: list[int] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            counts.append(sync_ledger())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 300]
    assert Breach.objects.count() == 300
