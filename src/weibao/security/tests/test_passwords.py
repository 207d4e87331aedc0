"""Password history, forced change after an administrator sets it, expiry (PLT-04)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weibao.core.choices import Role
from weibao.security.models import PasswordHistory, PasswordState
from weibao.security.passwords import must_change_password
from weibao.testing.factories import PASSWORD, UserFactory
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)

pytestmark = pytest.mark.django_db
NEW = "Lantern-Orchid-73"


def _sign_in(client: Client, username: str, password: str) -> object:
    return client.post(reverse("login"), {"username": username, "password": password})


def test_plt04_history_refuses_a_recent_password(settings: object) -> None:
    settings.WEIBAO_PASSWORD_HISTORY = 2  # type: ignore[attr-defined]
    user = UserFactory(username="hist")
    for password in (NEW, "Second-Meadow-81", "Third-Harbour-92"):
        user.set_password(password)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 2
    with pytest.raises(ValidationError, match="last 2 passwords"):
        validate_password("Third-Harbour-92", user)
    validate_password(NEW, user)  # older than the history


def test_plt04_user_created_outside_a_request_is_not_forced(client: Client) -> None:
    """The demo's accounts: made by a command, signed in with the demo password, not forced."""
    UserFactory(username="demo-like")
    assert _sign_in(client, "demo-like", PASSWORD).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_plt04_password_reset_by_an_administrator_must_be_changed(client: Client) -> None:
    user = UserFactory(username="reset-me")
    admin = UserFactory(role=Role.ADMINISTRATOR)
    # What the administrators' user page does (core.views.admin_pages → save_user).
    from weibao.core.services import save_user
    from weibao.security.middleware import REQUEST_USER

    token = REQUEST_USER.set(admin)  # served in the administrator's request
    try:
        save_user({"username": user.username, "organisation": user.organisation,
                   "role": user.role, "is_active": True, "first_name": "", "last_name": "",
                   "email": "", "phone": ""}, password="Granite-River-64", user=user)
    finally:
        REQUEST_USER.reset(token)
    assert PasswordState.objects.get(user=user).must_change
    assert _sign_in(client, "reset-me", "Granite-River-64").status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("password_change")
    changed = client.post(reverse("password_change"), {
        "old_password": "Granite-River-64", "new_password1": NEW, "new_password2": NEW})
    assert changed.status_code == 302
    assert not PasswordState.objects.get(user=user).must_change
    assert client.get(reverse("home")).status_code == 200


def test_plt04_expired_password_must_be_changed(client: Client, settings: object) -> None:
    settings.WEIBAO_PASSWORD_MAX_AGE_DAYS = 90  # type: ignore[attr-defined]
    user = UserFactory(username="old-pw")
    PasswordState.objects.filter(user=user).update(
        changed_at=timezone.now() - timedelta(days=91))
    assert must_change_password(user)
    _sign_in(client, "old-pw", PASSWORD)
    assert client.get(reverse("home"))["Location"] == reverse("password_change")
    assert client.get(reverse("password_change")).status_code == 200
