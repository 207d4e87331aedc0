"""Command-line checks shared by the benchmark scripts: a count below its minimum, or sizes
that contradict each other, are an argparse error naming the option, not a traceback minutes
into building the data."""

from __future__ import annotations

import argparse
from collections.abc import Callable

__all__ = ["at_least", "positive_seconds"]


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse ``type`` for a whole number >= ``minimum``."""
    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum:,} (got {value:,})")
        return value
    parse.__name__ = f"at least {minimum}"
    return parse


def positive_seconds(text: str) -> float:
    """An argparse ``type`` for a duration in seconds > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds (got {value})")
    return value
