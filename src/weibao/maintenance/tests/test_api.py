"""``/api/maintenance/…`` (PM-01..09, AST-08, SPR-02, PLT-01): reading visits with the shared
filters at a constant number of queries, doing a visit step by step over HTTP, errors as 400
with the field and a readable message, 409 on a stale version, an idempotent submit, the
signed sheet's download and digest check, and an OpenAPI schema without warnings."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from weibao.maintenance.choices import (
    Frequency,
    ItemKind,
    PlanScope,
    SignatureRule,
    VisitStatus,
)
from weibao.maintenance.models import Visit, VisitSheet
from weibao.maintenance.services.generation import generate_visits
from weibao.maintenance.tests.api_helpers import ApiWorld, client_for, make_visit, world_of
from weibao.maintenance.tests.conftest import Setup, at, make_checklist, make_plan
from weibao.spares import services as spares
from weibao.spares.models import PartType, Warehouse
from weibao.tickets.tests.work_helpers import SIGNATURE

VISITS = "/api/maintenance/visits/"


@pytest.fixture
def world(outlets: Setup, settings, tmp_path) -> ApiWorld:
    settings.MEDIA_ROOT = tmp_path
    return world_of(outlets)


def step(world: ApiWorld, visit: Visit, name: str, body: dict[str, Any] | None = None,
         user: str = "engineer", **extra: Any) -> Any:
    return client_for(world.people[user]).post(f"{VISITS}{visit.pk}/{name}/", body or {},
                                               format="json", **extra)


def jpeg(size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile("site.jpg", buffer.getvalue(), content_type="image/jpeg")


GOOD = {"hw": {"value": True}, "version": {"value": "V3.2.1"},
        "temp": {"value": 24, "note": "机房空调正常"}}


def assert_error(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert set(body) >= {"message", "code", "errors"} and body["message"]
    if field is not None:
        assert field in body["errors"], body
        assert all(isinstance(m, str) and m for m in body["errors"][field])
    return body


# --- reading ---------------------------------------------------------------------------------

def test_visit_list_with_filters(world: ApiWorld):
    """PM-01/PM-09: the list filters by month, engineer (``mine``), status and district."""
    engineer = world.people["engineer"]
    mine = make_visit(world, assignee=engineer)
    make_visit(world, site=world.other_site, assignee=world.people["engineer2"])
    missed = make_visit(world, month="2025-09", status=VisitStatus.MISSED)
    client = client_for(engineer)
    body = client.get(VISITS, {"month": "2025-10", "mine": "true"}).json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    row = body["results"][0]
    assert row["site"] == "S001" and row["district"] == "xuhui"
    assert row["assignee"] == engineer.username and row["plan"] == world.plan.code
    assert row["status"] == "planned" and row["version"] == 1
    assert client.get(VISITS, {"status": "missed"}).json()["count"] == 1
    assert client.get(VISITS, {"district": world.setup.district("huangpu").pk}).json()[
        "count"] == 1
    first = client.get(VISITS, {"ordering": "window_start"}).json()["results"][0]
    assert first["id"] == missed.pk


def test_a_bad_filter_is_a_400_naming_the_field(world: ApiWorld):
    """A month the API cannot read answers 400 with the field and the expected format."""
    response = client_for(world.people["manager"]).get(VISITS, {"month": "2025-13"})
    body = assert_error(response, 400, "month")
    assert "YYYY-MM" in body["errors"]["month"][0]


def _count(client: Any, url: str, params: dict[str, Any] | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_list_endpoints_run_a_constant_number_of_queries(world: ApiWorld):
    """No N+1: the visit, plan, checklist and sheet lists cost the same for 2 rows as for
    12."""
    client = client_for(world.people["manager"])
    for _ in range(2):
        visit = make_visit(world, assignee=world.people["engineer"],
                           status=VisitStatus.DONE, completed_by=world.people["engineer"])
        VisitSheet.objects.create(visit=visit, version=1, pdf="", digest="d",
                                  created_by=world.people["engineer"])
    make_plan(world.contract, "extra-0", site_types=[world.setup.site_type("sbk-outlet")])
    urls = [VISITS, "/api/maintenance/plans/", "/api/maintenance/checklists/",
            "/api/maintenance/sheets/"]
    few = {url: _count(client, url) for url in urls}
    for n in range(10):
        visit = make_visit(world, site=world.other_site, assignee=world.people["engineer2"],
                           status=VisitStatus.DONE, completed_by=world.people["engineer2"])
        VisitSheet.objects.create(visit=visit, version=1, pdf="", digest="d",
                                  created_by=world.people["engineer2"])
        make_plan(world.contract, f"extra-{n + 1}",
                  site_types=[world.setup.site_type("rp-outlet")])
    many = {url: _count(client, url) for url in urls}
    assert many == few


def test_plans_and_checklists_read(world: ApiWorld):
    """PM-01..07: a plan shows its checklist code, scope, site types, frequency, slots,
    signature and breach rule; a checklist its items with kinds and ranges."""
    client = client_for(world.people["supervisor"])
    plan = client.get(f"/api/maintenance/plans/{world.plan.pk}/").json()
    assert plan["checklist"] == world.plan.checklist.code
    assert sorted(plan["site_types"]) == ["rp-outlet", "sbk-outlet"]
    assert plan["frequency"] == "monthly" and plan["scope"] == "site"
    assert plan["signature"] == "site_staff" and plan["missed_is_breach"] is True
    checklist = client.get(f"/api/maintenance/checklists/{world.plan.checklist_id}/").json()
    temp = next(item for item in checklist["items"] if item["code"] == "temp")
    assert temp["kind"] == "number" and temp["unit"] == "℃"
    assert temp["min_value"] == "-20.0000" and temp["max_value"] == "60.0000"


# --- doing a visit ----------------------------------------------------------------------------

def test_check_in_results_photo_and_detail(world: ApiWorld):
    """PM-01: check in with a location, save answers in parts, add a photo; the detail shows
    the checklist, the answers with the abnormal mark, and the photo's URL, which serves
    it."""
    visit = make_visit(world, assignee=world.people["engineer"])
    checked = step(world, visit, "check-in", {"latitude": "31.2", "longitude": "121.4",
                                              "version": 1})
    assert checked.status_code == 200, checked.json()
    assert checked.json()["status"] == "in_progress" and checked.json()["version"] == 2
    saved = client_for(world.people["engineer"]).patch(
        f"{VISITS}{visit.pk}/results/", {"answers": {"temp": {"value": 35}}}, format="json")
    assert saved.status_code == 200, saved.json()
    result = {r["item_code"]: r for r in saved.json()["results"]}["temp"]
    assert result["abnormal"] is True and result["text"] == "机房温度"
    photo = client_for(world.people["engineer"]).post(
        f"{VISITS}{visit.pk}/photos/", {"image": jpeg(), "item_code": "hw"},
        format="multipart")
    assert photo.status_code == 201, photo.json()
    detail = client_for(world.people["engineer"]).get(f"{VISITS}{visit.pk}/").json()
    assert [item["code"] for item in detail["checklist"]] == ["hw", "version", "temp"]
    assert detail["signature_rule"] == "site_staff"
    assert len(detail["photos"]) == 1 and detail["photos"][0]["item_code"] == "hw"
    image = client_for(world.people["site_staff"]).get(detail["photos"][0]["url"])
    assert image.status_code == 200
    assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"


def test_an_out_of_range_number_is_a_400_naming_the_item(world: ApiWorld):
    """PM-01: a number outside the item's range is refused with the item, the value and the
    range in the message; nothing is saved."""
    visit = make_visit(world, assignee=world.people["engineer"],
                       status=VisitStatus.IN_PROGRESS)
    response = step(world, visit, "results", {"answers": {"temp": {"value": 99}}})
    body = assert_error(response, 400, "temp")
    message = body["errors"]["temp"][0]
    assert "99" in message and "60" in message
    assert not visit.results.exists()


def test_a_stale_version_answers_409_with_the_current_one(world: ApiWorld):
    """Optimistic locking: a step sent with an old version (in the body or ``If-Match``)
    answers 409 with the current version and changes nothing."""
    visit = make_visit(world, assignee=world.people["engineer"])
    assert step(world, visit, "check-in", {"version": 1}).status_code == 200
    stale = step(world, visit, "results", {"answers": GOOD, "version": 1})
    body = assert_error(stale, 409)
    assert body["code"] == "conflict" and body["version"] == 2
    by_header = step(world, visit, "results", {"answers": GOOD}, HTTP_IF_MATCH='"1"')
    assert by_header.status_code == 409
    assert step(world, visit, "results", {"answers": GOOD},
                HTTP_IF_MATCH='"2"').status_code == 200


def test_a_step_the_state_does_not_allow_answers_409(world: ApiWorld):
    """Answers before check-in are refused as a conflict with the visit's state."""
    visit = make_visit(world, assignee=world.people["engineer"])
    body = assert_error(step(world, visit, "results", {"answers": GOOD}), 409)
    assert "Check in" in body["message"]


