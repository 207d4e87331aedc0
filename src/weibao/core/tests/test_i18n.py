"""The UI is fully translatable: both catalogs complete and compiled (zh-hans default)."""

import subprocess
import sys
from pathlib import Path

from django.utils import translation

ROOT = Path(__file__).resolve().parents[4]


def test_catalogs_are_complete_and_compiled():
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "scripts" / "compile_messages.py"), "--check"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr


def test_chinese_is_the_default_and_english_available(client, db):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert "登录" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Log in" in client.get("/login/").content.decode()


def test_a_domain_term_is_translated():
    with translation.override("zh-hans"):
        assert str(translation.gettext("Payment milestones")) != "Payment milestones"
