"""The signed maintenance sheet (受理网点维护单, PM-02) and its month (PM-09 evidence): what a
submission requires, with clear messages; the done visit, on time or late; idempotent
retries; the PDF's Chinese text and signer; corrections as new versions that never touch
the earlier ones; digest verification; the month's sheets as one ZIP or one PDF."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from weibao.core.crypto import digest
from weibao.maintenance.choices import ItemKind, SignatureRule, VisitStatus
from weibao.maintenance.models import SheetImmutable, Visit, VisitResult, VisitSheet
from weibao.maintenance.pdf import month_sheets, month_sheets_pdf, month_sheets_zip
from weibao.maintenance.services import visits as services
from weibao.maintenance.services.checklists import clean_answers
from weibao.maintenance.services.errors import VisitConflict
from weibao.maintenance.tests.conftest import Setup
from weibao.maintenance.tests.test_visits import (
    SIGNATURE,
    answer_all,
    jpeg,
    started_visit,
)


def _ready(setup: Setup, **extra: Any) -> Visit:
    """A started visit of the fourteen items, all answered, the cabinet photographed."""
    visit = started_visit(setup, **extra)
    engineer = setup.people["engineer"]
    services.add_photo(visit, engineer, upload=jpeg(800, 600), item_code="cabinet",
                       caption="机柜正面")
    return services.record_results(visit, engineer, answer_all(visit))


def _submit(setup: Setup, visit: Visit, **extra: Any) -> VisitSheet:
    extra.setdefault("signature", SIGNATURE)
    extra.setdefault("signer_name", "王某")
    return services.submit_visit(visit, setup.people["engineer"], **extra)


def _text(content: bytes, tmp_path: Path) -> str:
    target = tmp_path / "sheet.pdf"
    target.write_bytes(content)
    pdftotext = shutil.which("pdftotext") or "pdftotext"
    return subprocess.run([pdftotext, "-enc", "UTF-8", str(target), "-"],  # noqa: S603
                          capture_output=True, check=True, text=True).stdout


# --- what a submission requires --------------------------------------------------------------

def test_pm02_missing_signature_is_refused_with_a_clear_message(outlets: Setup):
    """PM-02: a sheet the site staff must sign is not filed without their signature; with a
    signature the signer's name is required."""
    visit = _ready(outlets)
    with pytest.raises(ValidationError) as caught:
        services.submit_visit(visit, outlets.people["engineer"])
    assert caught.value.message_dict["signature"] == [
        "The sheet must be signed by the site's staff: hand over the phone to sign in the box."]
    with pytest.raises(ValidationError) as caught:
        services.submit_visit(visit, outlets.people["engineer"], signature=SIGNATURE)
    assert caught.value.message_dict["signer_name"] == [
        "The signer types their name under the signature."]
    with pytest.raises(ValidationError, match="must be a PNG"):
        services.submit_visit(visit, outlets.people["engineer"],
                              signature="data:image/jpeg;base64,AAAA", signer_name="王某")
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.IN_PROGRESS
    assert not VisitSheet.objects.exists()


def test_pm01_missing_required_items_and_photos_are_refused_by_item(outlets: Setup):
    """PM-01: every required item is answered and every photo item photographed before the
    sheet is filed; each missing one is named; the optional item may stay empty."""
    visit = started_visit(outlets)
    services.record_results(visit, outlets.people["engineer"], {"hw": {"value": True}})
    with pytest.raises(ValidationError) as caught:
        _submit(outlets, visit)
    errors = caught.value.message_dict
    assert errors["temp"] == ["机房温度: this item is required; answer it before submitting."]
    assert errors["cabinet"] == ["设备外观及机柜照片: take at least one photo for this item."]
    assert "hw" not in errors and "advice" not in errors
    assert len(errors) == 12


