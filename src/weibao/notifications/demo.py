"""Demo data of the notifications app, loaded by ``weibao demo``."""

from __future__ import annotations

from collections.abc import Callable


def load_demo(write: Callable[[str], object]) -> None:
    """Nothing yet: filled in as the domain lands."""
