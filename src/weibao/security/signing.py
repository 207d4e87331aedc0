"""SM2 signatures of signed documents (PLT-03, PLT-05): maintenance sheets, fault reports and
final assessments already keep the digest of their content (``WEIBAO_DIGEST_ALGORITHM``); the
document apps call :func:`sign_document` with that digest to get the installation's SM2
signature of it (GB/T 32918, user id ``1234567812345678``), and :func:`verify_document` to check
one. The key pair is generated on first use into ``<data dir>/sm2-signing.key`` (owner-only;
``WEIBAO_SM2_KEY_FILE`` to place it elsewhere) by :mod:`weibao.core.crypto`; back it up with the
data folder, keep it out of reach of the database's readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from weibao.core.crypto import signing_public_key, sm2_sign, sm2_verify

__all__ = ["DocumentSignature", "document_message", "sign_document", "verify_document"]


@dataclass(frozen=True)
class DocumentSignature:
    algorithm: str  # always "sm2"
    public_key: str  # hex, uncompressed point: keep it with the signature
    signature: str  # hex r‖s


def document_message(kind: str, pk: object, digest_algorithm: str, digest: str) -> bytes:
    """What is signed: the document's kind and id bind the digest to that document."""
    if not kind or not digest:
        raise ValueError("a document kind and digest are required")
    return "\n".join(["weibao-document-v1", kind, str(pk), digest_algorithm,
                      digest.lower()]).encode("utf-8")


def sign_document(kind: str, pk: object, digest_algorithm: str,
                  digest: str) -> DocumentSignature:
    """The installation's SM2 signature of a document's digest."""
    message = document_message(kind, pk, digest_algorithm, digest)
    return DocumentSignature("sm2", signing_public_key(), sm2_sign(message))


def verify_document(kind: str, pk: object, digest_algorithm: str, digest: str,
                    signature: DocumentSignature) -> bool:
    """Whether ``signature`` signs this document's digest (False for anything else)."""
    if signature.algorithm != "sm2":
        return False
    message = document_message(kind, pk, digest_algorithm, digest)
    return sm2_verify(message, signature.signature, signature.public_key)
