"""SM2 signatures of signed documents (PLT-03, PLT-05)."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from weibao.core.crypto import digest
from weibao.security.signing import sign_document, verify_document


@pytest.fixture
def key_file(tmp_path: Path, settings: object) -> Path:
    path = tmp_path / "sm2-signing.key"
    settings.WEIBAO_SM2_KEY_FILE = str(path)  # type: ignore[attr-defined]
    return path


def test_plt05_sign_and_verify_a_sheet_digest(key_file: Path) -> None:
    sheet = digest("维保单 2026-11 第3号".encode(), "sm3")
    signed = sign_document("maintenance.sheet", 3, "sm3", sheet)
    assert key_file.exists() and stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert signed.algorithm == "sm2" and len(bytes.fromhex(signed.signature)) == 64
    assert verify_document("maintenance.sheet", 3, "sm3", sheet, signed)
    # Another digest, another document, a changed signature: all refused.
    assert not verify_document("maintenance.sheet", 3, "sm3", digest(b"x", "sm3"), signed)
    assert not verify_document("maintenance.sheet", 4, "sm3", sheet, signed)
    assert not verify_document("tickets.report", 3, "sm3", sheet, signed)
    flipped = signed.signature[:-1] + ("0" if signed.signature[-1] != "0" else "1")
    assert not verify_document("maintenance.sheet", 3, "sm3", sheet,
                               replace(signed, signature=flipped))
    # The key pair is made once: a second signature uses the same public key.
    assert sign_document("assessment.final", 1, "sm3", sheet).public_key == signed.public_key


def test_plt05_empty_digest_is_refused(key_file: Path) -> None:
    with pytest.raises(ValueError):
        sign_document("maintenance.sheet", 1, "sm3", "")
