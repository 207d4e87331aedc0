"""National cryptography in one small module (PLT-05): SM3 digests for signed documents (SHA-256
beside it), SM4 encryption of secrets and personal data at rest (AES beside it), SM2 signatures.
``cryptography`` provides SM3 and SM4, ``gmalg`` SM2; each is chosen by a setting."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import hashes
from django.conf import settings

__all__ = [
    "ALGORITHMS",
    "DecryptionError",
    "current_key_id",
    "decrypt",
    "digest",
    "document_digest_algorithm",
    "encrypt",
    "encryption_keys",
    "is_encrypted",
    "key_id_of",
    "signing_public_key",
    "sm2_sign",
    "sm2_verify",
]

ALGORITHMS = {"sm3": hashes.SM3, "sha256": hashes.SHA256}


def document_digest_algorithm() -> str:
    """The algorithm new documents are digested with (``WEIBAO_DIGEST_ALGORITHM``)."""
    return str(getattr(settings, "WEIBAO_DIGEST_ALGORITHM", "sm3"))


def digest(data: bytes, algorithm: str | None = None) -> str:
    """The hex digest of ``data`` (SM3 unless told otherwise)."""
    name = algorithm or document_digest_algorithm()
    if name not in ALGORITHMS:
        raise ValueError(f"unknown digest algorithm {name!r}")
    h = hashes.Hash(ALGORITHMS[name]())
    h.update(data)
    return h.finalize().hex()


# ---------------------------------------------------------------- encryption (PLT-02, PLT-05)
# Secrets and personal data at rest: SM4-GCM by default, AES-GCM beside it
# (``WEIBAO_CIPHER``), keyed by ``WEIBAO_ENCRYPTION_KEY`` (32 hex digits; derived from
# SECRET_KEY with HKDF-SM3 when unset). A ciphertext names its algorithm and key, so keys can be
# rotated: new values use the current key, ``WEIBAO_ENCRYPTION_OLD_KEYS`` still decrypt.

_CIPHERS = ("sm4", "aes")
_PREFIX = "enc1"


class DecryptionError(ValueError):
    """A value that cannot be decrypted: altered, or encrypted with a key no longer configured."""


def _derived_key() -> bytes:
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SM3(), length=16, salt=b"weibao-encryption",
                info=b"sm4-gcm").derive(str(settings.SECRET_KEY).encode())


def _key_bytes(text: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError as error:
        raise ValueError("WEIBAO_ENCRYPTION_KEY must be 32 hexadecimal digits") from error
    if len(key) != 16:
        raise ValueError("WEIBAO_ENCRYPTION_KEY must be 32 hexadecimal digits")
    return key


def encryption_keys() -> dict[str, bytes]:
    """The keys weibao can decrypt with, by key id; the first is the one new values use."""
    configured = str(getattr(settings, "WEIBAO_ENCRYPTION_KEY", "") or "")
    current = _key_bytes(configured) if configured else _derived_key()
    keys = [current] + [_key_bytes(k) for k in getattr(settings, "WEIBAO_ENCRYPTION_OLD_KEYS", ())
                        if k]
    return {digest(key, "sm3")[:8]: key for key in keys}


def _cipher(name: str, key: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if name == "aes":
        return AESGCM(key)
    return _SM4GCM(key)


class _SM4GCM:
    """SM4 in GCM mode with the same interface as ``AESGCM`` (12-byte nonce, 16-byte tag)."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    def encrypt(self, nonce: bytes, data: bytes, associated: bytes | None) -> bytes:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        encryptor = Cipher(algorithms.SM4(self.key), modes.GCM(nonce)).encryptor()
        if associated:
            encryptor.authenticate_additional_data(associated)
        return encryptor.update(data) + encryptor.finalize() + encryptor.tag

    def decrypt(self, nonce: bytes, data: bytes, associated: bytes | None) -> bytes:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        decryptor = Cipher(algorithms.SM4(self.key), modes.GCM(nonce, data[-16:])).decryptor()
        if associated:
            decryptor.authenticate_additional_data(associated)
        return decryptor.update(data[:-16]) + decryptor.finalize()


