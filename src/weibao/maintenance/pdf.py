"""The maintenance sheet as a PDF (受理网点维护单, PM-02) and the month's sheets as one ZIP
or one combined PDF (seed 000 hands them in by the 21st).

The sheet is rendered from the data it records (its snapshot, see
:func:`weibao.maintenance.services.sheets.sheet_data`) by :func:`weibao.core.pdf.render_pdf`:
Chinese, A4, the vendored font, nothing fetched from the network (photos and the signature
are inline ``data:`` URLs). The month's files are the stored, signed versions — never
re-rendered — so each keeps the digest it was filed with.
"""

from __future__ import annotations

import base64
import csv
import datetime
import io
import re
import zipfile
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from weibao.core.pdf import render_pdf
from weibao.maintenance.models import Visit, VisitPhoto, VisitSheet

if TYPE_CHECKING:
    from weibao.contracts.models import Contract
    from weibao.core.models import User

__all__ = ["THUMBNAIL_SIDE", "month_sheets", "month_sheets_pdf", "month_sheets_zip",
           "render_sheet_pdf", "sheet_context"]

#: Photos on the sheet are thumbnails at most this many pixels on the long side.
THUMBNAIL_SIDE = 480
TEMPLATE = "maintenance/sheet_pdf.html"


def _local(value: str | None) -> str:
    parsed = parse_datetime(value) if value else None
    return timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M") if parsed else ""


def _thumbnail(photo: VisitPhoto) -> str:
    from PIL import Image

    try:
        with photo.image.open("rb") as handle, Image.open(handle) as image:
            image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=70)
    except (OSError, ValueError):
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def sheet_context(visit: Visit, data: dict[str, Any]) -> dict[str, Any]:
    """The template's context: the recorded data with local times and photo thumbnails."""
    ids = [photo["id"] for photo in data.get("photos", [])]
    stored = VisitPhoto.objects.in_bulk(ids)
    photos = [{"caption": photo.get("caption", ""), "item": photo.get("item", ""),
               "src": _thumbnail(stored[photo["id"]])}
              for photo in data.get("photos", []) if photo["id"] in stored]
    correction = data.get("correction")
    if correction:
        correction = {**correction, "at": _local(correction.get("at"))}
    window = data.get("window", {})
    end = parse_datetime(window.get("end", "")) if window.get("end") else None
    last_day = (timezone.localtime(end) - datetime.timedelta(seconds=1)).strftime("%Y-%m-%d") \
        if end else ""
    start = _local(window.get("start"))[:10]
    return {
        "data": data, "visit": visit, "correction": correction,
        "window_text": start if start == last_day else f"{start} — {last_day}",
        "checked_in_at": _local(data.get("checked_in_at")),
        "completed_at": _local(data.get("completed_at")),
        "signed_at": _local(data.get("signer", {}).get("signed_at")),
        "abnormal_count": sum(1 for r in data.get("results", []) if r.get("abnormal")),
        "photos": [photo for photo in photos if photo["src"]],
        "signature_image": data.get("signature_image", ""),
        "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }


def render_sheet_pdf(visit: Visit, sheet_data: dict[str, Any]) -> bytes:
    """The PDF bytes of one version of the visit's sheet, in Chinese.

    Raises :class:`weibao.core.pdf.PdfUnavailable` when this server cannot render PDFs."""
    return render_pdf(TEMPLATE, sheet_context(visit, sheet_data))


def _month(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("The month must be between 1 and 12.")})
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=tz)
    end = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start, end


def _visible_visits(contract: Contract, user: User) -> QuerySet[Visit]:
    """PLT-01: the contract's visits for its parties; site staff only their own sites'."""
    from weibao.core.choices import Role
    from weibao.sites.models import Site

    if not (user.has_perm("maintenance.view_visitsheet") and contract.is_visible_to(user)):
        raise PermissionDenied(_("You may not see this contract's maintenance sheets."))
    visits = Visit.objects.filter(contract=contract)
    if not getattr(user, "is_administrator", False) and user.role == Role.SITE_STAFF:
        visits = visits.filter(site__in=Site.objects.visible_to(user))
    return visits


