"""Pure scoring rules of an assessment (ASM-01, ASM-02): an item's points, whether a criterion
is met, the rating of a count of criteria met, and the outcome of a set of lines. No database
access: the payment factor of a score or a rating comes from the contract's factor bands
(``weibao.contracts.selectors.factor_for``), applied by the services."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from weibao.assessment.choices import Comparison, Method, Scoring

__all__ = ["LineFigures", "Outcome", "criterion_met", "item_points", "outcome",
           "rating_for", "to_points"]

_HUNDREDTH = Decimal("0.01")
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    Comparison.GT: operator.gt, Comparison.GE: operator.ge, Comparison.LT: operator.lt,
    Comparison.LE: operator.le, Comparison.EQ: operator.eq,
}


def to_points(value: Decimal | int | str) -> Decimal:
    """Points are kept to two decimals, rounded half-up."""
    return Decimal(value).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def item_points(*, points: Decimal | None, scoring: str, value: Decimal | None,
                entered: Decimal | None) -> Decimal | None:
    """ASM-01: a weighted item's points — the points entered (manual scoring) or the item's
    points × value / 100 (proportional) — capped to ``[0, points]``; None while unknown."""
    if points is None:
        return None
    if scoring == Scoring.PROPORTIONAL and entered is None:
        if value is None:
            return None
        raw = Decimal(points) * Decimal(value) / 100
    elif entered is None:
        return None
    else:
        raw = Decimal(entered)
    return to_points(min(max(raw, Decimal(0)), Decimal(points)))


def criterion_met(*, comparison: str, threshold: Decimal | None,
                  value: Decimal | None) -> bool | None:
    """ASM-02: the criterion is met when ``value <comparison> threshold``; None while the value
    (or the rule) is unknown."""
    compare = _COMPARE.get(comparison)
    if compare is None or threshold is None or value is None:
        return None
    return bool(compare(Decimal(value), Decimal(threshold)))


def rating_for(grades: Sequence[dict[str, Any]], met: int | None) -> str:
    """ASM-02: the rating of the grade whose ``met`` is the highest not above the count;
    "" below the lowest grade (or without a count)."""
    if met is None:
        return ""
    best: tuple[int, str] | None = None
    for grade in grades:
        need = int(grade.get("met", 0))
        if need <= met and (best is None or need > best[0]):
            best = (need, str(grade.get("rating", "")))
    return best[1] if best else ""


@dataclass(frozen=True)
class LineFigures:
    """What scoring needs of one line: the points it earns (weighted) or whether it is met
    (criterion), already including any manual entry or supervisor's decision."""

    points: Decimal | None = None
    met: bool | None = None


@dataclass(frozen=True)
class Outcome:
    """The result before the factor: a score (ASM-01) or a count met and its rating
    (ASM-02); nothing for the ledger method (ASM-03)."""

    score: Decimal | None = None
    criteria_met: int | None = None
    rating: str = ""
    complete: bool = True


def outcome(method: str, lines: Iterable[LineFigures],
            grades: Sequence[dict[str, Any]] = ()) -> Outcome:
    """The score is the sum of the points, None while any item lacks points; the count met is
    the number of lines met, None while any criterion is undecided."""
    rows = list(lines)
    if method == Method.SCORE:
        if any(line.points is None for line in rows):
            return Outcome(complete=False)
        return Outcome(score=to_points(sum((line.points or Decimal(0) for line in rows),
                                           Decimal(0))))
    if method == Method.CRITERIA:
        if any(line.met is None for line in rows):
            return Outcome(complete=False)
        met = sum(1 for line in rows if line.met)
        return Outcome(criteria_met=met, rating=rating_for(grades, met))
    return Outcome()
