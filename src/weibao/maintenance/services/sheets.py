"""The signed maintenance sheet (受理网点维护单, PM-02): submitting a visit with the site
staff's signature renders version 1 and stores its digest (SM3 by default); a correction
renders version n+1 with the reason, who made it and a table of changes. A stored version is
never altered (``VisitSheet`` refuses updates), and ``verify_sheet`` recomputes its digest.

Who corrects: the vendor manager of the contract, or the engineer who did the visit (they
know what was found; the correction records their name, the reason and every change)."""

from __future__ import annotations

import base64
import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.core.crypto import digest, document_digest_algorithm
from weibao.maintenance.choices import ItemKind, SignatureRule, VisitStatus
from weibao.maintenance.models import ChecklistItem, Visit, VisitResult, VisitSheet
from weibao.maintenance.services.checklists import (
    CLOCK_TOLERANCE,
    CleanAnswer,
    clean_answers,
    display_value,
    is_answered,
    is_manager_of,
    locked_visit,
    require_performer,
    require_workable,
)
from weibao.maintenance.services.errors import VisitConflict
from weibao.security.signing import SignedDocument, seal_document
from weibao.utils.files import file_reader, remove_files_on_error, track_new_file

if TYPE_CHECKING:
    from weibao.core.models import User
    from weibao.spares.models import StockMovement

__all__ = ["correct_sheet", "sheet_data", "submit_visit", "verify_sheet", "visit_movements"]

_SUBMIT = "maintenance.submit_visit"


def visit_movements(visit: Visit) -> QuerySet[StockMovement]:
    """The spare-parts ledger's movements booked against this visit (SPR-02)."""
    from weibao.spares.choices import ReferenceKind
    from weibao.spares.models import StockMovement

    return (StockMovement.objects.filter(contract_id=visit.contract_id,
                                         reference_kind=ReferenceKind.VISIT,
                                         reference_id=str(visit.pk))
            .select_related("part_type", "warehouse").order_by("occurred_at", "pk"))


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)


