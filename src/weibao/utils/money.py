"""Money is Decimal, exact to the fen (0.01 CNY), rounded half-up as in Chinese accounting."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["FEN", "format_cny", "share_of", "split_by_percent", "to_fen"]

FEN = Decimal("0.01")


def to_fen(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def share_of(amount: Decimal, percent: Decimal) -> Decimal:
    return to_fen(Decimal(amount) * Decimal(percent) / 100)


def split_by_percent(amount: Decimal, percents: list[Decimal]) -> list[Decimal]:
    """Each share rounded to the fen; when the percents sum to 100 the last share takes the
    remainder so the shares add up to the amount exactly."""
    shares = [share_of(amount, p) for p in percents]
    if shares and sum(percents, Decimal(0)) == 100:
        shares[-1] = to_fen(amount) - sum(shares[:-1], Decimal(0))
    return shares


def format_cny(value: Decimal) -> str:
    return f"¥{to_fen(value):,.2f}"
