"""National cryptography (PLT-05) against the published test vectors, and encryption of secrets
at rest (PLT-02): SM3 (GB/T 32905), SM4 (GB/T 32907), SM2 key derivation (GB/T 32918 example
key pair); encrypted values that name their key, refuse tampering and survive a key rotation."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from weibao.core.crypto import (
    DecryptionError,
    decrypt,
    digest,
    encrypt,
    is_encrypted,
    signing_public_key,
    sm2_sign,
    sm2_verify,
)

KEY = "0123456789abcdeffedcba9876543210"


def test_sm3_gbt_32905_vectors() -> None:
    assert digest(b"abc", "sm3") == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    assert digest(b"abcd" * 16, "sm3") == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")


def test_sm4_gbt_32907_vector() -> None:
    key = bytes.fromhex(KEY)
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()  # noqa: S305 (one block)
    assert (encryptor.update(key) + encryptor.finalize()).hex() == (
        "681edf34d206965e86b3e94f536e4246")


def test_sm2_public_key_of_the_standard_example_and_signatures(tmp_path: Path,
                                                               settings: object) -> None:
    """The GB/T 32918 example private key gives the example's public key; a signature verifies,
    and fails for other data, another key or a changed signature."""
    import gmalg

    secret = bytes.fromhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
    public = gmalg.SM2().generate_pk(secret)
    assert public.hex().upper() == (
        "04" "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
        "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")
    signature = sm2_sign(b"message digest", secret=secret, public=public)
    assert sm2_verify(b"message digest", signature, public.hex())
    assert not sm2_verify(b"message digesT", signature, public.hex())
    changed = signature[:-2] + ("00" if signature[-2:] != "00" else "01")
    assert not sm2_verify(b"message digest", changed, public.hex())
    assert not sm2_verify(b"message digest", "zz", public.hex())

    settings.WEIBAO_SM2_KEY_FILE = str(tmp_path / "sm2.key")  # type: ignore[attr-defined]
    own = sm2_sign(b"sheet")
    assert (tmp_path / "sm2.key").stat().st_mode & 0o077 == 0  # owner-readable only
    assert sm2_verify(b"sheet", own) and sm2_verify(b"sheet", own, signing_public_key())
    assert not sm2_verify(b"sheet", own, public.hex())


def test_sm2_signatures_are_always_64_bytes_and_verify() -> None:
    """Regression: r or s with a leading zero byte (≈1 in 128 signatures) still makes a
    64-byte signature that verifies — 600 signatures all do."""
    import gmalg

    secret, public = gmalg.SM2().generate_keypair()
    for i in range(600):
        data = f"sheet {i}".encode()
        signature = sm2_sign(data, secret=secret, public=public)
        assert len(signature) == 128
        assert sm2_verify(data, signature, public.hex())


@pytest.mark.parametrize("cipher", ["sm4", "aes"])
def test_encrypt_round_trip_names_its_cipher(cipher: str, settings: object) -> None:
    settings.WEIBAO_CIPHER = cipher  # type: ignore[attr-defined]
    token = encrypt("钉钉加签密钥 SEC123", context="channel.secret")
    assert is_encrypted(token) and token.split(":")[1] == cipher
    assert "SEC123" not in token
    assert decrypt(token, context="channel.secret") == "钉钉加签密钥 SEC123"
    assert encrypt("x") != encrypt("x")  # a fresh nonce each time


def test_tampering_and_context_are_refused() -> None:
    token = encrypt("13800138000", context="person.phone")
    with pytest.raises(DecryptionError):
        decrypt(token, context="person.id_number")  # copied into another column
    head, payload = token.rsplit(":", 1)
    flipped = payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")
    with pytest.raises(DecryptionError):
        decrypt(f"{head}:{flipped}", context="person.phone")
    with pytest.raises(DecryptionError):
        decrypt("plain text")


def test_key_rotation(settings: object) -> None:
    """PLT-02: after a rotation new values use the new key; values of the old key still decrypt
    while it is listed among the old keys, and not once it is removed."""
    settings.WEIBAO_ENCRYPTION_KEY = KEY  # type: ignore[attr-defined]
    old = encrypt("secret")
    settings.WEIBAO_ENCRYPTION_KEY = "fedcba98765432100123456789abcdef"  # type: ignore[attr-defined]
    settings.WEIBAO_ENCRYPTION_OLD_KEYS = [KEY]  # type: ignore[attr-defined]
    new = encrypt("secret")
    assert old.split(":")[2] != new.split(":")[2]
    assert decrypt(old) == decrypt(new) == "secret"
    settings.WEIBAO_ENCRYPTION_OLD_KEYS = []  # type: ignore[attr-defined]
    with pytest.raises(DecryptionError, match="not configured"):
        decrypt(old)


def test_a_malformed_key_is_a_clear_error(settings: object) -> None:
    settings.WEIBAO_ENCRYPTION_KEY = "not-hex"  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="32 hexadecimal digits"):
        encrypt("x")


@hsettings(max_examples=40, deadline=None)
@given(st.text(max_size=200))
def test_any_text_round_trips(text: str) -> None:
    assert decrypt(encrypt(text, context="c"), context="c") == text