@pytest.fixture
def stock(world: ApiWorld) -> tuple[Warehouse, PartType]:
    warehouse = Warehouse.objects.create(contract=world.contract, code="main", name="主仓库")
    part_type = PartType.objects.get(contract=world.contract, code="desktop")
    spares.receive(warehouse=warehouse, part_type=part_type, quantity=5,
                   actor=world.people["manager"])
    return warehouse, part_type


def test_parts_used_are_issued_from_the_ledger(world: ApiWorld, stock):
    """SPR-02: parts used at the visit are an issue movement of the ledger referencing the
    visit; an unknown warehouse is a 400 on that field."""
    visit = make_visit(world, assignee=world.people["engineer"],
                       status=VisitStatus.IN_PROGRESS)
    response = step(world, visit, "parts", {"warehouse": "main", "part_type": "desktop",
                                            "quantity": 2})
    assert response.status_code == 201, response.json()
    movements = response.json()["movements"]
    assert [(m["warehouse"], m["part_type"], m["quantity"]) for m in movements] == [
        ("main", "desktop", 2)]
    assert_error(step(world, visit, "parts", {"warehouse": "nope", "part_type": "desktop",
                                              "quantity": 1}), 400, "warehouse")
    assert_error(step(world, visit, "parts", {"warehouse": "main", "part_type": "desktop",
                                              "quantity": 0}), 400, "quantity")


