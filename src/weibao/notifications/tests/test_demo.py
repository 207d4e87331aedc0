"""The demo's channels: switched off, secrets encrypted, idempotent."""

from __future__ import annotations

import pytest

from weibao.notifications.demo import load_demo
from weibao.notifications.models import Channel, Delivery
from weibao.testing.examples import Setup

pytestmark = pytest.mark.django_db


def test_demo_channels_are_off_encrypted_and_made_once(ca: Setup) -> None:
    lines: list[str] = []
    load_demo(lines.append)
    load_demo(lines.append)
    channels = list(Channel.objects.filter(contract=ca.contract))
    assert len(channels) == 2 and len(lines) == 1
    assert not any(c.active for c in channels)
    ding = next(c for c in channels if c.kind == "dingtalk")
    assert "REPLACE-ME" not in ding.address + ding.secret
    assert ding.plain_secret() == "SEC-REPLACE-ME"
    assert not Delivery.objects.exists()
