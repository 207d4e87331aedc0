"""SLA preview (试算): page, API and command on the imported example contracts
(SLA-01, SLA-02, SLA-03, PLT-01)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from weibao.contracts.spec.importer import import_text

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "contracts"


@pytest.fixture
def outlets(db):
    return import_text((EXAMPLES / "000-shanghai-sbk-outlets.yaml").read_text("utf-8")).contract


@pytest.fixture
def ca(db):
    name = "002-shanghai-hrss-ca-integration.yaml"
    return import_text((EXAMPLES / name).read_text("utf-8")).contract


def test_api_preview_urban_response_across_national_day(api, outlets, admin_user):
    api.force_authenticate(admin_user)
    response = api.post("/api/sla/preview", {
        "contract": outlets.number, "attributes": {"area_class": "urban"},
        "events": {"reported": "2025-09-30T16:45:00+08:00"},
        "now": "2025-10-09T09:15:00+08:00"}, format="json")
    assert response.status_code == 200, response.json()
    [respond] = response.json()["stages"]
    assert respond["due_at"] == "2025-10-09T09:45:00+08:00"
    # 45 min on 30 Sep + 45 min on 9 Oct = 75% of 2 working hours: the warning threshold.
    assert respond["status"] == "warning"
    assert respond["left"] == 0.5


def test_api_preview_classifies_the_fault_level(api, ca, admin_user):
    api.force_authenticate(admin_user)
    response = api.post("/api/sla/preview", {
        "contract": str(ca.pk), "attributes": {"scope": "large", "ticket_type": "fault"},
        "events": {"reported": "2025-09-23T17:30:01+08:00",
                   "onsite_requested": "2025-09-23T18:30:00+08:00"},
        "now": "2025-09-23T18:40:00+08:00"}, format="json")
    body = response.json()
    assert body["fault_level"]["code"] == "II"
    stages = {s["code"]: s for s in body["stages"]}
    assert stages["onsite"]["due_at"] == "2025-09-23T21:30:00+08:00"
    assert stages["respond"]["due_at"] == "2025-09-23T17:45:01+08:00"


def test_api_preview_of_a_spec_not_yet_imported(api, admin_user, db):
    api.force_authenticate(admin_user)
    text = (EXAMPLES / "000-shanghai-sbk-outlets.yaml").read_text("utf-8")
    response = api.post("/api/sla/preview", {
        "spec": text, "attributes": {"area_class": "suburban"},
        "events": {"reported": "2025-09-23T10:00:00"}}, format="json")
    assert response.status_code == 200
    assert response.json()["stages"][0]["due_at"] == "2025-09-23T13:00:00+08:00"


def test_api_preview_errors(api, outlets, admin_user):
    api.force_authenticate(admin_user)
    bad_attr = api.post("/api/sla/preview", {"contract": outlets.number,
                                             "attributes": {"colour": "red"},
                                             "events": {"reported": "2025-09-23T10:00"}},
                        format="json")
    assert bad_attr.status_code == 400 and "attributes" in bad_attr.json()["errors"]
    bad_pause = api.post("/api/sla/preview", {
        "contract": outlets.number, "attributes": {"area_class": "urban"},
        "events": {"reported": "2025-09-23T10:00"},
        "pauses": [{"start": "2025-09-23T10:30", "end": "2025-09-23T11:00",
                    "state": "lunch"}]}, format="json")
    assert bad_pause.status_code == 400
    assert "lunch" in bad_pause.json()["message"]
    no_year = api.post("/api/sla/preview", {
        "contract": outlets.number, "attributes": {"area_class": "urban"},
        "events": {"reported": "2040-01-05T10:00"}}, format="json")
    assert no_year.status_code == 400 and "2040" in no_year.json()["message"]


def test_api_preview_is_scoped_to_the_users_contracts(api, world, outlets):
    api.force_authenticate(world.users["outsider"])
    response = api.post("/api/sla/preview", {
        "contract": outlets.number, "attributes": {"area_class": "urban"},
        "events": {"reported": "2025-09-23T10:00"}}, format="json")
    assert response.status_code == 404


def test_preview_page(client, admin_user, outlets):
    client.force_login(admin_user)
    page = client.get("/sla/preview/")
    assert page.status_code == 200
    response = client.post("/sla/preview/", {
        "contract": outlets.pk, "area_class": "suburban",
        "event_reported": "2025-10-10T16:00:00", "now": "2025-10-10T16:30:00"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2025-10-11 10:00:00" in html  # the adjusted Saturday is a workday


def test_preview_page_requires_login(client, db):
    assert client.get("/sla/preview/").status_code == 302


def test_preview_command(outlets):
    out = StringIO()
    call_command("sla", "preview", "--contract", outlets.number, "--attr", "area_class=urban",
                 "--event", "reported=2025-09-30T16:45", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["stages"][0]["due_at"] == "2025-10-09T09:45:00+08:00"


SPEC_WITH_OWN_CALENDAR = """
spec_version: 1
contract: {number: PREVIEW-OWN-CAL, title: 试算合同, amount: 1000,
           period: {start: 2025-01-01, end: 2025-12-31}}