def test_an_abnormal_item_opens_one_linked_ticket(world: ApiWorld):
    """PM-08: one call opens a ticket for the abnormal result and links it; a second call
    finds the same ticket; a normal item is refused with a readable message."""
    visit = make_visit(world, assignee=world.people["engineer"],
                       status=VisitStatus.IN_PROGRESS)
    assert step(world, visit, "results", {"answers": {"temp": {"value": 45},
                                                      "hw": {"value": True}}}).status_code == 200
    first = step(world, visit, "open-ticket", {"item_code": "temp"})
    assert first.status_code == 200, first.json()
    result = {r["item_code"]: r for r in first.json()["results"]}["temp"]
    assert result["ticket"] is not None and result["ticket_number"]
    again = step(world, visit, "open-ticket", {"item_code": "temp"})
    assert {r["item_code"]: r for r in again.json()["results"]}["temp"]["ticket"] == \
        result["ticket"]
    assert_error(step(world, visit, "open-ticket", {"item_code": "hw"}), 400, "item_code")


def _ready(world: ApiWorld) -> Visit:
    visit = make_visit(world, assignee=world.people["engineer"],
                       status=VisitStatus.IN_PROGRESS)
    response = step(world, visit, "results", {"answers": GOOD})
    assert response.status_code == 200, response.json()
    return visit


