"""Tests of domain apps assert their messages in English: the UI's default language is
zh-hans, so these tests switch both the code (gettext) and the requests (LocaleMiddleware
falls back to LANGUAGE_CODE) to English. The Chinese catalog's completeness is checked on its
own by core/tests/test_i18n.py; pages that must be Chinese are tested in core and contracts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

__all__ = ["english_ui"]


@pytest.fixture(autouse=True)
def english_ui(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
