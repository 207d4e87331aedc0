"""Lockout, unlock, login history, password policy and session limits (PLT-04)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weibao.core.choices import Role
from weibao.security.middleware import SESSION_STARTED
from weibao.security.models import LockKind, Lockout, LoginAttempt
from weibao.testing.factories import PASSWORD, UserFactory
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.5") -> object:
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=ip)


@pytest.fixture
def lockout_settings(settings: object) -> object:
    settings.WEIBAO_LOCKOUT_THRESHOLD = 3  # type: ignore[attr-defined]
    settings.WEIBAO_LOCKOUT_ADDRESS_THRESHOLD = 5  # type: ignore[attr-defined]
    settings.WEIBAO_LOCKOUT_MINUTES = 15  # type: ignore[attr-defined]
    return settings


def test_plt04_account_locked_after_failures_even_with_right_password(
        client: Client, lockout_settings: object) -> None:
    user = UserFactory(username="alice")
    for _ in range(3):
        response = _login(client, "alice", "wrong-password")
        assert response.status_code == 200
    lock = Lockout.objects.get(kind=LockKind.ACCOUNT, key="alice")
    assert lock.failures == 3 and lock.locked_until is not None
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 200
    assert b'data-testid="login-locked"' in response.content
    assert "_auth_user_id" not in client.session
    assert LoginAttempt.objects.filter(user=user, succeeded=True).count() == 0
    assert LoginAttempt.objects.filter(username="alice", reason="locked").count() == 1


def test_plt04_success_resets_the_account_count(client: Client,
                                                lockout_settings: object) -> None:
    UserFactory(username="bob")
    _login(client, "bob", "wrong-1")
    _login(client, "bob", "wrong-2")
    assert _login(client, "bob", PASSWORD).status_code == 302
    client.logout()
    _login(client, "bob", "wrong-3")
    _login(client, "bob", "wrong-4")
    assert not Lockout.objects.filter(key="bob").exists()


def test_plt04_client_address_locked_across_accounts(client: Client,
                                                     lockout_settings: object) -> None:
    UserFactory(username="carol")
    for name in ("u1", "u2", "u3", "u4", "u5"):
        _login(client, name, "guess", ip="203.0.113.9")
    assert Lockout.objects.filter(kind=LockKind.ADDRESS, key="203.0.113.9").exists()
    response = _login(client, "carol", PASSWORD, ip="203.0.113.9")
    assert b'data-testid="login-locked"' in response.content
    # Another address is not affected.
    assert _login(client, "carol", PASSWORD, ip="198.51.100.1").status_code == 302


def test_plt04_forwarded_address_counts_only_through_a_trusted_proxy(
        client: Client, lockout_settings: object, settings: object) -> None:
    settings.WEIBAO_TRUSTED_PROXIES = ["127.0.0.1/32"]  # type: ignore[attr-defined]
    client.post(reverse("login"), {"username": "x", "password": "y"}, REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert LoginAttempt.objects.get().client_ip == "203.0.113.7"


def test_plt04_lock_expires_after_its_minutes(client: Client,
                                              lockout_settings: object) -> None:
    UserFactory(username="dave")
    for _ in range(3):
        _login(client, "dave", "nope")
    lock = Lockout.objects.get(key="dave")
    Lockout.objects.filter(pk=lock.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert _login(client, "dave", PASSWORD).status_code == 302


def test_plt04_administrator_unlocks_and_it_is_audited(client: Client,
                                                       lockout_settings: object) -> None:
    UserFactory(username="erin")
    admin = UserFactory(username="root", role=Role.ADMINISTRATOR)
    for _ in range(3):
        _login(client, "erin", "nope")
    lock = Lockout.objects.get(key="erin")
    staff = Client()
    staff.force_login(admin)
    page = staff.get(reverse("security:lockouts"))
    assert page.status_code == 200 and b"erin" in page.content
    response = staff.post(reverse("security:unlock", args=[lock.pk]))
    assert response.status_code == 302
    lock.refresh_from_db()
    assert lock.released_by == admin and lock.released_at is not None
    assert LogEntry.objects.get_for_object(lock).filter(actor=admin).exists()
    assert _login(client, "erin", PASSWORD).status_code == 302
    # Unlocking twice is refused with a clear message.
    again = staff.post(reverse("security:unlock", args=[lock.pk]), follow=True)
    assert b"already released" in again.content


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_plt04_permission_matrix_only_administrators(client: Client, role: str) -> None:
    user = UserFactory(role=role)
    lock = Lockout.objects.create(kind=LockKind.ACCOUNT, key="someone", failures=5)
    client.force_login(user)
    assert client.get(reverse("security:lockouts")).status_code == 403
    assert client.get(reverse("security:logins")).status_code == 403
    assert client.post(reverse("security:unlock", args=[lock.pk])).status_code == 403
    assert client.get(reverse("security:my-logins")).status_code == 200
    lock.refresh_from_db()
    assert lock.released_at is None


def test_plt04_pages_require_sign_in(client: Client) -> None:
    for name in ("security:my-logins", "security:logins", "security:lockouts"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_plt04_login_history_own_and_everyone(client: Client) -> None:
    frank = UserFactory(username="frank")
    other = UserFactory(username="grace")
    _login(client, "frank", "bad", ip="192.0.2.4")
    _login(client, "grace", PASSWORD)
    client.logout()
    _login(client, "frank", PASSWORD, ip="192.0.2.4")
    own = client.get(reverse("security:my-logins"))
    assert own.status_code == 200
    attempts = list(own.context["attempts"])
    assert [a.succeeded for a in attempts] == [True]  # the failure had no user yet
    assert all(a.user == frank for a in attempts)
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)
    everyone = client.get(reverse("security:logins"), {"q": "192.0.2.4"})
    assert {a.username for a in everyone.context["attempts"]} == {"frank"}
    failed = client.get(reverse("security:logins"), {"failed": "1"})
    assert [a.username for a in failed.context["attempts"]] == ["frank"]
    assert other.pk


def test_plt04_password_policy(settings: object) -> None:
    user = UserFactory.build(username="zhangwei")
    with pytest.raises(ValidationError) as error:
        validate_password("alllowercaseletters", user)
    assert any("kinds of characters" in m for m in error.value.messages)
    with pytest.raises(ValidationError) as error:
        validate_password("Zhangwei-2026x!", user)
    assert any("user name" in m for m in error.value.messages)
    with pytest.raises(ValidationError):
        validate_password("Ab1!x", user)  # too short
    validate_password("Sturdy-Harbour-42", user)


def test_plt04_absolute_session_timeout(client: Client, settings: object) -> None:
    settings.WEIBAO_SESSION_ABSOLUTE_HOURS = 1  # type: ignore[attr-defined]
    UserFactory(username="heidi")
    assert _login(client, "heidi", PASSWORD).status_code == 302
    assert client.get(reverse("security:my-logins")).status_code == 200
    session = client.session
    session[SESSION_STARTED] = time.time() - 3601
    session.save()
    response = client.get(reverse("security:my-logins"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_plt04_demo_login_is_not_blocked_by_defaults(client: Client) -> None:
    """Default settings keep the demo usable: one wrong password does not lock anyone."""
    UserFactory(username="ivan")
    _login(client, "ivan", "typo")
    assert _login(client, "ivan", PASSWORD).status_code == 302