parties:
  - {role: purchaser, organisation: {name: 试算甲方, code: prev-p, kind: purchaser}}
  - {role: vendor, organisation: {name: 试算乙方, code: prev-v, kind: vendor}}
calendars:
  - {code: every-day-0830-1730, name: 每日8:30-17:30, based_on: cn-0830-1730, holidays: false,
     hours: {sat: ["08:30-17:30"], sun: ["08:30-17:30"]}}
service_levels:
  calendar: every-day-0830-1730
  stages: [{code: respond, name: 响应, start: reported, stop: responded}]
  targets: [{stage: respond, within: {amount: 2, unit: working_hours}}]
"""


def test_item11b_a_spec_preview_uses_the_specs_own_calendars(api, admin_user, db):
    """Issue 15 item 11b: a calendar defined only in the spec is used (it was a 400), and the
    holiday-free reading of seed 002's "每日 8:30–17:30" counts National Day."""
    api.force_authenticate(admin_user)
    response = api.post("/api/sla/preview", {
        "spec": SPEC_WITH_OWN_CALENDAR, "events": {"reported": "2025-09-30T16:45:00"}},
        format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["stages"][0]["due_at"] == "2025-10-01T09:45:00+08:00"


def test_item11b_a_spec_preview_uses_the_specs_hours_over_the_stored_ones(api, admin_user,
                                                                         db, tmp_path):
    """The same code, imported with other hours: the spec's hours win in its preview."""
    from weibao.contracts.spec.importer import import_text as load

    load(SPEC_WITH_OWN_CALENDAR.replace('hours: {sat: ["08:30-17:30"], sun: ["08:30-17:30"]}',
                                        'hours: {sat: [], sun: []}'))
    path = tmp_path / "draft.yaml"
    path.write_text(SPEC_WITH_OWN_CALENDAR, encoding="utf-8")
    out = StringIO()
    call_command("sla", "preview", "--spec", str(path), "--event",
                 "reported=2025-10-03T16:45", "--json", stdout=out)
    # Friday 3 Oct counts with the spec's hours; Saturday 4 Oct too (stored: Monday 6 Oct).
    assert json.loads(out.getvalue())["stages"][0]["due_at"] == "2025-10-04T09:45:00+08:00"


def test_preview_of_recurring_updates_through_the_api(api, admin_user, db):
    api.force_authenticate(admin_user)
    spec = SPEC_WITH_OWN_CALENDAR.replace(
        "stages: [{code: respond, name: 响应, start: reported, stop: responded}]",
        "stages: [{code: respond, name: 通报, start: reported, stop: responded, every: true}]"
    ).replace("{amount: 2, unit: working_hours}", "{amount: 30, unit: minutes}")
    response = api.post("/api/sla/preview", {
        "spec": spec, "events": {"reported": "2025-09-23T10:00:00"},
        "updates": ["2025-09-23T10:20:00"], "now": "2025-09-23T11:00:00"}, format="json")
    assert response.status_code == 200, response.json()
    [stage] = response.json()["stages"]
    assert stage["every"] and stage["updates"] == 1 and stage["missed"] == 1
    assert stage["missed_due"] == ["2025-09-23T10:50:00+08:00"]
    assert stage["status"] == "breached"


def test_preview_page_takes_progress_update_times(client, admin_user, outlets):
    client.force_login(admin_user)
    page = client.get("/sla/preview/")
    assert 'name="updates"' in page.content.decode()
    bad = client.post("/sla/preview/", {
        "contract": outlets.pk, "area_class": "urban",
        "event_reported": "2025-10-10T16:00:00", "updates": "not a time"})
    assert bad.status_code == 400 and "not a time" in bad.content.decode()
    good = client.post("/sla/preview/", {
        "contract": outlets.pk, "area_class": "urban", "event_reported": "2025-10-10T16:00:00",
        "updates": "2025-10-10 16:20\n\n2025-10-10T16:40", "now": "2025-10-10T16:45:00"})
    assert good.status_code == 200
