"""Doing a visit (PM-01, PM-02, PM-08, AST-03, AST-08, SPR-02): check-in, checklist answers
validated by item kind with clear messages, photos resized and stripped of their metadata,
parts issued from the ledger, asset verification reaching the device archive at submission,
one-tap tickets for abnormal results, and who may do each of these."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from weibao.assets.choices import AssetStatus, EventKind
from weibao.assets.models import Asset, AssetEvent, AssetType
from weibao.core.choices import Role
from weibao.maintenance.choices import ItemKind, SignatureRule, VisitStatus
from weibao.maintenance.models import ChecklistTemplate, MaintenancePlan, Visit, VisitResult
from weibao.maintenance.services import visits as services
from weibao.maintenance.services.errors import StaleVisit, VisitConflict
from weibao.maintenance.tests.conftest import Setup, make_checklist, make_plan
from weibao.sites.models import Site
from weibao.spares.choices import ReferenceKind
from weibao.spares.models import PartType, StockBalance, Warehouse
from weibao.testing.factories import UserFactory
from weibao.tickets.tests.work_helpers import SIGNATURE

__all__ = ["FOURTEEN_ITEMS", "SIGNATURE", "answer_all", "fourteen_item_checklist", "jpeg",
           "site_with_assets", "started_visit", "visit_for"]

#: Seed 000's fourteen checks of a 社保卡受理网点 (PM-01), one of each kind among them.
FOURTEEN_ITEMS: list[dict[str, Any]] = [
    {"code": "hw", "text": "检查网点软硬件是否正常工作", "kind": ItemKind.PASS_FAIL},
    {"code": "virus", "text": "检查病毒库是否更新", "kind": ItemKind.PASS_FAIL},
    {"code": "version", "text": "核实使用软件版本", "kind": ItemKind.TEXT},
    {"code": "printer", "text": "清洁平推打印机打印头", "kind": ItemKind.PASS_FAIL},
    {"code": "camera", "text": "检查照相机及灯光套件", "kind": ItemKind.PASS_FAIL},
    {"code": "reader", "text": "检查读卡器读写功能", "kind": ItemKind.PASS_FAIL},
    {"code": "network", "text": "检查网络连通情况", "kind": ItemKind.CHOICE,
     "choices": ["正常", "缓慢", "中断"], "abnormal_choices": ["缓慢", "中断"]},
    {"code": "temp", "text": "机房温度", "kind": ItemKind.NUMBER, "unit": "℃",
     "min_value": Decimal("-20"), "max_value": Decimal("60"),
     "normal_min": Decimal("10"), "normal_max": Decimal("30")},
    {"code": "ups", "text": "检查UPS电源", "kind": ItemKind.PASS_FAIL},
    {"code": "cables", "text": "整理线缆并检查接口", "kind": ItemKind.PASS_FAIL},
    {"code": "backup", "text": "检查数据备份情况", "kind": ItemKind.PASS_FAIL},
    {"code": "cabinet", "text": "设备外观及机柜照片", "kind": ItemKind.PHOTO},
    {"code": "assets", "text": "核实网点资产", "kind": ItemKind.ASSET_VERIFICATION},
    {"code": "advice", "text": "网点意见与建议", "kind": ItemKind.TEXT, "required": False},
]


def fourteen_item_checklist(contract: Any, code: str = "sbk-14") -> ChecklistTemplate:
    return make_checklist(contract, code, [dict(item) for item in FOURTEEN_ITEMS])


def site_with_assets(setup: Setup, code: str = "SBK001", count: int = 2) -> Site:
    site = setup.add_site(code, site_type="sbk-outlet", district="huangpu",
                          name=f"黄浦区{code}受理点")
    asset_type = AssetType.objects.filter(contract=setup.contract).first()
    for number in range(1, count + 1):
        Asset.objects.create(contract=setup.contract, asset_type=asset_type, site=site,
                             name=f"桌面计算机{number}", code=f"{code}-PC{number}")
    return site


def visit_for(setup: Setup, plan: MaintenancePlan, site: Site | None = None, *,
              assignee: Any = None, days_left: int = 10) -> Visit:
    """A visit whose window started yesterday and ends in ``days_left`` days."""
    now = timezone.now()
    return Visit.objects.create(
        contract=setup.contract, plan=plan, site=site,
        key=f"{site.code if site else 'contract'}-{Visit.objects.count()}",
        window_start=now - datetime.timedelta(days=1),
        window_end=now + datetime.timedelta(days=days_left),
        assignee=assignee if assignee is not None else setup.people["engineer"])


def started_visit(setup: Setup, *, items: list[dict[str, Any]] | None = None,
                  signature: str = SignatureRule.SITE_STAFF, days_left: int = 10) -> Visit:
    code = f"list-{ChecklistTemplate.objects.count() + 1}"
    checklist = (make_checklist(setup.contract, code, items) if items is not None
                 else fourteen_item_checklist(setup.contract, code))
    plan = make_plan(setup.contract, f"plan-{MaintenancePlan.objects.count()}",
                     checklist=checklist, signature=signature)
    site = site_with_assets(setup, f"SBK{Site.objects.count() + 1:03d}")
    visit = visit_for(setup, plan, site, days_left=days_left)
    return services.check_in(visit, setup.people["engineer"])


def jpeg(width: int = 400, height: int = 300, *, gps: bool = False) -> SimpleUploadedFile:
    image = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}
        exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def answer_all(visit: Visit, *, temp: Any = 22, network: str = "正常") -> dict[str, Any]:
    """Answers for every item of the fourteen, all normal unless told otherwise."""
    assets = list(Asset.objects.filter(site=visit.site).order_by("pk"))
    answers: dict[str, Any] = {code: {"value": True} for code in
                               ("hw", "virus", "printer", "camera", "reader", "ups", "cables",
                                "backup")}
    answers["version"] = {"value": "社保卡系统 V3.2"}
    answers["network"] = {"value": network}
    answers["temp"] = {"value": temp}
    answers["assets"] = {"value": [{"asset": a.pk, "result": "present"} for a in assets]}
    answers["advice"] = {"value": ""}
    return answers


def _messages(error: ValidationError) -> str:
    return " ".join(message for messages in error.message_dict.values()
                    for message in messages)


# --- check-in -----------------------------------------------------------------------------

def test_pm01_check_in_starts_the_visit_with_time_and_location(outlets: Setup):
    """PM-01: checking in moves a planned visit to in progress, with its time and position,
    and bumps its version."""
    plan = make_plan(outlets.contract)
    visit = visit_for(outlets, plan, site_with_assets(outlets))
    done = services.check_in(visit, outlets.people["engineer"], latitude="31.230416",
                             longitude=121.473701, expected_version=1)
    assert done.status == VisitStatus.IN_PROGRESS and done.version == 2
    assert done.latitude == Decimal("31.230416") and done.checked_in_at is not None


@pytest.mark.parametrize(("lat", "lon", "field"), [(91, 0, "latitude"), (0, -181, "longitude"),
                                                   ("north", 0, "latitude")])
def test_pm01_check_in_refuses_bad_coordinates(outlets: Setup, lat: Any, lon: Any, field: str):
    """PM-01: a latitude outside -90..90 or a longitude outside -180..180 is refused, named."""
    visit = visit_for(outlets, make_plan(outlets.contract), site_with_assets(outlets))
    with pytest.raises(ValidationError) as caught:
        services.check_in(visit, outlets.people["engineer"], latitude=lat, longitude=lon)
    assert field in caught.value.message_dict
    assert "between" in _messages(caught.value)


def test_pm01_check_in_time_not_in_the_future(outlets: Setup):
    """PM-01: a check-in time beyond a few minutes ahead is refused."""
    visit = visit_for(outlets, make_plan(outlets.contract), site_with_assets(outlets))
    with pytest.raises(ValidationError, match="in the future"):
        services.check_in(visit, outlets.people["engineer"],
                          at=timezone.now() + datetime.timedelta(hours=1))


def test_pm01_check_in_not_before_the_window_opens(outlets: Setup):
    """PM-01, PM-03: a visit is started within its window (the evening check is not started
    in the morning); a few minutes early is tolerated."""
    visit = visit_for(outlets, make_plan(outlets.contract), site_with_assets(outlets))
    opens = timezone.now() + datetime.timedelta(hours=2)
    Visit.objects.filter(pk=visit.pk).update(window_start=opens)
    with pytest.raises(ValidationError, match="it cannot be started before"):
        services.check_in(visit.pk, outlets.people["engineer"])
    Visit.objects.filter(pk=visit.pk).update(
        window_start=timezone.now() + datetime.timedelta(minutes=3))
    assert services.check_in(visit.pk, outlets.people["engineer"]).checked_in_at


def test_pm01_check_in_twice_and_stale_versions_conflict(outlets: Setup):
    """A second check-in is a conflict; a stale expected version is StaleVisit."""
    visit = visit_for(outlets, make_plan(outlets.contract), site_with_assets(outlets))
    services.check_in(visit, outlets.people["engineer"])
    with pytest.raises(VisitConflict, match="only at a planned visit"):
        services.check_in(visit, outlets.people["engineer"])
    with pytest.raises(StaleVisit):
        services.record_results(visit, outlets.people["engineer"], {}, expected_version=1)


def test_pm09_a_missed_visit_can_still_be_checked_in(outlets: Setup):
    """PM-09: a visit whose window closed (missed) may still be done; it stays missed until
    submitted."""
    visit = visit_for(outlets, make_plan(outlets.contract), site_with_assets(outlets))
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.MISSED)
    done = services.check_in(visit.pk, outlets.people["engineer"])
    assert done.status == VisitStatus.MISSED and done.checked_in_at is not None
    services.record_results(done, outlets.people["engineer"], {"hw": {"value": True}})


def test_plt01_who_may_carry_out_a_visit(outlets: Setup, ca: Setup):
    """PLT-01 permission matrix: the outsider, the purchaser, the site staff and an engineer
    of another contract may not; another engineer may not take an assigned visit; the
    vendor manager may."""
    visit = visit_for(outlets, make_plan(outlets.contract), site_with_assets(outlets))
    site_staff = UserFactory(organisation=outlets.people["purchaser"].organisation,
                             role=Role.SITE_STAFF)
    for user in (outlets.people["outsider"], outlets.people["purchaser"], site_staff,
                 ca.people["engineer"], outlets.people["engineer2"]):
        with pytest.raises(PermissionDenied):
            services.check_in(visit, user)
    assert services.check_in(visit, outlets.people["manager"]).status == VisitStatus.IN_PROGRESS


def test_plt01_an_unassigned_visit_goes_to_who_checks_in(outlets: Setup):
    """An unassigned visit is taken by the engineer who checks in."""
    visit = visit_for(outlets, make_plan(outlets.contract), site_with_assets(outlets))
    Visit.objects.filter(pk=visit.pk).update(assignee=None)
    done = services.check_in(visit.pk, outlets.people["engineer2"])
    assert done.assignee == outlets.people["engineer2"]


# --- checklist answers ---------------------------------------------------------------------

def test_pm01_results_before_check_in_are_refused(outlets: Setup):
    """PM-01: results are recorded at the site, after check-in."""
    visit = visit_for(outlets, make_plan(outlets.contract), site_with_assets(outlets))
    with pytest.raises(VisitConflict, match="Check in"):
        services.record_results(visit, outlets.people["engineer"], {"hw": {"value": True}})


def test_pm01_partial_saves_copy_the_item_and_mark_abnormal(outlets: Setup):
    """PM-01, PM-08: answers may be saved a few at a time; each copies the item's text, kind
    and order; out of the normal range, a listed abnormal choice or a fail is abnormal."""
    visit = started_visit(outlets)
    engineer = outlets.people["engineer"]
    services.record_results(visit, engineer, {"temp": {"value": "35.5", "note": "空调故障"}})
    services.record_results(visit, engineer, {"network": {"value": "缓慢"},
                                              "hw": {"value": "fail"}, "ups": {"value": True}})
    results = {r.item_code: r for r in VisitResult.objects.filter(visit=visit)}
    assert results["temp"].value == 35.5 and results["temp"].abnormal
    assert results["temp"].text == "机房温度" and results["temp"].kind == ItemKind.NUMBER
    assert results["temp"].note == "空调故障" and results["temp"].order == 8
    assert results["network"].abnormal and results["hw"].abnormal
    assert results["hw"].value is False and not results["ups"].abnormal


def test_pm01_a_number_outside_its_range_is_refused_with_item_value_range_and_unit(
        outlets: Setup):
    """PM-01: a number outside [min, max] is refused; the message names the item, the value,
    the range and the unit."""
    visit = started_visit(outlets)
    with pytest.raises(ValidationError) as caught:
        services.record_results(visit, outlets.people["engineer"], {"temp": {"value": 75}})
    message = caught.value.message_dict["temp"][0]
    assert message == "机房温度: 75 is outside the allowed range -20–60 ℃."
    with pytest.raises(ValidationError, match="is not a number"):
        services.record_results(visit, outlets.people["engineer"], {"temp": {"value": "warm"}})
    assert not VisitResult.objects.filter(visit=visit).exists()


def test_pm01_unknown_items_and_wrong_kinds_are_refused(outlets: Setup):
    """PM-01: an unknown item code, a choice not offered and a pass/fail that is neither are
    refused, all at once, keyed by item code; nothing is saved."""
    visit = started_visit(outlets)
    with pytest.raises(ValidationError) as caught:
        services.record_results(visit, outlets.people["engineer"], {
            "nope": {"value": 1}, "network": {"value": "很好"}, "hw": {"value": "maybe"},
            "ups": {"value": True}})
    errors = caught.value.message_dict
    assert errors["nope"] == ["Unknown checklist item nope."]
    assert "not one of the choices (正常、缓慢、中断)" in errors["network"][0]
    assert errors["hw"] == ["检查网点软硬件是否正常工作: answer pass or fail."]
    assert not VisitResult.objects.filter(visit=visit).exists()


def test_ast08_asset_lines_must_be_the_sites_assets(outlets: Setup):
    """AST-08: verification lines name the site's own assets with a known result; a mismatch
    is described; missing or mismatch makes the item abnormal."""
    visit = started_visit(outlets)
    other = site_with_assets(outlets, "SBK900", count=1)
    foreign = Asset.objects.get(site=other)
    mine = list(Asset.objects.filter(site=visit.site))
    engineer = outlets.people["engineer"]
    for lines, text in (([{"asset": foreign.pk, "result": "present"}], "not recorded at"),
                        ([{"asset": mine[0].pk, "result": "gone"}], "needs a result"),
                        ([{"asset": mine[0].pk, "result": "mismatch"}], "describe how"),
                        ("all here", "list each asset")):
        with pytest.raises(ValidationError, match=text):
            services.record_results(visit, engineer, {"assets": {"value": lines}})
    services.record_results(visit, engineer, {"assets": {"value": [
        {"asset": mine[0].pk, "result": "present"}, {"asset": mine[1].pk, "result": "missing"}]}})
    assert VisitResult.objects.get(visit=visit, item_code="assets").abnormal


# --- photos --------------------------------------------------------------------------------

def test_pm02_photos_are_resized_reencoded_and_stripped_of_gps(outlets: Setup):
    """PM-02: a 4000×3000 photo comes back at most 1600 px on the long side, as JPEG, with
    no EXIF (no GPS position, no camera)."""
    visit = started_visit(outlets)
    photo = services.add_photo(visit, outlets.people["engineer"],
                               upload=jpeg(4000, 3000, gps=True), item_code="cabinet",
                               caption="机柜正面")
    assert (photo.width, photo.height) == (1600, 1200)
    with photo.image.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG" and max(image.size) == 1600
        assert not image.getexif() and "exif" not in image.info
    assert photo.visit.version == visit.version + 1


def test_pm02_photo_turned_upright_by_its_exif_orientation(outlets: Setup):
    """A portrait photo stored sideways with an orientation tag is stored upright."""
    visit = started_visit(outlets)
    image = Image.new("RGB", (300, 200), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    photo = services.add_photo(visit, outlets.people["engineer"],
                               upload=SimpleUploadedFile("p.jpg", out.getvalue()))
    assert (photo.width, photo.height) == (200, 300)


def test_pm02_not_a_photo_or_too_large_is_refused(outlets: Setup, settings: Any):
    """Only JPEG, PNG or WebP images are accepted, up to WEIBAO_MAX_UPLOAD_MB; an unknown item
    code is refused."""
    visit = started_visit(outlets)
    engineer = outlets.people["engineer"]
    with pytest.raises(ValidationError, match="not a photo"):
        services.add_photo(visit, engineer, upload=SimpleUploadedFile("x.jpg", b"%PDF-1.4"))
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(ValidationError, match="not a photo"):
        services.add_photo(visit, engineer, upload=SimpleUploadedFile("x.gif", gif.getvalue()))
    with pytest.raises(ValidationError, match="Unknown checklist item"):
        services.add_photo(visit, engineer, upload=jpeg(), item_code="nope")
    settings.WEIBAO_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.jpg", b"\xff" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        services.add_photo(visit, engineer, upload=big)
    assert not visit.photos.exists()


def test_pm02_a_decompression_bomb_is_refused(outlets: Setup, monkeypatch):
    """An image claiming far more pixels than a photo has is refused, not decoded."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    visit = started_visit(outlets)
    with pytest.raises(ValidationError, match="not a photo"):
        services.add_photo(visit, outlets.people["engineer"], upload=jpeg(100, 100))


