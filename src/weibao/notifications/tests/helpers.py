"""Helpers of the notification tests."""

from __future__ import annotations

from typing import Any

from weibao.contracts.models import Contract
from weibao.core.models import User
from weibao.notifications import services
from weibao.notifications.models import Channel
from weibao.testing.factories import UserFactory


def admin() -> User:
    """The platform administrator (one per test database)."""
    found = User.objects.filter(username="n-admin").first()
    return found or UserFactory(username="n-admin", role="administrator", organisation=None)


def channel(contract: Contract, kind: str, address: str, secret: str | None = None,
            **extra: Any) -> Channel:
    return services.save_channel(admin(), name=f"{kind} robot", kind=kind, contract=contract,
                                 address=address, secret=secret, **extra)