def test_submit_without_the_signature_is_refused_clearly(world: ApiWorld):
    """PM-02: a plan signed by the site's staff refuses a submission without the signature,
    naming the field; a signature without the signer's name is refused too."""
    visit = _ready(world)
    body = assert_error(step(world, visit, "submit", {}), 400, "signature")
    assert "sign" in body["errors"]["signature"][0]
    assert_error(step(world, visit, "submit", {"signature": SIGNATURE}), 400, "signer_name")
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.IN_PROGRESS


@pytest.mark.pdf
def test_submit_is_idempotent_over_http(world: ApiWorld):
    """PM-02: the same ``Idempotency-Key`` twice answers the same sheet and makes one; a
    new key on the done visit is a 409."""
    visit = _ready(world)
    body = {"signature": SIGNATURE, "signer_name": "王某"}
    first = step(world, visit, "submit", body, HTTP_IDEMPOTENCY_KEY="phone-1")
    assert first.status_code == 201, first.json()
    second = step(world, visit, "submit", body, HTTP_IDEMPOTENCY_KEY="phone-1")
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert VisitSheet.objects.filter(visit=visit).count() == 1
    assert first.json()["version"] == 1 and first.json()["signer_name"] == "王某"
    assert_error(step(world, visit, "submit", body, HTTP_IDEMPOTENCY_KEY="phone-2"), 409)
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.DONE