def test_pm02_png_with_transparency_becomes_a_jpeg(outlets: Setup):
    """A PNG screenshot with transparency is kept as a JPEG on white."""
    visit = started_visit(outlets)
    out = io.BytesIO()
    Image.new("RGBA", (100, 50), (0, 0, 0, 0)).save(out, "PNG")
    photo = services.add_photo(visit, outlets.people["engineer"],
                               upload=SimpleUploadedFile("s.png", out.getvalue()))
    with photo.image.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG" and image.getpixel((5, 5)) == (255, 255, 255)


# --- parts, tickets -----------------------------------------------------------------------

def _stocked(setup: Setup, quantity: int = 3) -> tuple[Warehouse, PartType]:
    from weibao.spares import services as spares

    part = PartType.objects.get(contract=setup.contract, code="camera")
    warehouse = Warehouse.objects.create(contract=setup.contract, code="wh", name="备件库")
    spares.receive(warehouse=warehouse, part_type=part, quantity=quantity,
                   unit_cost=Decimal("100"))
    return warehouse, part


def test_spr02_parts_are_issued_from_the_ledger_with_the_visit_reference(outlets: Setup):
    """SPR-02: parts used at a visit are an issue movement referencing the visit, listed by
    visit_movements; the balance goes down; a warehouse of another contract is refused."""
    visit = started_visit(outlets)
    warehouse, part = _stocked(outlets)
    movement = services.issue_visit_parts(visit, outlets.people["engineer"],
                                          warehouse=warehouse, part_type=part, quantity=2)
    assert movement.reference_kind == ReferenceKind.VISIT
    assert movement.reference_id == str(visit.pk) and movement.quantity == -2
    assert list(services.visit_movements(visit)) == [movement]
    assert StockBalance.objects.get(warehouse=warehouse, part_type=part).on_hand == 1
    with pytest.raises(ValidationError):
        services.issue_visit_parts(visit, outlets.people["engineer"], warehouse=warehouse,
                                   part_type=part, quantity=5)