def encrypt(plaintext: str, *, context: str = "") -> str:
    """``plaintext`` encrypted with the current key: ``enc1:<cipher>:<key id>:<base64>``.
    ``context`` (e.g. the column's name) is authenticated: a value copied into another column
    does not decrypt there."""
    import base64
    import os

    name = str(getattr(settings, "WEIBAO_CIPHER", "sm4"))
    if name not in _CIPHERS:
        raise ValueError(f"unknown cipher {name!r} (WEIBAO_CIPHER: sm4 or aes)")
    key_id, key = next(iter(encryption_keys().items()))
    nonce = os.urandom(12)
    sealed = _cipher(name, key).encrypt(nonce, plaintext.encode(), context.encode() or None)
    return f"{_PREFIX}:{name}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, context: str = "") -> str:
    """The plaintext of a value written by :func:`encrypt` with any configured key."""
    import base64

    from cryptography.exceptions import InvalidTag

    try:
        prefix, name, key_id, payload = token.split(":", 3)
        raw = base64.b64decode(payload, validate=True)
    except ValueError as error:
        raise DecryptionError("not an encrypted value") from error
    if prefix != _PREFIX or name not in _CIPHERS:
        raise DecryptionError("not an encrypted value")
    key = encryption_keys().get(key_id)
    if key is None:
        raise DecryptionError(f"encrypted with key {key_id}, which is not configured")
    try:
        return _cipher(name, key).decrypt(raw[:12], raw[12:], context.encode() or None).decode()
    except InvalidTag as error:
        raise DecryptionError("the encrypted value was altered") from error


def is_encrypted(value: str) -> bool:
    return value.startswith(f"{_PREFIX}:")


def key_id_of(token: str) -> str:
    """The id of the key an encrypted value was written with ("" for anything else)."""
    parts = token.split(":", 3)
    return parts[2] if len(parts) == 4 and parts[0] == _PREFIX else ""


def current_key_id() -> str:
    """The id of the key new values are encrypted with."""
    return next(iter(encryption_keys()))


# ---------------------------------------------------------------- SM2 signatures (PLT-05)
# Documents weibao signs (fault reports, maintenance sheets, final assessments) can carry an SM2
# signature besides their SM3 digest. The installation's key pair is generated on first use into
# ``DATA_DIR/sm2-signing.key`` (readable by the owner only); ``signing_public_key()`` is what a
# verifier needs.

SM2_UID = b"1234567812345678"  # the default user id of GB/T 32918 / GM/T 0009


def _signing_key_file() -> Any:
    from pathlib import Path

    return Path(getattr(settings, "WEIBAO_SM2_KEY_FILE", "") or Path(settings.DATA_DIR)
                / "sm2-signing.key")


def _signing_keys() -> tuple[bytes, bytes]:
    import os

    import gmalg

    path = _signing_key_file()
    if not path.exists():
        secret, public = gmalg.SM2().generate_keypair()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secret.hex() + "\n" + public.hex() + "\n")
    secret_hex, public_hex = path.read_text().split()[:2]
    return bytes.fromhex(secret_hex), bytes.fromhex(public_hex)


def signing_public_key() -> str:
    """The installation's SM2 public key (hex, uncompressed point)."""
    return _signing_keys()[1].hex()


def sm2_sign(data: bytes, *, secret: bytes | None = None, public: bytes | None = None) -> str:
    """The SM2 signature (hex r‖s) of ``data`` with the installation's key, or the one given."""
    import gmalg

    if secret is None:
        secret, public = _signing_keys()
    r, s = gmalg.SM2(sk=secret, pk=public, uid=SM2_UID).sign(data)
    # gmalg drops leading zero bytes (r or s below 2^248, about one signature in 128): the
    # signature is always the two 32-byte halves.
    return (r.rjust(32, b"\0") + s.rjust(32, b"\0")).hex()


def sm2_verify(data: bytes, signature: str, public_key: str | None = None) -> bool:
    """Whether ``signature`` is an SM2 signature of ``data`` by ``public_key`` (hex; the
    installation's when omitted)."""
    import gmalg

    public = bytes.fromhex(public_key) if public_key else _signing_keys()[1]
    try:
        raw = bytes.fromhex(signature)
    except ValueError:
        return False
    if len(raw) != 64:
        return False
    return bool(gmalg.SM2(pk=public, uid=SM2_UID).verify(data, raw[:32], raw[32:]))
