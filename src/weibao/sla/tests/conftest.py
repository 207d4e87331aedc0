"""Fixtures of the SLA tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Explanations and errors are asserted in English here; the Chinese catalog's
    completeness is checked by core/tests/test_i18n.py."""
    with translation.override("en"):
        yield
