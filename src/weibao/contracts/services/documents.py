"""Contract documents (CON-03) and amendments (CON-06)."""

from __future__ import annotations

import datetime
import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from weibao.contracts.choices import DocumentType
from weibao.contracts.models import Amendment, Contract, ContractDocument
from weibao.core.errors import ServiceError
from weibao.core.models import User
from weibao.utils.files import remove_files_on_error, track_new_file

__all__ = ["delete_document", "save_amendment", "upload_document", "validate_upload"]

# Accepted extensions and the leading bytes their content must start with.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".ofd": (b"PK\x03\x04",),  # OFD (GB/T 33190) is a zip container
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".wps": (b"\xd0\xcf\x11\xe0",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": (b"",),
}


def validate_upload(upload: UploadedFile) -> str:
    """Check size, extension and content signature; return the content type to store."""
    name = upload.name or ""
    suffix = PurePath(name).suffix.lower()
    limit = settings.WEIBAO_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size is None or upload.size == 0:
        raise ServiceError({"file": [_("The file is empty.")]})
    if upload.size > limit:
        raise ServiceError(
            {"file": [_("The file is %(size).1f MB; the limit is %(limit)d MB.")
                      % {"size": upload.size / 1048576, "limit": settings.WEIBAO_MAX_UPLOAD_MB}]}
        )
    if suffix not in _SIGNATURES:
        raise ServiceError(
            {"file": [_("Files of type %(suffix)s are not accepted; accepted: %(allowed)s.")
                      % {"suffix": suffix or "?", "allowed": ", ".join(sorted(_SIGNATURES))}]}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in _SIGNATURES[suffix]):
        raise ServiceError(
            {"file": [_("The content of %(name)s is not a %(suffix)s file.")
                      % {"name": name, "suffix": suffix}]}
        )
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def upload_document(contract: Contract, *, doc_type: str, title: str,
                    upload: UploadedFile | None, actor: User | None = None,
                    notes: str = "") -> ContractDocument:
    """Add a document, or attach a file to the listed document of the same type and title."""
    with remove_files_on_error(), transaction.atomic():
        return _upload_document(contract, doc_type=doc_type, title=title, upload=upload,
                                actor=actor, notes=notes)


def _upload_document(contract: Contract, *, doc_type: str, title: str,
                     upload: UploadedFile | None, actor: User | None,
                     notes: str) -> ContractDocument:
    if doc_type not in DocumentType.values:
        raise ServiceError({"doc_type": [_("Unknown document type %(type)s.")
                                         % {"type": doc_type}]})
    title = title.strip()
    if not title:
        raise ServiceError({"title": [_("A document needs a title.")]})
    content_type = validate_upload(upload) if upload is not None else ""
    document, _created = ContractDocument.objects.select_for_update().get_or_create(
        contract=contract, doc_type=doc_type, title=title
    )
    if upload is not None:
        old_file = document.file.name if document.file else ""
        document.file.save(PurePath(upload.name or "document").name, upload, save=False)
        track_new_file(document.file.storage, document.file.name or "")
        document.content_type = content_type
        document.size = upload.size or 0
        document.uploaded_by = actor
        if old_file:
            storage, name = document.file.storage, old_file
            transaction.on_commit(lambda: storage.delete(name))
    if notes:
        document.notes = notes
    document.save()
    return document


@transaction.atomic
def delete_document(document: ContractDocument) -> None:
    if Amendment.objects.filter(document=document).exists():
        raise ServiceError(_("This document belongs to an amendment; edit the amendment first."))
    name, storage = document.file.name, document.file.storage
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def save_amendment(contract: Contract, *, title: str, signed_on: datetime.date,
                   summary: str = "", sequence: int | None = None,
                   document: ContractDocument | None = None,
                   amendment: Amendment | None = None) -> Amendment:
    """Record a signed amendment; numbered in signing order unless a sequence is given."""
    if not title.strip():
        raise ServiceError({"title": [_("An amendment needs a title.")]})
    if contract.signed_on and signed_on < contract.signed_on:
        raise ServiceError({"signed_on": [_("An amendment cannot be signed before the contract.")]})
    if document is not None and document.contract_id != contract.pk:
        raise ServiceError({"document": [_("The document belongs to another contract.")]})
    if amendment is None:
        amendment = Amendment(contract=contract)
        if sequence is None:
            last = contract.amendments.order_by("-sequence").values_list("sequence", flat=True)
            sequence = (last.first() or 0) + 1
    if sequence is not None:
        amendment.sequence = sequence
    amendment.title, amendment.signed_on = title.strip(), signed_on
    amendment.summary, amendment.document = summary, document
    try:
        with transaction.atomic():
            amendment.save()
    except IntegrityError as exc:
        raise ServiceError({"sequence": [_("Amendment number %(n)s already exists.")
                                         % {"n": amendment.sequence}]}) from exc
    return amendment