def test_ast08_every_asset_of_the_site_is_verified_before_submitting(outlets: Setup):
    """AST-08: the asset verification lists every asset of the site; one left out is named;
    a site without assets has nothing to verify."""
    from weibao.assets.models import Asset

    visit = _ready(outlets)
    lines = answer_all(visit)["assets"]["value"][:1]
    services.record_results(visit, outlets.people["engineer"], {"assets": {"value": lines}})
    left_out = Asset.objects.filter(site=visit.site).exclude(pk=lines[0]["asset"]).get()
    with pytest.raises(ValidationError) as caught:
        _submit(outlets, visit)
    assert caught.value.message_dict == {"assets": [
        f"核实网点资产: verify every asset of the site; not yet: {left_out}."]}
    Asset.objects.filter(site=visit.site).delete()
    services.record_results(visit, outlets.people["engineer"], {"assets": {"value": []}})
    assert _submit(outlets, visit).version == 1


def test_pm02_photo_required_on_an_ordinary_item(outlets: Setup):
    """PM-02: an item marked photo-required needs a photo of that item, not just any photo."""
    visit = started_visit(outlets, items=[
        {"code": "ups", "text": "检查UPS电源", "kind": ItemKind.PASS_FAIL,
         "photo_required": True}], signature=SignatureRule.NONE)
    engineer = outlets.people["engineer"]
    services.record_results(visit, engineer, {"ups": {"value": True}})
    services.add_photo(visit, engineer, upload=jpeg())
    with pytest.raises(ValidationError, match="检查UPS电源: take at least one photo"):
        services.submit_visit(visit, engineer)
    services.add_photo(visit, engineer, upload=jpeg(), item_code="ups")
    sheet = services.submit_visit(visit, engineer)
    assert sheet.signer_name == "" and not sheet.signature and sheet.signed_at is None


def test_pm02_submission_before_check_in_and_twice_conflicts(outlets: Setup):
    """A visit is submitted once, after check-in; a second submission without an
    idempotency key is a conflict; a cancelled visit cannot be submitted."""
    visit = _ready(outlets)
    _submit(outlets, visit)
    with pytest.raises(VisitConflict, match="already done"):
        _submit(outlets, visit)
    with pytest.raises(VisitConflict, match="correct the sheet"):
        services.record_results(visit, outlets.people["engineer"], {"hw": {"value": False}})
    other = started_visit(outlets)
    Visit.objects.filter(pk=other.pk).update(status=VisitStatus.CANCELLED)
    with pytest.raises(VisitConflict, match="cancelled"):
        _submit(outlets, other)


def test_plt01_only_the_visits_engineer_submits(outlets: Setup):
    """PLT-01: the purchaser, an outsider or another engineer cannot submit the visit."""
    visit = _ready(outlets)
    for who in ("purchaser", "outsider", "engineer2"):
        with pytest.raises(PermissionDenied):
            services.submit_visit(visit, outlets.people[who], signature=SIGNATURE,
                                  signer_name="王某")


# --- the done visit and its sheet ----------------------------------------------------------

def test_pm02_submission_files_version_one_with_digest_and_snapshot(outlets: Setup):
    """PM-02: the visit is done by the engineer, on time; version 1 records the signer, the
    time, the SM3 digest of its PDF and the data it shows (items, photos, signer)."""
    visit = _ready(outlets)
    sheet = _submit(outlets, visit, expected_version=visit.version)
    done = Visit.objects.get(pk=visit.pk)
    assert done.status == VisitStatus.DONE and not done.late
    assert done.completed_by == outlets.people["engineer"] and done.completed_at is not None
    assert sheet.version == 1 and sheet.signer_name == "王某"
    assert sheet.signed_at == done.completed_at and sheet.signature
    assert sheet.digest_algorithm == "sm3" and len(sheet.digest) == 64
    assert sheet.digest == digest(sheet.pdf.read(), "sm3")
    assert services.verify_sheet(sheet)
    snapshot = sheet.snapshot
    assert [r["text"] for r in snapshot["results"]][:2] == ["检查网点软硬件是否正常工作",
                                                             "检查病毒库是否更新"]
    assert len(snapshot["results"]) == 14 and snapshot["signer"]["name"] == "王某"
    photo_row = next(r for r in snapshot["results"] if r["code"] == "cabinet")
    assert photo_row["display"] == "1 photo(s)" and photo_row["text"] == "设备外观及机柜照片"
    assert len(snapshot["photos"]) == 1 and snapshot["site"]["code"] == visit.site.code


