"""Doing a visit on a phone (巡检/维护): check in, fill the checklist, take photos, issue
parts, open a ticket for an abnormal result, and submit with the site staff's signature
(PM-01, PM-02, PM-08, AST-08, SPR-02).

Every write locks the visit (``select_for_update``), checks the caller's ``expected_version``
when given (``StaleVisit``) and bumps ``visit.version``. The signed sheet, its corrections
and their digests are in :mod:`weibao.maintenance.services.sheets`; ``submit_visit``,
``correct_sheet`` and ``verify_sheet`` are re-exported here, the one module the pages and
the API call.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.maintenance.choices import VisitStatus
from weibao.maintenance.models import Visit, VisitPhoto, VisitResult
from weibao.maintenance.services.checklists import (
    CLOCK_TOLERANCE,
    clean_answers,
    display_value,
    locked_visit,
    require_performer,
    require_workable,
)
from weibao.maintenance.services.errors import VisitConflict
from weibao.maintenance.services.sheets import (
    correct_sheet,
    submit_visit,
    verify_sheet,
    visit_movements,
)
from weibao.utils.files import remove_files_on_error, track_new_file

if TYPE_CHECKING:
    from weibao.core.models import User
    from weibao.spares.models import PartType, StockMovement, Warehouse
    from weibao.tickets.models import Ticket, TicketType

__all__ = ["CHECK_IN_TOLERANCE", "PHOTO_MAX_SIDE", "PHOTO_QUALITY", "add_photo", "check_in",
           "correct_sheet", "issue_visit_parts", "open_ticket", "record_results",
           "submit_visit", "verify_sheet", "visit_movements"]

#: A phone's clock may run a little ahead of the server's.
CHECK_IN_TOLERANCE = CLOCK_TOLERANCE
#: Photos are kept at most this many pixels on the long side, re-encoded as JPEG.
PHOTO_MAX_SIDE = 1600
PHOTO_QUALITY = 82
_PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def _coordinate(value: Any, name: str, limit: int, errors: dict[str, str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite() or not -limit <= number <= limit:
        errors[name] = _("The %(name)s %(value)s is not between -%(limit)s and %(limit)s.") % {
            "name": _("latitude") if name == "latitude" else _("longitude"),
            "value": value, "limit": limit}
        return None
    return number.quantize(Decimal("0.000001"))


@transaction.atomic
def check_in(visit: Visit | int, actor: User, *, at: datetime.datetime | None = None,
             latitude: Any = None, longitude: Any = None,
             expected_version: int | None = None) -> Visit:
    """签到: the engineer is at the site (or starts the system check). The time may be given
    (entered a little later) but not in the future nor before the visit's window opens; the
    location is optional. A missed visit (its window closed) may still be started: it stays
    missed, with its breach, until submitted late."""
    now = timezone.now()
    errors: dict[str, str] = {}
    when = at or now
    if timezone.is_naive(when):
        errors["at"] = _("Give the time with its time zone.")
    elif when > now + CHECK_IN_TOLERANCE:
        errors["at"] = _("The check-in time %(time)s is in the future.") % {
            "time": timezone.localtime(when).strftime("%Y-%m-%d %H:%M")}
    lat = _coordinate(latitude, "latitude", 90, errors)
    lon = _coordinate(longitude, "longitude", 180, errors)
    if errors:
        raise ValidationError(errors)
    locked = locked_visit(visit, expected_version)
    require_performer(actor, locked)
    if when < locked.window_start - CHECK_IN_TOLERANCE:
        raise ValidationError({"at": _(
            "The visit counts from %(start)s; it cannot be started before.")
            % {"start": timezone.localtime(locked.window_start).strftime("%Y-%m-%d %H:%M")}})
    if locked.status not in (VisitStatus.PLANNED, VisitStatus.MISSED) or (
            locked.checked_in_at is not None):
        raise VisitConflict(_("You can check in only at a planned visit; this one is "
                              "%(status)s.") % {"status": VisitStatus(locked.status).label},
                            version=locked.version)
    if locked.status == VisitStatus.PLANNED:
        locked.status = VisitStatus.IN_PROGRESS
    locked.checked_in_at = when
    locked.latitude, locked.longitude = lat, lon
    if locked.assignee_id is None:
        locked.assignee = actor
    locked.version += 1
    locked.save(update_fields=["status", "checked_in_at", "latitude", "longitude",
                               "assignee", "version", "updated_at"])
    return locked


@transaction.atomic
def record_results(visit: Visit | int, actor: User, answers: dict[str, dict[str, Any]], *,
                   expected_version: int | None = None) -> Visit:
    """Save checklist answers (all or some: the phone saves as the engineer goes). Each is
    validated by its item's kind; the item's text, kind and order are copied."""
    locked = locked_visit(visit, expected_version)
    require_performer(actor, locked)
    require_workable(locked)
    cleaned = clean_answers(locked, answers)
    existing = {r.item_code: r for r in locked.results.all()}
    for answer in cleaned:
        result = existing.get(answer.item.code) or VisitResult(visit=locked,
                                                               item_code=answer.item.code)
        result.order, result.text, result.kind = (answer.item.order, answer.item.text,
                                                  answer.item.kind)
        result.value, result.abnormal, result.note = answer.value, answer.abnormal, answer.note
        result.save()
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    return locked


def _photo_bytes(upload: Any) -> tuple[bytes, tuple[int, int]]:
    from PIL import Image, ImageOps, UnidentifiedImageError

    limit = settings.WEIBAO_MAX_UPLOAD_MB * 1024 * 1024
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError({"upload": _("The photo is larger than %(mb)s MB.")
                               % {"mb": settings.WEIBAO_MAX_UPLOAD_MB}})
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    if len(data) > limit:
        raise ValidationError({"upload": _("The photo is larger than %(mb)s MB.")
                               % {"mb": settings.WEIBAO_MAX_UPLOAD_MB}})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError):
        raise ValidationError({"upload": _("The file is not a photo (JPEG, PNG or WebP).")}
                              ) from None
    if kind not in _PHOTO_FORMATS:
        raise ValidationError({"upload": _("The file is not a photo (JPEG, PNG or WebP).")})
    image = ImageOps.exif_transpose(image) or image
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    if image.mode != "RGB":
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
            background = Image.new("RGB", image.size, "white")
            background.paste(image.convert("RGBA"), mask=image.convert("RGBA").split()[-1])
            image = background
        else:
            image = image.convert("RGB")
    out = io.BytesIO()
    # A new JPEG written without exif/icc/comment: no GPS position, camera or owner leaks.
    image.save(out, "JPEG", quality=PHOTO_QUALITY, optimize=True)
    return out.getvalue(), image.size


def add_photo(visit: Visit | int, actor: User, *, upload: Any, item_code: str = "",
              caption: str = "") -> VisitPhoto:
    """A photo for one checklist item or for the visit: checked to be an image, turned
    upright, at most 1600 px on the long side, re-encoded as JPEG without its metadata."""
    content, (width, height) = _photo_bytes(upload)
    with remove_files_on_error(), transaction.atomic():
        locked = locked_visit(visit, None)
        require_performer(actor, locked)
        require_workable(locked)
        item_code = item_code.strip()
        if item_code and not locked.plan.checklist.items.filter(code=item_code).exists():
            raise ValidationError({"item_code": _("Unknown checklist item %(code)s.")
                                   % {"code": item_code}})
        photo = VisitPhoto(visit=locked, item_code=item_code, caption=caption.strip()[:200],
                           uploaded_by=actor)
        photo.image.save(f"visit-{locked.pk}-{item_code or 'visit'}.jpg",
                         ContentFile(content), save=False)
        photo.width, photo.height = width, height
        track_new_file(photo.image.storage, photo.image.name or "")
        photo.save()
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        photo.visit = locked
        return photo


@transaction.atomic
def issue_visit_parts(visit: Visit | int, actor: User, *, warehouse: Warehouse,
                      part_type: PartType, quantity: int, reason: str = "") -> StockMovement:
    """Parts fitted at the visit: an issue movement of the spare-parts ledger referencing the
    visit (SPR-02), listed on the maintenance sheet."""
    from weibao.spares import services as spares
    from weibao.spares.choices import ReferenceKind

    locked = locked_visit(visit, None)
    require_performer(actor, locked)
    if not actor.has_perm("spares.add_stockmovement"):
        raise PermissionDenied(_("Your role may not take parts from the stock."))
    require_workable(locked)
    if warehouse.contract_id != locked.contract_id:
        raise ValidationError({"warehouse": _("This warehouse belongs to another contract.")})
    movement = spares.issue(warehouse=warehouse, part_type=part_type, quantity=quantity,
                            actor=actor, reference_kind=ReferenceKind.VISIT,
                            reference_id=str(locked.pk),
                            reason=reason or _("Visit %(visit)s") % {"visit": locked})
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    return movement


def _fault_type(visit: Visit) -> TicketType:
    from weibao.tickets.choices import TicketCategory
    from weibao.tickets.models import TicketType

    ticket_type = (TicketType.objects.filter(contract_id=visit.contract_id,
                                             category=TicketCategory.FAULT)
                   .order_by("order", "code").first())
    if ticket_type is None:
        raise ValidationError({"ticket_type": _("The contract has no fault ticket type; "
                                                "choose a ticket type.")})
    return ticket_type


@transaction.atomic
def open_ticket(visit: Visit | int, actor: User, *, item_code: str,
                ticket_type: TicketType | None = None, description: str = "") -> Ticket:
    """PM-08: one tap on an abnormal result opens a ticket of the contract for the visit's
    site and asset, linked to the result. Asked again, the same ticket comes back."""
    from weibao.tickets.choices import Channel
    from weibao.tickets.services.tickets import TicketInput, create_ticket

    locked = locked_visit(visit, None)
    require_performer(actor, locked)
    if locked.status == VisitStatus.CANCELLED:
        raise VisitConflict(_("The visit is cancelled."), version=locked.version)
    result = (VisitResult.objects.select_for_update(of=("self",)).select_related("ticket")
              .filter(visit=locked, item_code=item_code).first())
    if result is not None and result.ticket is not None:
        return result.ticket
    if result is None or not result.abnormal:
        raise ValidationError({"item_code": _("Only an abnormal result opens a ticket; "
                                              "record the item first.")})
    ticket_type = ticket_type or _fault_type(locked)
    if ticket_type.contract_id != locked.contract_id:
        raise ValidationError({"ticket_type": _("This ticket type belongs to another "
                                                "contract.")})
    target = locked.site or locked.asset or locked.plan
    text = _("%(item)s: %(value)s (visit %(plan)s at %(target)s, %(date)s)") % {
        "item": result.text, "value": display_value(result.kind, result.value),
        "plan": locked.plan.name, "target": target,
        "date": timezone.localtime(locked.window_start).strftime("%Y-%m-%d")}
    body = "\n".join(part for part in (description.strip(), text, result.note) if part)
    assets = [locked.asset] if locked.asset is not None else []
    ticket = create_ticket(TicketInput(
        contract=locked.contract, ticket_type=ticket_type, title=result.text[:200],
        description=body, channel=Channel.ONSITE, site=locked.site, assets=assets,
        reporter=actor), actor)
    result.ticket = ticket
    result.save(update_fields=["ticket", "recorded_at"])
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    return ticket