@pytest.mark.pdf
def test_sheet_download_verify_and_correction(world: ApiWorld):
    """PM-02: the signed sheet downloads as a PDF attachment and its digest verifies; a
    correction makes version 2 with the reason and changes; version 1 is unchanged and
    still verifies; a tampered file fails verification."""
    visit = _ready(world)
    sheet = step(world, visit, "submit", {"signature": SIGNATURE, "signer_name": "王某"},
                 HTTP_IDEMPOTENCY_KEY="k").json()
    staff = client_for(world.people["site_staff"])
    download = staff.get(sheet["pdf_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert ".pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    verified = staff.get(f"/api/maintenance/sheets/{sheet['id']}/verify/").json()
    assert verified == {"valid": True, "digest": sheet["digest"],
                        "algorithm": sheet["digest_algorithm"]}
    correction = step(world, visit, "correct", {"answers": {"temp": {"value": 26}},
                                                "reason": "读数抄错"}, user="manager")
    assert correction.status_code == 201, correction.json()
    second = correction.json()
    assert second["version"] == 2 and second["reason"] == "读数抄错"
    assert second["changes"] and second["digest"] != sheet["digest"]
    assert_error(step(world, visit, "correct", {"answers": {"temp": {"value": 26}},
                                                "reason": ""}, user="manager"), 400)
    listed = staff.get("/api/maintenance/sheets/", {"visit": visit.pk}).json()
    assert sorted(row["version"] for row in listed["results"]) == [1, 2]
    detail = staff.get(f"/api/maintenance/sheets/{sheet['id']}/").json()
    assert detail["digest"] == sheet["digest"] and detail["snapshot"]
    assert staff.get(f"/api/maintenance/sheets/{sheet['id']}/verify/").json()["valid"]
    stored = VisitSheet.objects.get(pk=sheet["id"])
    with open(stored.pdf.path, "ab") as handle:
        handle.write(b"tampered")
    assert staff.get(f"/api/maintenance/sheets/{sheet['id']}/verify/").json()[
        "valid"] is False


def test_a_photo_item_needs_its_photo_before_submit(world: ApiWorld):
    """PM-01: an item whose photo is required cannot be submitted without it; the error
    names the item."""
    checklist = make_checklist(world.contract, "with-photo", items=[
        {"code": "printer", "text": "制卡机维护", "kind": ItemKind.PASS_FAIL,
         "photo_required": True}])
    plan = make_plan(world.contract, "photo-plan", checklist=checklist,
                     site_types=[world.setup.site_type("sbk-outlet")])
    visit = make_visit(world, plan=plan, assignee=world.people["engineer"],
                       status=VisitStatus.IN_PROGRESS)
    assert step(world, visit, "results", {"answers": {"printer": {"value": True}}}
                ).status_code == 200
    body = assert_error(step(world, visit, "submit", {"signature": SIGNATURE,
                                                      "signer_name": "王某"}), 400, "printer")
    assert "photo" in body["errors"]["printer"][0]


# --- schema -----------------------------------------------------------------------------------

def test_openapi_schema_has_the_endpoints_and_no_warnings_for_them(client, db):
    """The maintenance endpoints are in the OpenAPI schema, generated without a warning or an
    error from any of its views or serializers."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    ours = [message for message in [*GENERATOR_STATS._warn_cache,
                                    *GENERATOR_STATS._error_cache]
            if "maintenance" in message]
    assert ours == []
    paths = schema["paths"]
    for path in ["/api/maintenance/visits/", "/api/maintenance/visits/{id}/submit/",
                 "/api/maintenance/visits/{id}/check-in/", "/api/maintenance/sheets/{id}/pdf/",
                 "/api/maintenance/sheets/{id}/verify/", "/api/maintenance/coverage/",
                 "/api/maintenance/plans/", "/api/maintenance/checklists/"]:
        assert path in paths, path


# --- planning (managers) ----------------------------------------------------------------------

def test_manager_moves_reassigns_and_cancels(world: ApiWorld):
    """PM-01: the vendor's manager plans another day within the window, gives the visit to
    another engineer and cancels it with a reason; each answers the updated visit."""
    visit = make_visit(world, assignee=world.people["engineer"])
    moved = step(world, visit, "move", {"planned_for": "2025-10-20", "version": 1},
                 user="manager")
    assert moved.status_code == 200, moved.json()
    assert moved.json()["planned_for"] == "2025-10-20" and moved.json()["version"] == 2
    outside = step(world, visit, "move", {"planned_for": "2025-11-03"}, user="manager")
    assert "2025-10-01" in assert_error(outside, 400, "planned_for")["errors"][
        "planned_for"][0]
    reassigned = step(world, visit, "reassign", {"assignee": "sbk-engineer2"}, user="manager")
    assert reassigned.status_code == 200, reassigned.json()
    assert reassigned.json()["assignee"] == "sbk-engineer2"
    assert_error(step(world, visit, "reassign", {"assignee": "sbk-outsider"},
                      user="manager"), 400, "assignee")
    assert_error(step(world, visit, "cancel", {"reason": ""}, user="manager"), 400, "reason")
    stale = step(world, visit, "cancel", {"reason": "网点装修", "version": 2}, user="manager")
    assert assert_error(stale, 409)["version"] == 3
    cancelled = step(world, visit, "cancel", {"reason": "网点装修"}, user="manager")
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancel_reason"] == "网点装修"
    assert step(world, visit, "move", {"planned_for": "2025-10-21"},
                user="manager").status_code == 409


def test_manager_creates_a_visit_by_hand(world: ApiWorld):
    """PM-01..07: ``POST /visits/`` makes a visit of a plan for a site, within a window;
    unknown plan or site codes are 400s naming the field."""
    body = {"contract": world.contract.number, "plan": world.plan.code, "site": "S002",
            "window_start": "2025-10-01T00:00:00+08:00",
            "window_end": "2025-11-01T00:00:00+08:00", "assignee": "sbk-engineer2",
            "planned_for": "2025-10-15"}
    client = client_for(world.people["manager"])
    created = client.post(VISITS, body, format="json")
    assert created.status_code == 201, created.json()
    visit = created.json()
    assert visit["site"] == "S002" and visit["assignee"] == "sbk-engineer2"
    assert visit["planned_for"] == "2025-10-15" and visit["status"] == "planned"
    assert created["Location"].endswith(f"/{visit['id']}/")
    wrong = client.post(VISITS, {**body, "plan": "nope", "site": "S999"}, format="json")
    errors = assert_error(wrong, 400)["errors"]
    assert set(errors) == {"plan", "site"}
    backwards = client.post(VISITS, {**body, "window_end": "2025-09-01T00:00:00+08:00"},
                            format="json")
    assert_error(backwards, 400, "window_end")
    foreign = client.post(VISITS, {**body, "contract": "NO-SUCH"}, format="json")
    assert foreign.status_code == 404


# --- coverage, major events, engineers' districts ---------------------------------------------

def test_coverage_of_a_month_by_district_and_plan(world: ApiWorld):
    """PM-09: October's visits by district: due, done on time, late, missed (with its
    breach) and open, with rates and a total row; grouped by plan the same total."""
    done = {"status": VisitStatus.DONE, "completed_at": at("2025-10-10 10:00")}
    make_visit(world, **done)
    make_visit(world, status=VisitStatus.DONE, late=True,
               completed_at=at("2025-11-02 10:00"))
    make_visit(world, site=world.other_site, status=VisitStatus.MISSED,
               breach_recorded_at=at("2025-11-01 00:00"))
    make_visit(world, site=world.other_site)
    make_visit(world, status=VisitStatus.CANCELLED)
    make_visit(world, month="2025-11", **done)
    client = client_for(world.people["purchaser"])
    response = client.get("/api/maintenance/coverage/", {
        "contract": world.contract.number, "month": "2025-10", "by": "district"})
    assert response.status_code == 200, response.json()
    body = response.json()
    rows = {row["label"]: row for row in body["rows"]}
    assert set(rows) == {"徐汇区", "黄浦区"}
    assert (rows["徐汇区"]["due"], rows["徐汇区"]["done_on_time"], rows["徐汇区"]["late"]) == (
        2, 1, 1)
    assert rows["徐汇区"]["rate"] == 0.5 and rows["徐汇区"]["done_rate"] == 1.0
    assert (rows["黄浦区"]["missed"], rows["黄浦区"]["breaches"], rows["黄浦区"]["open"]) == (
        1, 1, 1)
    total = body["total"]
    assert (total["due"], total["done"], total["missed"], total["open"]) == (4, 2, 1, 1)
    assert body["contract"] == world.contract.number and body["by"] == "district"
    by_plan = client.get("/api/maintenance/coverage/", {
        "contract": world.contract.pk, "month": "2025-10", "by": "plan"}).json()
    assert by_plan["total"]["due"] == 4 and len(by_plan["rows"]) == 1
    ranged = client.get("/api/maintenance/coverage/", {
        "contract": world.contract.number, "start": "2025-10-01", "end": "2025-10-31"}).json()
    assert ranged["total"]["due"] == 4


@pytest.mark.parametrize(("params", "field"), [
    ({"month": "2025-10", "by": "engineer"}, "by"), ({"month": "Oct"}, "month"),
    ({}, "month"), ({"start": "2025-10-31", "end": "2025-10-01"}, "end"),
    ({"start": "yesterday", "end": "2025-10-01"}, "start")])
def test_coverage_refuses_unreadable_parameters(world: ApiWorld, params: dict[str, str],
                                                field: str):
    """Coverage parameters it cannot use are a 400 naming the parameter."""
    response = client_for(world.people["manager"]).get(
        "/api/maintenance/coverage/", {"contract": world.contract.number, **params})
    assert_error(response, 400, field)


def test_major_events_are_recorded_through_the_service(world: ApiWorld):
    """PM-07: the purchaser records a major event; a date outside the service period is a
    400 on ``date``; an engineer may not record one."""
    body = {"contract": world.contract.number, "name": "社保卡换发启动仪式",
            "date": "2025-12-18", "notes": "市民中心"}
    created = client_for(world.people["purchaser"]).post("/api/maintenance/major-events/",
                                                         body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["name"] == "社保卡换发启动仪式"
    assert created.json()["created_by"] == world.people["purchaser"].username
    late = client_for(world.people["manager"]).post("/api/maintenance/major-events/",
                                                    {**body, "date": "2030-01-01"},
                                                    format="json")
    assert_error(late, 400, "date")
    assert client_for(world.people["engineer"]).post(
        "/api/maintenance/major-events/", body, format="json").status_code == 403
    listed = client_for(world.people["supervisor"]).get("/api/maintenance/major-events/")
    assert [row["date"] for row in listed.json()["results"]] == ["2025-12-18"]


def test_engineer_districts_are_replaced_by_the_manager(world: ApiWorld):
    """The manager sets an engineer's districts (generation prefers them); unknown districts
    or people outside the vendor are 400s naming the field; engineers may not."""
    url = "/api/maintenance/engineer-areas/sbk-engineer/"
    manager = client_for(world.people["manager"])
    body = {"contract": world.contract.number, "districts": ["xuhui", "huangpu"]}
    response = manager.put(url, body, format="json")
    assert response.status_code == 200, response.json()
    assert sorted(row["district"] for row in response.json()) == ["huangpu", "xuhui"]
    narrowed = manager.put(url, {**body, "districts": ["xuhui"]}, format="json")
    assert [row["district"] for row in narrowed.json()] == ["xuhui"]
    listed = manager.get("/api/maintenance/engineer-areas/", {"contract": world.contract.pk})
    assert [(r["engineer"], r["district"]) for r in listed.json()["results"]] == [
        ("sbk-engineer", "xuhui")]
    assert_error(manager.put(url, {**body, "districts": ["atlantis"]}, format="json"), 400,
                 "districts")
    assert_error(manager.put("/api/maintenance/engineer-areas/sbk-outsider/", body,
                             format="json"), 400, "engineer")
    assert client_for(world.people["engineer"]).put(url, body,
                                                    format="json").status_code == 403


def test_a_major_event_changes_or_goes_until_its_visit_starts(world: ApiWorld):
    """PM-07: a new date re-plans the event's check for the day before it (within the
    planning horizon, like every generated visit); once the check
    started, the event can be neither changed nor withdrawn (409); an event whose check
    never started is withdrawn with it; engineers may not change events."""
    make_plan(world.contract, "event-check", frequency=Frequency.BEFORE_EVENT,
              scope=PlanScope.CONTRACT, signature=SignatureRule.NONE)
    purchaser = client_for(world.people["purchaser"])
    with time_machine.travel(at("2025-10-10 09:00"), tick=False):
        event = purchaser.post("/api/maintenance/major-events/", {
            "contract": world.contract.number, "name": "换发仪式", "date": "2025-11-05"},
            format="json").json()
        url = f"/api/maintenance/major-events/{event['id']}/"
        assert [v.window_start for v in Visit.objects.filter(event_id=event["id"])] == [
            at("2025-11-04 00:00")]
        assert client_for(world.people["engineer"]).patch(
            url, {"date": "2025-11-08"}, format="json").status_code == 403
        moved = purchaser.patch(url, {"date": "2025-11-08"}, format="json")
        assert moved.status_code == 200, moved.json()
        assert not Visit.objects.filter(event_id=event["id"]).exists()
        generate_visits(world.contract)  # the re-planning job that follows the change
        assert moved.json()["date"] == "2025-11-08" and moved.json()["name"] == "换发仪式"
        assert [v.window_start for v in Visit.objects.filter(event_id=event["id"])] == [
            at("2025-11-07 00:00")]
        assert_error(purchaser.put(url, {"name": "", "date": "2025-11-08"}, format="json"),
                     400, "name")
        Visit.objects.filter(event_id=event["id"]).update(status=VisitStatus.IN_PROGRESS,
                                                         checked_in_at=at("2025-10-10 09:00"))
        assert_error(purchaser.patch(url, {"date": "2025-11-09"}, format="json"), 409)
        assert_error(purchaser.delete(url), 409)
        other = purchaser.post("/api/maintenance/major-events/", {
            "contract": world.contract.number, "name": "年终检查", "date": "2025-12-20"},
            format="json").json()
        assert Visit.objects.filter(event_id=other["id"]).count() == 1
        gone = purchaser.delete(f"/api/maintenance/major-events/{other['id']}/")
        assert gone.status_code == 204
        assert not Visit.objects.filter(event_id=other["id"]).exists()
        assert client_for(world.people["outsider"]).get(url).status_code == 404


@pytest.mark.pdf
def test_the_months_sheets_as_one_zip_or_one_pdf(world: ApiWorld):
    """RPT-01/PM-02: the month's signed sheets download as one ZIP (a PDF per visit and an
    index) or one PDF; site staff get only their own site's; a month without sheets has
    no combined PDF (400 on ``month``); an unreadable month is a 400 too."""
    for site in (world.site, world.other_site):
        visit = make_visit(world, site=site, assignee=world.people["engineer"],
                           status=VisitStatus.IN_PROGRESS)
        assert step(world, visit, "results", {"answers": GOOD}).status_code == 200
        assert step(world, visit, "submit", {"signature": SIGNATURE, "signer_name": "王某"}
                    ).status_code == 201
    params = {"contract": world.contract.number, "month": "2025-10"}
    manager = client_for(world.people["manager"])
    archive = manager.get("/api/maintenance/sheets/month-zip/", params)
    assert archive.status_code == 200, archive.content[:300]
    assert archive["Content-Type"] == "application/zip"
    assert archive["Content-Disposition"].startswith("attachment;")
    with zipfile.ZipFile(io.BytesIO(archive.content)) as opened:
        pdfs = [name for name in opened.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == 2
    combined = manager.get("/api/maintenance/sheets/month-pdf/", params)
    assert combined.status_code == 200 and combined.content.startswith(b"%PDF")
    staff = client_for(world.people["site_staff"]).get("/api/maintenance/sheets/month-zip/",
                                                        params)
    with zipfile.ZipFile(io.BytesIO(staff.content)) as opened:
        assert len([n for n in opened.namelist() if n.endswith(".pdf")]) == 1
    assert_error(manager.get("/api/maintenance/sheets/month-pdf/",
                             {**params, "month": "2025-11"}), 400, "month")
    assert_error(manager.get("/api/maintenance/sheets/month-zip/",
                             {**params, "month": "Oct"}), 400, "month")


def test_visit_detail_runs_a_constant_number_of_queries(world: ApiWorld):
    """No N+1 in a visit's detail: answers (with tickets), photos and sheets cost the same
    queries for none as for several."""
    empty = make_visit(world, assignee=world.people["engineer"])
    full = make_visit(world, assignee=world.people["engineer"],
                      status=VisitStatus.IN_PROGRESS)
    assert step(world, full, "results", {"answers": GOOD}).status_code == 200
    for code in ("hw", "temp"):
        assert client_for(world.people["engineer"]).post(
            f"{VISITS}{full.pk}/photos/", {"image": jpeg(), "item_code": code},
            format="multipart").status_code == 201
    for version in (1, 2):
        VisitSheet.objects.create(visit=full, version=version, pdf="", digest="d",
                                  created_by=world.people["engineer"])
    client = client_for(world.people["manager"])
    assert _count(client, f"{VISITS}{empty.pk}/") == _count(client, f"{VISITS}{full.pk}/")
