"""The TOTP second factor (PLT-04): RFC 6238 test vectors, enrolment, sign-in, replay."""

from __future__ import annotations

import base64
import time

import pytest
from django.test import Client
from django.urls import reverse

from weibao.core.choices import Role
from weibao.security import totp
from weibao.security.models import LoginAttempt, TotpDevice
from weibao.security.second_factor import pending_secret
from weibao.testing.factories import PASSWORD, UserFactory
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)

# RFC 6238 appendix B: the SHA-1 seed "12345678901234567890", 8 digits.
_RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
_RFC_VECTORS = [(59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
                (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130")]


@pytest.mark.parametrize(("at", "expected"), _RFC_VECTORS)
def test_plt04_rfc6238_vectors(at: int, expected: str) -> None:
    assert totp.totp(_RFC_SECRET, at=at, digits=8) == expected


def test_plt04_rfc4226_hotp_vectors() -> None:
    expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922",
                "162583", "399871", "520489"]
    assert [totp.hotp(b"12345678901234567890", c) for c in range(10)] == expected


def test_plt04_verify_window_and_replay() -> None:
    secret = totp.new_secret()
    now = 1_700_000_000.0
    code = totp.totp(secret, at=now)
    step = totp.verify(secret, code, at=now)
    assert step == int(now // 30)
    assert totp.verify(secret, code, at=now + 30) == step  # one step of drift
    assert totp.verify(secret, code, at=now + 95) is None
    assert totp.verify(secret, code, at=now, after=step) is None  # used once
    assert totp.verify(secret, "12a456", at=now) is None
    assert "otpauth://totp/weibao%3Aalice?secret=" in totp.provisioning_uri(secret, "alice")


def _enrol(client: Client) -> str:
    client.post(reverse("security:totp"), {"action": "start"})
    page = client.get(reverse("security:totp"))
    secret = page.context["secret"]
    assert secret
    # PLT-04: the key is offered as a QR code drawn on the server (no script, no network)
    body = page.content.decode()
    assert 'data-testid="totp-qr"' in body and "<svg" in body
    assert page.context["qr_svg"] == totp.qr_svg(page.context["uri"])
    assert totp.qr_svg(page.context["uri"]) != totp.qr_svg(page.context["uri"] + "x")
    response = client.post(reverse("security:totp"),
                           {"action": "confirm", "code": totp.totp(secret)})
    assert response.status_code == 302
    return str(secret)


@pytest.mark.django_db
def test_plt04_enrolment_then_sign_in_needs_the_code(client: Client) -> None:
    user = UserFactory(username="tina")
    client.force_login(user)
    secret = _enrol(client)
    device = TotpDevice.objects.get(user=user)
    assert device.confirmed_at is not None and secret not in device.secret  # encrypted
    client.logout()
    response = client.post(reverse("login"), {"username": "tina", "password": PASSWORD,
                                              "next": "/security/sign-ins/"})
    assert response.status_code == 302 and "/security/two-step/code/" in response["Location"]
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("security:totp-login"), {"code": "000000"})
    assert b'data-testid="totp-error"' in wrong.content
    assert "_auth_user_id" not in client.session
    TotpDevice.objects.filter(pk=device.pk).update(last_step=-1)  # the enrolment code's step
    code = totp.totp(secret, at=time.time() + 30)
    ok = client.post(reverse("security:totp-login"), {"code": code,
                                                      "next": "/security/sign-ins/"})
    assert ok.status_code == 302 and ok["Location"] == "/security/sign-ins/"
    assert client.session["_auth_user_id"] == str(user.pk)
    reasons = list(LoginAttempt.objects.filter(username="tina").values_list("reason", "succeeded"))
    assert ("second_factor", True) in reasons and ("bad_code", False) in reasons


@pytest.mark.django_db
def test_plt04_code_page_without_a_password_step_goes_to_login(client: Client) -> None:
    assert client.get(reverse("security:totp-login"))["Location"] == reverse("login")
    assert client.post(reverse("security:totp-login"),
                       {"code": "123456"})["Location"] == reverse("login")


@pytest.mark.django_db
def test_plt04_administrators_must_enrol_when_required(client: Client, settings: object) -> None:
    settings.WEIBAO_REQUIRE_TOTP_FOR_ADMINS = True  # type: ignore[attr-defined]
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)
    assert client.get(reverse("home"))["Location"] == reverse("security:totp")
    _enrol(client)
    assert client.get(reverse("home")).status_code == 200
    off = client.post(reverse("security:totp"), {"action": "remove"})
    assert b"must keep an authenticator" in off.content
    # Other roles are not forced.
    client.force_login(UserFactory(role=Role.VENDOR_ENGINEER))
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_plt04_user_turns_it_off(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    _enrol(client)
    client.post(reverse("security:totp"), {"action": "remove"})
    assert not TotpDevice.objects.filter(user=user).exists()
    assert pending_secret(user) is None
