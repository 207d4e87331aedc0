"""Response headers (PLT-08)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from weibao.core.choices import Role
from weibao.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_plt08_csp_and_framing_headers_on_pages(client: Client) -> None:
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1]\
        .split(";")[0]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert "Content-Security-Policy" in client.get(reverse("home"))


def test_plt08_no_hsts_without_https(client: Client) -> None:
    assert "Strict-Transport-Security" not in client.get(reverse("login"), secure=True)


def test_plt08_hsts_and_secure_cookies_with_https(client: Client, settings: object) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000  # type: ignore[attr-defined]
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_plt08_https_setting_turns_on_hsts_and_secure_cookies() -> None:
    import os
    import subprocess
    import sys

    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='weibao.settings';"
            "from django.conf import settings as s;"
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)")
    env = {**os.environ, "WEIBAO_HTTPS": "true"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,  # noqa: S603
                         check=True).stdout.split()
    assert out == ["True", "True", "31536000"]