def test_pm09_a_visit_done_after_its_window_is_late(outlets: Setup):
    """PM-09: done after the end of its window the visit is late; a missed visit done late
    keeps its recorded breach."""
    visit = _ready(outlets)
    recorded = timezone.now() - datetime.timedelta(hours=1)
    Visit.objects.filter(pk=visit.pk).update(
        window_end=timezone.now() - datetime.timedelta(minutes=1),
        status=VisitStatus.MISSED, breach_recorded_at=recorded)
    _submit(outlets, visit.pk)
    done = Visit.objects.get(pk=visit.pk)
    assert done.status == VisitStatus.DONE and done.late
    assert done.breach_recorded_at == recorded


def test_pm09_a_completion_entered_later_keeps_its_time(outlets: Setup):
    """PM-09: a completion typed in later keeps the time it was done (late or not by that
    time); it cannot be in the future nor before the check-in."""
    visit = _ready(outlets)
    checked_in = timezone.now() - datetime.timedelta(hours=2)
    Visit.objects.filter(pk=visit.pk).update(checked_in_at=checked_in)
    with pytest.raises(ValidationError, match="before its check-in"):
        _submit(outlets, visit, at=checked_in - datetime.timedelta(minutes=10))
    with pytest.raises(ValidationError, match="in the future"):
        _submit(outlets, visit, at=timezone.now() + datetime.timedelta(hours=1))
    Visit.objects.filter(pk=visit.pk).update(
        window_end=checked_in + datetime.timedelta(minutes=30))
    when = checked_in + datetime.timedelta(minutes=20)
    sheet = _submit(outlets, visit, at=when)
    done = Visit.objects.get(pk=visit.pk)
    assert done.completed_at == when and not done.late and sheet.signed_at == when


def test_pm02_a_retry_with_the_same_key_gets_the_same_sheet(outlets: Setup):
    """PM-02 (bad network): the same idempotency key twice gives one sheet back, not a
    conflict and not a second version."""
    visit = _ready(outlets)
    first = _submit(outlets, visit, idempotency_key="phone-abc-1")
    again = _submit(outlets, visit, idempotency_key="phone-abc-1")
    assert again.pk == first.pk
    assert VisitSheet.objects.filter(visit=visit).count() == 1


def test_pm02_a_failed_submission_leaves_no_file(outlets: Setup, monkeypatch):
    """A submission that fails after rendering leaves neither rows nor files behind."""
    from weibao.maintenance.services import sheets

    visit = _ready(outlets)
    written: list[str] = []
    original = sheets._store_sheet

    def failing(*args: Any, **kwargs: Any) -> VisitSheet:
        sheet = original(*args, **kwargs)
        written.append(sheet.pdf.name)
        raise RuntimeError("database went away")

    monkeypatch.setattr(sheets, "_store_sheet", failing)
    with pytest.raises(RuntimeError):
        _submit(outlets, visit)
    assert written and not VisitSheet.objects.exists()
    assert not VisitSheet._meta.get_field("pdf").storage.exists(written[0])
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.IN_PROGRESS


# --- immutability, corrections, digests ------------------------------------------------------

def test_pm02_a_signed_sheet_is_never_altered(outlets: Setup):
    """PM-02: a stored version refuses to be saved again or deleted."""
    sheet = _submit(outlets, _ready(outlets))
    sheet.signer_name = "李某"
    with pytest.raises(SheetImmutable):
        sheet.save()
    with pytest.raises(SheetImmutable):
        sheet.delete()


