"""Pure scoring rules (ASM-01, ASM-02) and the factor bands they lead to (PAY-03)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from weibao.assessment.choices import Comparison, Method, Scoring
from weibao.assessment.scoring import (
    LineFigures,
    criterion_met,
    item_points,
    outcome,
    rating_for,
)

D = Decimal
GRADES_002 = [{"met": 7, "rating": "优秀"}, {"met": 6, "rating": "良好"},
              {"met": 5, "rating": "一般"}]


def test_proportional_points_are_capped_and_rounded() -> None:
    """ASM-01: points × rate / 100, within [0, points], two decimals."""
    assert item_points(points=D(20), scoring=Scoring.PROPORTIONAL, value=D("95.5"),
                       entered=None) == D("19.10")
    assert item_points(points=D(20), scoring=Scoring.PROPORTIONAL, value=D("120"),
                       entered=None) == D("20.00")
    assert item_points(points=D(15), scoring=Scoring.PROPORTIONAL, value=D("33.333"),
                       entered=None) == D("5.00")
    assert item_points(points=D(20), scoring=Scoring.PROPORTIONAL, value=None,
                       entered=None) is None


def test_manual_points_are_capped() -> None:
    """ASM-01: entered points never exceed the item's points nor fall below 0."""
    assert item_points(points=D(20), scoring=Scoring.MANUAL, value=None,
                       entered=D(18)) == D("18.00")
    assert item_points(points=D(20), scoring=Scoring.MANUAL, value=None,
                       entered=D(25)) == D("20.00")
    assert item_points(points=D(20), scoring=Scoring.MANUAL, value=None,
                       entered=D(-3)) == D("0.00")
    assert item_points(points=D(20), scoring=Scoring.MANUAL, value=D(99),
                       entered=None) is None


@pytest.mark.parametrize(("comparison", "value", "met"), [
    (Comparison.GT, "95", False), (Comparison.GT, "95.01", True),
    (Comparison.GE, "95", True), (Comparison.GE, "94.99", False),
    (Comparison.LT, "2", True), (Comparison.LT, "3", False),
    (Comparison.LE, "3", True), (Comparison.EQ, "0", False),
])
def test_criterion_comparisons_at_the_threshold(comparison: str, value: str,
                                                met: bool) -> None:
    """ASM-02: 处理率大于 95% is not met at exactly 95."""
    threshold = D(95) if comparison in (Comparison.GT, Comparison.GE) else D(3)
    if comparison == Comparison.EQ:
        threshold = D(1)
    assert criterion_met(comparison=comparison, threshold=threshold, value=D(value)) is met


def test_criterion_without_value_is_undecided() -> None:
    assert criterion_met(comparison=Comparison.GT, threshold=D(95), value=None) is None
    assert criterion_met(comparison="", threshold=D(95), value=D(99)) is None


@pytest.mark.parametrize(("met", "rating"), [(7, "优秀"), (6, "良好"), (5, "一般"), (4, ""),
                                             (0, ""), (8, "优秀")])
def test_rating_of_seed_002_counts(met: int, rating: str) -> None:
    """ASM-02 [002 §6]: 7 met 优秀, 6 良好, 5 一般; below 5 no grade."""
    assert rating_for(GRADES_002, met) == rating
    assert rating_for(list(reversed(GRADES_002)), met) == rating


def test_score_outcome_sums_and_waits_for_every_item() -> None:
    """ASM-01: the score is the sum of the points, unknown while any item lacks points."""
    lines = [LineFigures(points=D("20")), LineFigures(points=D("64.99"))]
    assert outcome(Method.SCORE, lines).score == D("84.99")
    incomplete = outcome(Method.SCORE, [*lines, LineFigures(points=None)])
    assert incomplete.score is None
    assert not incomplete.complete


def test_criteria_outcome_counts_and_rates() -> None:
    """ASM-02: the count of criteria met and its grade."""
    lines = [LineFigures(met=True)] * 6 + [LineFigures(met=False)]
    result = outcome(Method.CRITERIA, lines, GRADES_002)
    assert (result.criteria_met, result.rating) == (6, "良好")
    assert not outcome(Method.CRITERIA, [*lines, LineFigures(met=None)], GRADES_002).complete


def test_ledger_outcome_has_no_score() -> None:
    """ASM-03: the ledger method has neither score nor grade."""
    result = outcome(Method.LEDGER, [])
    assert (result.score, result.criteria_met, result.rating) == (None, None, "")
