"""Files on a ticket (photos of the fault, logs): checked like contract documents."""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from weibao.contracts.services.documents import validate_upload
from weibao.tickets.models import Ticket, TicketAttachment
from weibao.utils.files import remove_files_on_error, track_new_file

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["add_attachment"]


def add_attachment(ticket: Ticket, upload: UploadedFile, actor: User) -> TicketAttachment:
    """Attach a file: size, extension and content signature are checked first (the same
    rules as contract documents); a failed write leaves no file behind."""
    if not actor.has_perm("tickets.add_ticketattachment", ticket):
        raise PermissionDenied(_("Your role may not do this."))
    validate_upload(upload)
    with remove_files_on_error(), transaction.atomic():
        Ticket.objects.select_for_update().filter(pk=ticket.pk).first()
        name = PurePath(upload.name or "attachment").name
        attachment = TicketAttachment(ticket=ticket, name=name[:200], uploaded_by=actor)
        attachment.file.save(name, upload, save=False)
        track_new_file(attachment.file.storage, attachment.file.name or "")
        attachment.save()
        return attachment