def test_pm02_a_correction_is_version_two_and_leaves_version_one_intact(outlets: Setup):
    """PM-02: a correction by the engineer who did the visit creates version 2 with the
    reason and the changes (item, before, after); version 1's file and digest are unchanged
    and still verify; the results now hold the corrected answer."""
    visit = _ready(outlets)
    first = _submit(outlets, visit)
    first_bytes, first_digest = first.pdf.read(), first.digest
    second = services.correct_sheet(visit, outlets.people["engineer"],
                                    answers={"temp": {"value": 31}},
                                    reason="温度读数抄录错误")
    assert second.version == 2 and second.reason == "温度读数抄录错误"
    assert second.changes[0]["item"] == "temp"
    assert (second.changes[0]["before"], second.changes[0]["after"]) == ("22", "31")
    assert second.snapshot["correction"]["previous_digest"] == first_digest
    assert second.signer_name == "王某" and second.signature.name == first.signature.name
    assert second.created_by == outlets.people["engineer"]
    again = VisitSheet.objects.get(pk=first.pk)
    assert again.digest == first_digest and again.pdf.read() == first_bytes
    assert services.verify_sheet(again) and services.verify_sheet(second)
    result = VisitResult.objects.get(visit=visit, item_code="temp")
    assert result.value == 31 and result.abnormal


def test_pm02_who_may_correct_and_what(outlets: Setup):
    """PM-02: only a done visit's sheet is corrected, with a reason and a real change, by the
    vendor manager or the engineer who did it; answers are validated as at the visit."""
    visit = _ready(outlets)
    with pytest.raises(VisitConflict, match="done visit"):
        services.correct_sheet(visit, outlets.people["manager"],
                               answers={"temp": {"value": 25}}, reason="x")
    _submit(outlets, visit)
    for who in ("engineer2", "purchaser", "outsider"):
        with pytest.raises(PermissionDenied):
            services.correct_sheet(visit, outlets.people[who],
                                   answers={"temp": {"value": 25}}, reason="x")
    with pytest.raises(ValidationError, match="Say why"):
        services.correct_sheet(visit, outlets.people["manager"],
                               answers={"temp": {"value": 25}}, reason=" ")
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.correct_sheet(visit, outlets.people["manager"],
                               answers={"temp": {"value": 22}}, reason="复核")
    with pytest.raises(ValidationError, match="outside the allowed range"):
        services.correct_sheet(visit, outlets.people["manager"],
                               answers={"temp": {"value": 99}}, reason="复核")
    sheet = services.correct_sheet(visit, outlets.people["manager"],
                                   answers={"network": {"value": "缓慢", "note": "带宽不足"}},
                                   reason="补录网络情况")
    assert sheet.version == 2 and sheet.created_by == outlets.people["manager"]


