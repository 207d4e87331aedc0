"""Digests for signed documents (PLT-05): SM3 by default, chosen by a setting beside the
international SHA-256. ``cryptography`` provides both."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from django.conf import settings

__all__ = ["ALGORITHMS", "digest", "document_digest_algorithm"]

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
