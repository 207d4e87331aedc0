"""SM2 signatures of signed documents (PLT-03, PLT-05): maintenance sheets, fault reports and
final assessments already keep the digest of their content (``WEIBAO_DIGEST_ALGORITHM``); the
document apps call :func:`sign_document` with that digest to get the installation's SM2
signature of it (GB/T 32918, user id ``1234567812345678``), and :func:`verify_document` to check
one. The key pair is generated on first use into ``<data dir>/sm2-signing.key`` (owner-only;
``WEIBAO_SM2_KEY_FILE`` to place it elsewhere) by :mod:`weibao.core.crypto`; back it up with the
data folder, keep it out of reach of the database's readers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from weibao.core.crypto import digest as content_digest
from weibao.core.crypto import signing_public_key, sm2_sign, sm2_verify

if TYPE_CHECKING:
    from weibao.security.models import DocumentSignature as SignatureRow

__all__ = ["DocumentProblem", "DocumentSignature", "SignedDocument", "VerificationReport",
           "document_message", "register_source", "seal_document", "sign_document",
           "signature_valid", "verify_document", "verify_documents"]


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


# ------------------------------------------------------------------ stored signatures
# The document apps seal each signed version in its own transaction (``seal_document``) and
# register a source that lists their documents with their current content, so that
# ``weibao audit documents`` can recompute every digest and check every signature.


@dataclass(frozen=True)
class SignedDocument:
    """A document as it is now: its id, a way to read its content, the digest its own row keeps
    (when it keeps one) and a label for messages."""

    object_id: str
    content: Callable[[], bytes]
    stored_digest: str = ""
    label: str = ""


DocumentSource = Callable[[], Iterable[SignedDocument]]
_SOURCES: dict[str, DocumentSource] = {}


def register_source(kind: str, source: DocumentSource) -> None:
    """Make ``weibao audit documents`` check the documents of ``kind`` that ``source`` lists."""
    _SOURCES[kind] = source


def seal_document(kind: str, pk: object, digest_algorithm: str,
                  digest: str) -> SignatureRow:
    """Store the installation's SM2 signature of this version of a document (idempotent: the
    same digest is signed once). Call it inside the transaction that writes the document."""
    from weibao.security.models import DocumentSignature as Row

    existing = Row.objects.filter(kind=kind, object_id=str(pk), digest=digest.lower()).first()
    if existing is not None:
        return existing
    signed = sign_document(kind, pk, digest_algorithm, digest)
    return Row.objects.create(kind=kind, object_id=str(pk), digest_algorithm=digest_algorithm,
                              digest=digest.lower(), algorithm=signed.algorithm,
                              public_key=signed.public_key, signature=signed.signature)


def _latest(kind: str, pk: object) -> SignatureRow | None:
    from weibao.security.models import DocumentSignature as Row

    return Row.objects.filter(kind=kind, object_id=str(pk)).order_by("-pk").first()


def signature_valid(kind: str, pk: object, digest: str) -> bool | None:
    """Whether the latest stored signature of the document signs ``digest``; None when the
    document was never signed (documents made before signing existed)."""
    row = _latest(kind, pk)
    if row is None:
        return None
    return row.digest == digest.lower() and verify_document(
        kind, pk, row.digest_algorithm, row.digest,
        DocumentSignature(row.algorithm, row.public_key, row.signature))


@dataclass(frozen=True)
class DocumentProblem:
    kind: str
    object_id: str
    label: str
    reason: str

    def __str__(self) -> str:
        return f"{self.kind} {self.label or self.object_id}: {self.reason}"


@dataclass
class VerificationReport:
    checked: int = 0
    unsigned: int = 0
    problems: list[DocumentProblem] = field(default_factory=list)


def verify_documents(kinds: Iterable[str] | None = None) -> VerificationReport:
    """Recompute the digest of every registered document from its content and check it against
    the stored digest and SM2 signature (PLT-03). Unsigned documents are counted, not failed."""
    report = VerificationReport()
    for kind in sorted(kinds or _SOURCES):
        for doc in _SOURCES[kind]():
            row = _latest(kind, doc.object_id)
            if row is None:
                report.unsigned += 1
                continue
            report.checked += 1
            problem = _problem(kind, doc, row)
            if problem:
                report.problems.append(DocumentProblem(kind, doc.object_id, doc.label, problem))
    return report


def _problem(kind: str, doc: SignedDocument, row: SignatureRow) -> str:
    algorithm, signed_digest = row.digest_algorithm, row.digest
    try:
        actual = content_digest(doc.content(), algorithm)
    except OSError as error:
        return f"content unreadable ({error})"
    if actual != signed_digest:
        return "content changed since it was signed"
    if doc.stored_digest and doc.stored_digest.lower() != signed_digest:
        return "the digest kept with the document differs from the signed one"
    if not signature_valid(kind, doc.object_id, signed_digest):
        return "SM2 signature invalid"
    return ""