def month_sheets(contract: Contract, year: int, month: int, user: User) -> list[VisitSheet]:
    """The latest version of the sheet of each visit whose window ended in the month (a
    monthly visit of October ends with October), that ``user`` may see, by date and site."""
    start, end = _month(year, month)
    visits = _visible_visits(contract, user).filter(window_end__gt=start, window_end__lte=end)
    sheets = (VisitSheet.objects.filter(visit__in=visits)
              .select_related("visit__site", "visit__asset", "visit__plan")
              .order_by("visit_id", "-version"))
    latest: dict[int, VisitSheet] = {}
    for sheet in sheets:
        latest.setdefault(sheet.visit_id, sheet)
    return sorted(latest.values(), key=lambda s: (s.visit.window_start,
                                                  s.visit.site.code if s.visit.site else "",
                                                  s.visit.slot, s.visit_id))


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def _file_name(sheet: VisitSheet, taken: set[str]) -> str:
    visit = sheet.visit
    target = visit.site or visit.asset
    parts = [timezone.localtime(visit.window_start).strftime("%Y-%m-%d")]
    parts += [target.code, target.name] if target is not None else [visit.plan.code]
    if visit.slot:
        parts.append(visit.slot)
    parts.append(f"v{sheet.version}")
    name = "_".join(_UNSAFE.sub("-", part).strip("-") for part in parts if part)
    if f"{name}.pdf" in taken:
        name = f"{name}_{visit.pk}"
    taken.add(f"{name}.pdf")
    return f"{name}.pdf"


def _read(sheet: VisitSheet) -> bytes:
    with sheet.pdf.open("rb") as handle:
        return handle.read()


def month_sheets_zip(contract: Contract, year: int, month: int, user: User) -> bytes:
    """The month's signed sheets as one ZIP: a PDF per visit named by date and site, and an
    index (CSV, UTF-8 for Excel) with each file's site, times, signer and digest."""
    sheets = month_sheets(contract, year, month, user)
    out = io.BytesIO()
    taken: set[str] = set()
    index = io.StringIO()
    writer = csv.writer(index)
    with translation.override("zh-hans"):
        writer.writerow([_("file"), _("site code"), _("site"), _("plan"), _("counts from"),
                         _("completed at"), _("late"), _("signed by"), _("version"),
                         _("digest algorithm"), _("digest")])
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for sheet in sheets:
                visit = sheet.visit
                name = _file_name(sheet, taken)
                archive.writestr(name, _read(sheet))
                writer.writerow([
                    name, visit.site.code if visit.site else "",
                    visit.site.name if visit.site else (visit.asset or ""), visit.plan.name,
                    timezone.localtime(visit.window_start).strftime("%Y-%m-%d %H:%M"),
                    (timezone.localtime(visit.completed_at).strftime("%Y-%m-%d %H:%M")
                     if visit.completed_at else ""),
                    _("yes") if visit.late else _("no"), sheet.signer_name, sheet.version,
                    sheet.digest_algorithm, sheet.digest])
            archive.writestr(f"index-{year}-{month:02d}.csv",
                             "\ufeff" + index.getvalue())
    return out.getvalue()


def month_sheets_pdf(contract: Contract, year: int, month: int, user: User) -> bytes:
    """The month's signed sheets concatenated into one PDF (pypdf), one bookmark per sheet,
    in the order of :func:`month_sheets`. A month without sheets is refused."""
    from pypdf import PdfReader, PdfWriter

    sheets = month_sheets(contract, year, month, user)
    if not sheets:
        raise ValidationError({"month": _("There are no signed maintenance sheets for "
                                          "%(year)s-%(month)02d.")
                               % {"year": year, "month": month}})
    writer = PdfWriter()
    taken: set[str] = set()
    for sheet in sheets:
        writer.append(PdfReader(io.BytesIO(_read(sheet))),
                      outline_item=_file_name(sheet, taken)[:-4])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
