"""Time-based one-time passwords, RFC 6238 (HOTP of RFC 4226 over 30-second steps), with the
standard library's hmac and hashlib (PLT-04: a second factor)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

__all__ = ["STEP", "hotp", "new_secret", "provisioning_uri", "qr_svg", "totp", "verify"]

STEP = 30
DIGITS = 6


def new_secret() -> str:
    """A random 160-bit secret, base32 as authenticator apps read it."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def _key(secret: str) -> bytes:
    text = secret.strip().replace(" ", "").upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS, algorithm: str = "sha1") -> str:
    """RFC 4226: the one-time password of ``counter``."""
    mac = hmac.new(key, struct.pack(">Q", counter), getattr(hashlib, algorithm)).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return str(code).zfill(digits)


def totp(secret: str, at: float | None = None, digits: int = DIGITS) -> str:
    """RFC 6238: the password of the 30-second step holding ``at`` (now by default)."""
    moment = time.time() if at is None else at
    return hotp(_key(secret), int(moment // STEP), digits)


def verify(secret: str, code: str, *, after: int = -1, at: float | None = None,
           window: int = 1) -> int | None:
    """The step ``code`` belongs to (within ``window`` steps of now, clock drift), or None.
    A step not later than ``after`` (the last one used) is refused: a code works once."""
    text = "".join(code.split())
    if not text.isdigit() or len(text) != DIGITS:
        return None
    moment = time.time() if at is None else at
    now = int(moment // STEP)
    key = _key(secret)
    for step in range(now - window, now + window + 1):
        if step > after and hmac.compare_digest(hotp(key, step), text):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str = "weibao") -> str:
    """The ``otpauth://`` address an authenticator app adds (typed or scanned)."""
    label = quote(f"{issuer}:{account}")
    return f"otpauth://totp/{label}?" + urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS,
         "period": STEP})


def qr_svg(uri: str) -> str:
    """The ``otpauth://`` address as an inline SVG QR code (segno, drawn server-side: no
    script, nothing fetched) for the authenticator app's camera."""
    import segno

    return str(segno.make(uri, error="m").svg_inline(scale=4, title="otpauth QR code"))
