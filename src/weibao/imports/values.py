"""Helpers for importers: turn the strings of a spreadsheet cell into typed values (AST-10).

Excel date cells arrive as ``YYYY-MM-DD`` (the reader formats them); typed text may use other
common Chinese spellings, all accepted by :func:`parse_date`.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

__all__ = ["parse_bool", "parse_date", "parse_decimal", "parse_int"]

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TRUE = {"1", "true", "yes", "y", "是", "有", "√"}
_FALSE = {"0", "false", "no", "n", "否", "无", ""}


def parse_date(text: str) -> datetime.date | None:
    """``2025-03-01``, ``2025/3/1``, ``2025.03.01``, ``2025年3月1日`` or ``20250301``; ``None``
    when empty. Raises ``ValueError`` when the text is no valid date."""
    text = text.strip()
    if not text:
        return None
    match = _DATE.match(text) or _COMPACT.match(text)
    if match is None:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    return datetime.date(year, month, day)


def parse_int(text: str) -> int | None:
    """An integer (``12``, ``12.0`` from a number cell, ``1,200``); ``None`` when empty."""
    text = text.strip().replace(",", "")
    if not text:
        return None
    value = Decimal(text) if re.fullmatch(r"[+-]?\d+(\.0+)?", text) else None
    if value is None:
        raise ValueError(text)
    return int(value)


def parse_decimal(text: str) -> Decimal | None:
    """A decimal number (``1,234.50``, ``¥12``); ``None`` when empty."""
    text = text.strip().replace(",", "").lstrip("¥￥")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def parse_bool(text: str) -> bool:
    """是/否, yes/no, true/false, 1/0, √; empty is ``False``."""
    folded = text.strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError(text)