def test_pm02_tampering_with_the_stored_file_fails_verification(outlets: Setup):
    """PM-02: changing one byte of the stored PDF, or losing the file, makes verify_sheet
    False."""
    sheet = _submit(outlets, _ready(outlets))
    storage, name = sheet.pdf.storage, sheet.pdf.name
    content = bytearray(storage.open(name).read())
    content[len(content) // 2] ^= 0x01
    storage.delete(name)
    storage.save(name, ContentFile(bytes(content)))
    assert not services.verify_sheet(VisitSheet.objects.get(pk=sheet.pk))
    storage.delete(name)
    assert not services.verify_sheet(VisitSheet.objects.get(pk=sheet.pk))


def test_pm02_sheets_follow_the_digest_setting(outlets: Setup, settings: Any):
    """PLT-05: with WEIBAO_DIGEST_ALGORITHM=sha256 the sheet records and verifies SHA-256."""
    settings.WEIBAO_DIGEST_ALGORITHM = "sha256"
    sheet = _submit(outlets, _ready(outlets))
    assert sheet.digest_algorithm == "sha256" and services.verify_sheet(sheet)


@settings(max_examples=60, deadline=None)
@given(value=st.decimals(min_value=-1000, max_value=1000, places=2))
def test_pm01_numbers_are_accepted_exactly_within_their_range(value: Any):
    """PM-01 (property): a number is accepted if and only if it lies in [min, max], and is
    abnormal if and only if it lies outside [normal_min, normal_max]."""
    from decimal import Decimal

    from weibao.maintenance.models import ChecklistItem

    item = ChecklistItem(code="t", text="温度", kind=ItemKind.NUMBER, unit="℃",
                         min_value=Decimal(-20), max_value=Decimal(60),
                         normal_min=Decimal(10), normal_max=Decimal(30))

    # Only the plan's checklist is read for a number: no database needed.
    items = SimpleNamespace(all=lambda: [item])
    visit: Any = SimpleNamespace(plan=SimpleNamespace(checklist=SimpleNamespace(items=items)))
    try:
        cleaned = clean_answers(visit, {"t": {"value": str(value)}})
    except ValidationError:
        assert not -20 <= value <= 60
        return
    assert -20 <= value <= 60
    assert cleaned[0].abnormal == (not 10 <= value <= 30)
    assert Decimal(str(cleaned[0].value)) == value


# --- the PDF ---------------------------------------------------------------------------------

@pytest.mark.pdf
def test_pm02_pdf_text_has_the_chinese_items_and_the_signer(outlets: Setup, tmp_path: Path):
    """PM-02, issue 9 done-when: pdftotext of the signed sheet shows the Chinese item names,
    the site and the signer."""
    visit = _ready(outlets)
    services.record_results(visit, outlets.people["engineer"],
                            {"temp": {"value": 35, "note": "空调故障"}})
    sheet = _submit(outlets, visit)
    text = _text(sheet.pdf.read(), tmp_path)
    for expected in ("检查网点软硬件是否正常工作", "核实网点资产", "机房温度", "35",
                     "空调故障", "王某", visit.site.name, "桌面计算机1"):
        assert expected in text, expected


@pytest.mark.pdf
def test_pm02_correction_pdf_shows_version_reason_and_changes(outlets: Setup,
                                                              tmp_path: Path):
    """PM-02: the corrected version's PDF shows its version, the reason, who corrected it
    and the change (before and after)."""
    visit = _ready(outlets)
    _submit(outlets, visit)
    sheet = services.correct_sheet(visit, outlets.people["manager"],
                                   answers={"version": {"value": "社保卡系统 V3.3"}},
                                   reason="版本号抄录错误")
    text = _text(sheet.pdf.read(), tmp_path)
    assert "版本号抄录错误" in text and "V3.2" in text and "V3.3" in text
    assert " 2" in text and "王某" in text


@pytest.mark.pdf
def test_pm03_a_system_check_without_site_or_signature_files_its_sheet(ca: Setup,
                                                                     tmp_path: Path):
    """PM-03 (seed 002): the morning CA check is a visit with no site and no signature; its
    sheet is filed and named by plan and slot in the month's ZIP."""
    from weibao.maintenance.choices import PlanScope
    from weibao.maintenance.tests.conftest import make_checklist, make_plan

    checklist = make_checklist(ca.contract, "ca-test-list", [
        {"code": "ca", "text": "CA系统服务状态", "kind": ItemKind.PASS_FAIL},
        {"code": "seal", "text": "电子印章服务状态", "kind": ItemKind.PASS_FAIL}])
    plan = make_plan(ca.contract, "ca-test-check", checklist=checklist,
                     scope=PlanScope.CONTRACT, signature=SignatureRule.NONE,
                     name="CA系统每日巡检", sheet_title="系统巡检记录")
    now = timezone.now()
    visit = Visit.objects.create(contract=ca.contract, plan=plan, key="morning", slot="morning",
                                 window_start=now - datetime.timedelta(hours=1),
                                 window_end=now + datetime.timedelta(hours=1),
                                 assignee=ca.people["engineer"])
    engineer = ca.people["engineer"]
    services.check_in(visit, engineer)
    services.record_results(visit, engineer, {"ca": {"value": True}, "seal": {"value": False,
                                                                              "note": "证书过期"}})
    sheet = services.submit_visit(visit, engineer)
    text = _text(sheet.pdf.read(), tmp_path)
    assert "系统巡检记录" in text and "电子印章服务状态" in text and "证书过期" in text
    year, month = _month_of(visit)
    names = zipfile.ZipFile(io.BytesIO(month_sheets_zip(
        ca.contract, year, month, ca.people["manager"]))).namelist()
    assert any(n.endswith("_ca-test-check_morning_v1.pdf") for n in names), names


# --- the month -------------------------------------------------------------------------------

def _month_of(visit: Visit) -> tuple[int, int]:
    end = timezone.localtime(visit.window_end - datetime.timedelta(seconds=1))
    return end.year, end.month


@pytest.mark.pdf
def test_pm02_month_zip_and_pdf_hold_the_latest_versions(outlets: Setup):
    """PM-02 (seed 000: the month's sheets by the 21st): the ZIP has one PDF per visit — the
    latest version, byte for byte as filed — and an index with the signer and digest; the
    combined PDF has every sheet's pages; the purchaser may download, an outsider may not."""
    first, second = _ready(outlets), _ready(outlets)
    Visit.objects.filter(pk=second.pk).update(window_end=first.window_end)
    _submit(outlets, first)
    _submit(outlets, second)
    corrected = services.correct_sheet(first, outlets.people["engineer"],
                                       answers={"temp": {"value": 25}}, reason="复核")
    year, month = _month_of(first)
    purchaser = outlets.people["purchaser"]
    assert {s.pk for s in month_sheets(outlets.contract, year, month, purchaser)} == {
        corrected.pk, VisitSheet.objects.get(visit=second).pk}
    archive = zipfile.ZipFile(io.BytesIO(month_sheets_zip(outlets.contract, year, month,
                                                          purchaser)))
    names = archive.namelist()
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert len(pdfs) == 2 and any(first.site.code in n and n.endswith("_v2.pdf") for n in pdfs)
    assert archive.read(next(n for n in pdfs if first.site.code in n)) == corrected.pdf.read()
    index = next(n for n in names if n.endswith(".csv"))
    rows = list(csv.reader(io.StringIO(archive.read(index).decode("utf-8-sig"))))
    assert len(rows) == 3 and corrected.digest in rows[1] + rows[2]
    combined = PdfReader(io.BytesIO(month_sheets_pdf(outlets.contract, year, month,
                                                     purchaser)))
    singles = sum(len(PdfReader(io.BytesIO(s.pdf.read())).pages)
                  for s in month_sheets(outlets.contract, year, month, purchaser))
    assert len(combined.pages) == singles
    with pytest.raises(PermissionDenied):
        month_sheets_zip(outlets.contract, year, month, outlets.people["outsider"])


def test_pm02_an_empty_month_pdf_is_refused_and_a_bad_month_too(outlets: Setup):
    """A month without sheets has no combined PDF (a message says so); month 13 is refused."""
    manager = outlets.people["manager"]
    with pytest.raises(ValidationError, match="no signed maintenance sheets"):
        month_sheets_pdf(outlets.contract, 2020, 1, manager)
    with pytest.raises(ValidationError, match="between 1 and 12"):
        month_sheets_zip(outlets.contract, 2020, 13, manager)


# --- SM2 signature of each sheet version (PLT-03, PLT-05) -----------------------------------

def test_plt03_each_sheet_version_is_sm2_signed_and_a_changed_pdf_is_named(outlets: Setup,
                                                                           tmp_path: Path,
                                                                           settings: Any):
    """PLT-03: the filed sheet carries the installation's SM2 signature of its digest;
    ``weibao audit documents`` passes, then names the sheet whose PDF was replaced on disk."""
    from django.core.management import CommandError, call_command

    from weibao.security.models import DocumentSignature
    from weibao.security.signing import signature_valid

    settings.WEIBAO_SM2_KEY_FILE = str(tmp_path / "sm2.key")
    sheet = _submit(outlets, _ready(outlets))
    row = DocumentSignature.objects.get(kind="maintenance.sheet", object_id=str(sheet.pk))
    assert row.digest == sheet.digest and row.algorithm == "sm2"
    assert signature_valid("maintenance.sheet", sheet.pk, sheet.digest) is True
    assert signature_valid("maintenance.sheet", sheet.pk, digest(b"other", "sm3")) is False
    out = io.StringIO()
    call_command("audit", "documents", stdout=out)
    assert "signed documents intact: 1 signed documents checked, 0 failed" in out.getvalue()
    with sheet.pdf.open("wb") as handle:
        handle.write(b"%PDF-1.7 forged")
    errors = io.StringIO()
    with pytest.raises(CommandError, match="BROKEN: 1 signed documents checked, 1 failed"):
        call_command("audit", "documents", stdout=io.StringIO(), stderr=errors)
    assert (f"maintenance.sheet visit {sheet.visit_id} v1: content changed since it was signed"
            in errors.getvalue())