def _iso(value: datetime.datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def sheet_data(visit: Visit, *, version: int, signer_name: str,
               signed_at: datetime.datetime | None) -> dict[str, Any]:
    """What the sheet records (and its PDF shows): the plan, the site or asset, the window,
    the times, each item's result, the parts, the photos and the signer. JSON only: it is
    kept as the sheet's snapshot."""
    plan, site, asset = visit.plan, visit.site, visit.asset
    photos = list(visit.photos.order_by("uploaded_at", "pk"))
    items = {item.code: item for item in plan.checklist.items.all()}
    return {
        "version": version,
        "title": plan.sheet_title or plan.name,
        "contract": {"number": visit.contract.number, "title": visit.contract.title},
        "plan": {"code": plan.code, "name": plan.name, "frequency": plan.frequency},
        "site": ({"code": site.code, "name": site.name,
                  "address": getattr(site, "address", "")} if site is not None else None),
        "asset": ({"code": asset.code, "name": asset.name} if asset is not None else None),
        "slot": visit.slot,
        "window": {"start": _iso(visit.window_start), "end": _iso(visit.window_end)},
        "checked_in_at": _iso(visit.checked_in_at),
        "completed_at": _iso(visit.completed_at),
        "engineer": _person(visit.completed_by or visit.assignee),
        "late": visit.late,
        "results": _result_rows(visit, items, photos),
        "parts": [{"code": m.part_type.code, "part": str(m.part_type), "quantity": -m.quantity,
                   "warehouse": str(m.warehouse)} for m in visit_movements(visit)],
        "photos": [{"id": p.pk, "item_code": p.item_code, "caption": p.caption,
                    "item": items[p.item_code].text if p.item_code in items else "",
                    "file": p.image.name} for p in photos],
        "signer": {"name": signer_name, "signed_at": _iso(signed_at),
                   "rule": plan.signature},
        "correction": None,
    }


def _result_rows(visit: Visit, items: dict[str, ChecklistItem],
                 photos: list[Any]) -> list[dict[str, Any]]:
    """Every item of the checklist in its order, answered or not (a photo item shows how
    many photos were taken), then any result of an item since removed from the checklist."""
    results = {r.item_code: r for r in visit.results.select_related("ticket")}
    counts: dict[str, int] = {}
    for photo in photos:
        counts[photo.item_code] = counts.get(photo.item_code, 0) + 1
    rows: list[dict[str, Any]] = []
    codes = list(items) + [code for code in results if code not in items]
    for code in codes:
        result, item = results.get(code), items.get(code)
        kind = result.kind if result is not None else item.kind if item is not None else ""
        value = result.value if result is not None else None
        display = display_value(kind, value)
        if kind == ItemKind.NUMBER and value is not None and item is not None and item.unit:
            display = f"{display} {item.unit}"
        if kind == ItemKind.PHOTO and counts.get(code):
            display = _("%(count)s photo(s)") % {"count": counts[code]} + (
                f" · {value}" if value else "")
        rows.append({
            "code": code, "kind": kind, "value": value, "display": display,
            "order": result.order if result is not None else item.order if item else 0,
            "text": result.text if result is not None else item.text if item else code,
            "abnormal": bool(result and result.abnormal),
            "note": result.note if result is not None else "",
            "ticket": result.ticket.number if result and result.ticket else ""})
    rows.sort(key=lambda row: row["order"])
    return rows


def _missing(visit: Visit) -> dict[str, list[str]]:
    """PM-01/PM-02: every required item answered, every photo item photographed."""
    results = {r.item_code: r for r in visit.results.all()}
    photographed = set(visit.photos.values_list("item_code", flat=True))
    errors: dict[str, list[str]] = {}
    for item in visit.plan.checklist.items.order_by("order", "pk"):
        needs_photo = item.photo_required or item.kind == ItemKind.PHOTO
        if item.kind == ItemKind.ASSET_VERIFICATION:
            unverified = _unverified_assets(visit, results.get(item.code))
            if item.required and unverified:
                errors.setdefault(item.code, []).append(
                    _("%(item)s: verify every asset of the site; not yet: %(assets)s.")
                    % {"item": item.text, "assets": "、".join(unverified)})
        elif (item.required and item.kind != ItemKind.PHOTO
                and not is_answered(results.get(item.code))):
            errors.setdefault(item.code, []).append(
                _("%(item)s: this item is required; answer it before submitting.")
                % {"item": item.text})
        if needs_photo and (item.required or item.photo_required) and (
                item.code not in photographed):
            errors.setdefault(item.code, []).append(
                _("%(item)s: take at least one photo for this item.") % {"item": item.text})
    return errors


def _unverified_assets(visit: Visit, result: VisitResult | None) -> list[str]:
    """AST-08: the site's assets (the visit's own asset) with no verification line yet."""
    from weibao.assets.choices import AssetStatus
    from weibao.assets.models import Asset

    listed = {line.get("asset") for line in (result.value or [])} if result else set()
    if visit.site_id is not None:
        expected = Asset.objects.filter(site_id=visit.site_id)
    elif visit.asset_id is not None:
        expected = Asset.objects.filter(pk=visit.asset_id)
    else:
        return []
    missing = expected.exclude(status=AssetStatus.DECOMMISSIONED).exclude(pk__in=listed)
    return [str(asset) for asset in missing.order_by("name", "pk")[:10]]


def _signature(visit: Visit, signature: str | bytes | None,
               signer_name: str) -> tuple[bytes | None, dict[str, list[str]]]:
    from weibao.tickets.services.work.reports import decode_signature

    rule = visit.plan.signature
    errors: dict[str, list[str]] = {}
    if not signature:
        if rule != SignatureRule.NONE:
            who = (_("the site's staff") if rule == SignatureRule.SITE_STAFF
                   else _("the purchaser"))
            errors["signature"] = [_("The sheet must be signed by %(who)s: hand over the "
                                     "phone to sign in the box.") % {"who": who}]
        return None, errors
    try:
        png = decode_signature(signature)
    except ValidationError as error:
        errors["signature"] = error.messages
        return None, errors
    if not signer_name.strip():
        errors["signer_name"] = [_("The signer types their name under the signature.")]
    return png, errors


def _verify_assets(visit: Visit, actor: User, results: list[VisitResult],
                   when: datetime.datetime) -> None:
    """AST-08, AST-03: the verification lines reach the device archive and asset status."""
    from weibao.assets.models import Asset
    from weibao.assets.services.field import VerificationLine, verify_site

    site = visit.site or (visit.asset.site if visit.asset is not None else None)
    for result in results:
        if result.kind != ItemKind.ASSET_VERIFICATION or not result.value or site is None:
            continue
        assets = Asset.objects.in_bulk([line["asset"] for line in result.value])
        lines = [VerificationLine(assets[line["asset"]], line["result"], line.get("note", ""))
                 for line in result.value if line["asset"] in assets]
        if lines:
            verify_site(site, lines, actor, verified_at=when, source_kind="visit",
                        source_id=str(visit.pk))


def _archive_maintenance(visit: Visit, actor: User, when: datetime.datetime) -> None:
    """AST-03: an asset's own visit is a maintenance entry in its archive."""
    from weibao.assets.choices import EventKind
    from weibao.assets.services.archive import record_asset_event

    if visit.asset is None:
        return
    abnormal = [r.text for r in visit.results.all() if r.abnormal]
    record_asset_event(
        visit.asset, EventKind.MAINTENANCE, when, actor,
        _("%(plan)s done: %(count)s abnormal item(s)")
        % {"plan": visit.plan.name, "count": len(abnormal)},
        {"abnormal": abnormal}, source_kind="visit", source_id=str(visit.pk))


def _store_sheet(visit: Visit, actor: User, data: dict[str, Any], *,
                 signature_png: bytes | None, signature_name: str = "",
                 reason: str = "", changes: list[dict[str, Any]] | None = None) -> VisitSheet:
    from weibao.maintenance.pdf import render_sheet_pdf

    algorithm = document_digest_algorithm()
    data["digest_algorithm"] = algorithm
    rendered = dict(data)
    if signature_png is not None:
        rendered["signature_image"] = ("data:image/png;base64,"
                                       + base64.b64encode(signature_png).decode())
    content = render_sheet_pdf(visit, rendered)
    version = data["version"]
    sheet = VisitSheet(visit=visit, version=version, digest=digest(content, algorithm),
                       digest_algorithm=algorithm, snapshot=data,
                       signer_name=data["signer"]["name"], reason=reason,
                       changes=changes or [], created_by=actor)
    if data["signer"]["signed_at"]:
        sheet.signed_at = visit.completed_at if version == 1 else _first_signed_at(visit)
    sheet.pdf.save(f"visit-{visit.pk}-v{version}.pdf", ContentFile(content), save=False)
    track_new_file(sheet.pdf.storage, sheet.pdf.name or "")
    if signature_name:
        sheet.signature.name = signature_name
    elif signature_png is not None:
        sheet.signature.save(f"visit-{visit.pk}-signature.png", ContentFile(signature_png),
                             save=False)
        track_new_file(sheet.signature.storage, sheet.signature.name or "")
    sheet.save()
    seal_document(SHEET_DOCUMENT, sheet.pk, algorithm, sheet.digest)
    return sheet


SHEET_DOCUMENT = "maintenance.sheet"


def signed_sheets() -> Iterator[SignedDocument]:
    """Every maintenance sheet version with its PDF, for ``weibao audit documents``."""
    for sheet in VisitSheet.objects.only("pk", "visit_id", "version", "pdf", "digest").iterator():
        yield SignedDocument(str(sheet.pk), file_reader(sheet.pdf), sheet.digest,
                             f"visit {sheet.visit_id} v{sheet.version}")



def _first_signed_at(visit: Visit) -> datetime.datetime | None:
    first = visit.sheets.filter(version=1).first()
    return first.signed_at if first is not None else None


def submit_visit(visit: Visit | int, actor: User, *, signature: str | bytes | None = None,
                 signer_name: str = "", idempotency_key: str = "",
                 expected_version: int | None = None,
                 at: datetime.datetime | None = None) -> VisitSheet:
    """提交: complete the visit with the signature of the site's staff (drawn on the
    engineer's phone, name typed under it) and file the signed sheet (PM-02): status done,
    completed time and engineer, late when after the window, asset verification applied to
    the device archive (AST-08), the PDF rendered and its digest stored.

    With an ``idempotency_key`` a retry (a phone on a bad network) gets the same sheet back;
    without one a second submission of a done visit is a :class:`VisitConflict`.

    ``at`` records a completion entered later (the paper sheet typed in, the demo's history):
    not in the future, not before the check-in; the signature is dated the same."""
    from weibao.tickets.services.idempotency import claim_idempotency_key, remember_answer

    pk = visit.pk if isinstance(visit, Visit) else visit
    key = idempotency_key.strip()
    with remove_files_on_error(), transaction.atomic():
        record = None
        if key:
            request = f"{_SUBMIT} {pk}"
            record, created = claim_idempotency_key(actor, key[:100], request)
            if not created:
                if record.request != request or not isinstance(record.body, dict):
                    raise VisitConflict(_("This idempotency key was used for another "
                                          "request."))
                return VisitSheet.objects.get(pk=record.body["sheet"])
        locked = locked_visit(pk, expected_version)
        require_performer(actor, locked)
        if locked.status == VisitStatus.DONE:
            raise VisitConflict(_("The visit is already done; its sheet is signed."),
                                version=locked.version)
        require_workable(locked)
        errors = _missing(locked)
        png, signature_errors = _signature(locked, signature, signer_name)
        errors.update(signature_errors)
        if errors:
            raise ValidationError(errors)
        now = _completion_time(locked, at)
        locked.status = VisitStatus.DONE
        locked.completed_at, locked.completed_by = now, actor
        locked.late = now >= locked.window_end
        locked.version += 1
        locked.save(update_fields=["status", "completed_at", "completed_by", "late", "version",
                                   "updated_at"])
        results = list(locked.results.all())
        _verify_assets(locked, actor, results, now)
        _archive_maintenance(locked, actor, now)
        name = signer_name.strip()[:60] if png is not None else ""
        data = sheet_data(locked, version=1, signer_name=name,
                          signed_at=now if png is not None else None)
        sheet = _store_sheet(locked, actor, data, signature_png=png)
        if record is not None:
            remember_answer(record, 201, {"sheet": sheet.pk, "visit": locked.pk,
                                          "version": sheet.version})
        return sheet


def _completion_time(visit: Visit, at: datetime.datetime | None) -> datetime.datetime:
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        raise ValidationError({"at": _("Give the time with its time zone.")})
    if at > now + CLOCK_TOLERANCE:
        raise ValidationError({"at": _("The completion time %(time)s is in the future.")
                               % {"time": timezone.localtime(at).strftime("%Y-%m-%d %H:%M")}})
    if visit.checked_in_at is not None and at < visit.checked_in_at:
        raise ValidationError({"at": _("The visit cannot be completed before its check-in "
                                       "(%(time)s).") % {"time": timezone.localtime(
                                           visit.checked_in_at).strftime("%Y-%m-%d %H:%M")}})
    return at


def _changes(visit: Visit, cleaned: list[CleanAnswer]) -> list[dict[str, Any]]:
    existing = {r.item_code: r for r in visit.results.all()}
    changes = []
    for answer in cleaned:
        before = existing.get(answer.item.code)
        old_value = before.value if before is not None else None
        old_note = before.note if before is not None else ""
        if old_value == answer.value and old_note == answer.note:
            continue
        changes.append({"item": answer.item.code, "text": answer.item.text,
                        "before": display_value(answer.item.kind, old_value),
                        "after": display_value(answer.item.kind, answer.value),
                        "before_note": old_note, "after_note": answer.note,
                        "before_value": old_value, "after_value": answer.value})
    return changes


def correct_sheet(visit: Visit | int, actor: User, *, answers: dict[str, dict[str, Any]],
                  reason: str, expected_version: int | None = None) -> VisitSheet:
    """更正: change answers of a done visit. The earlier versions stay as they are; a new
    version n+1 shows "更正版本 n+1", the reason, who and when, and each change (item,
    before, after). The original signature is carried, marked as the original's."""
    with remove_files_on_error(), transaction.atomic():
        locked = locked_visit(visit, expected_version)
        if not actor.has_perm("maintenance.perform_visit", locked) or not (
                is_manager_of(actor, locked) or locked.completed_by_id == actor.pk):
            raise PermissionDenied(_("Only the vendor manager or the engineer who did the "
                                     "visit may correct its sheet."))
        if locked.status != VisitStatus.DONE:
            raise VisitConflict(_("Only the sheet of a done visit is corrected; record the "
                                  "results instead."), version=locked.version)
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the sheet is corrected.")})
        cleaned = clean_answers(locked, answers)
        changes = _changes(locked, cleaned)
        if not changes:
            raise ValidationError({"answers": _("Nothing changed: the answers are the same "
                                                "as on the sheet.")})
        changed_codes = {change["item"] for change in changes}
        rows = {r.item_code: r for r in locked.results.all()}
        touched = []
        for answer in cleaned:
            if answer.item.code not in changed_codes:
                continue
            row = rows.get(answer.item.code) or VisitResult(visit=locked,
                                                            item_code=answer.item.code)
            row.order, row.text, row.kind = answer.item.order, answer.item.text, answer.item.kind
            row.value, row.abnormal, row.note = answer.value, answer.abnormal, answer.note
            row.save()
            touched.append(row)
        now = timezone.now()
        _verify_assets(locked, actor, touched, now)
        previous = locked.sheets.order_by("-version").first()
        if previous is None:
            raise VisitConflict(_("The visit has no signed sheet to correct."),
                                version=locked.version)
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        data = sheet_data(locked, version=previous.version + 1,
                          signer_name=previous.signer_name,
                          signed_at=previous.signed_at)
        data["correction"] = {"reason": reason.strip(), "by": _person(actor),
                              "at": now.isoformat(), "changes": changes,
                              "previous_version": previous.version,
                              "previous_digest": previous.digest}
        png = None
        if previous.signature:
            with previous.signature.open("rb") as handle:
                png = handle.read()
        return _store_sheet(locked, actor, data, signature_png=png,
                            signature_name=previous.signature.name or "",
                            reason=reason.strip(), changes=changes)


def verify_sheet(sheet: VisitSheet) -> bool:
    """Whether the stored PDF is the one that was signed: its digest, recomputed with the
    sheet's algorithm, equals the stored one. A missing file does not verify."""
    try:
        with sheet.pdf.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError, OSError):
        return False
    return digest(content, sheet.digest_algorithm) == sheet.digest