def test_pm08_an_abnormal_result_opens_one_linked_ticket(outlets: Setup):
    """PM-08: one tap on an abnormal result opens a fault ticket of the contract for the
    visit's site, titled by the item, described with the result, linked to the result; a
    second tap returns the same ticket."""
    visit = started_visit(outlets)
    engineer = outlets.people["engineer"]
    services.record_results(visit, engineer, {"temp": {"value": 38, "note": "空调停机"},
                                              "hw": {"value": True}})
    ticket = services.open_ticket(visit, engineer, item_code="temp")
    assert ticket.contract == outlets.contract and ticket.site == visit.site
    assert ticket.ticket_type.category == "fault" and ticket.title == "机房温度"
    assert "38" in ticket.description and "空调停机" in ticket.description
    assert VisitResult.objects.get(visit=visit, item_code="temp").ticket == ticket
    again = services.open_ticket(visit, engineer, item_code="temp")
    assert again.pk == ticket.pk
    assert outlets.contract.pk and type(ticket).objects.filter(
        contract=outlets.contract).count() == 1
    with pytest.raises(ValidationError, match="Only an abnormal result"):
        services.open_ticket(visit, engineer, item_code="hw")


# --- asset verification at submission -------------------------------------------------------

def test_ast08_submission_updates_the_archive_and_marks_missing_assets(outlets: Setup):
    """AST-08, AST-03: at submission each verified asset gets an archive entry and its
    last-verified time; a missing one gets the status missing. Saving alone changes nothing."""
    visit = started_visit(outlets)
    engineer = outlets.people["engineer"]
    services.add_photo(visit, engineer, upload=jpeg(), item_code="cabinet")
    answers = answer_all(visit)
    first, second = answers["assets"]["value"]
    second["result"] = "missing"
    services.record_results(visit, engineer, answers)
    assert not AssetEvent.objects.filter(asset_id=second["asset"]).exists()
    services.submit_visit(visit, engineer, signature=SIGNATURE, signer_name="王某")
    missing = Asset.objects.get(pk=second["asset"])
    assert missing.status == AssetStatus.MISSING and missing.last_verified_at is not None
    events = AssetEvent.objects.filter(kind=EventKind.VERIFICATION, source_kind="visit",
                                       source_id=str(visit.pk))
    assert {e.asset_id for e in events} == {first["asset"], second["asset"]}
