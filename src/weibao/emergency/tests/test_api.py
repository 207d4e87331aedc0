"""``/api/emergency/…`` (EMG-01..04): scoped reads (an engineer of another contract sees
nothing), the writes through the services with 400/403/409 as the services decide."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from weibao.core.choices import Role
from weibao.emergency.models import Drill
from weibao.testing.examples import Setup
from weibao.testing.factories import UserFactory


def api(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _incident(ca: Setup) -> dict[str, object]:
    answer = api(ca.people["engineer"]).post("/api/emergency/incidents/", {
        "contract": ca.contract.number, "title": "门户被篡改", "description": "首页外链",
        "discovered_at": "2025-06-01T09:00:00+08:00",
        "reported_to": ca.people["purchaser"].username, "system": "sys-labour"}, format="json")
    assert answer.status_code == 201, answer.json()
    return dict(answer.json())


def test_emg03_incident_through_the_api(ca: Setup) -> None:
    """EMG-03: reported to the purchaser, phase order enforced (409), the engineer may not
    approve (403), the purchaser approves, eradication follows."""
    incident = _incident(ca)
    url = f"/api/emergency/incidents/{incident['id']}/"
    engineer, purchaser = api(ca.people["engineer"]), api(ca.people["purchaser"])
    assert engineer.post(url + "advance/", {"to": "containment", "notes": "x"},
                         format="json").status_code == 409
    assert engineer.post(url + "advance/", {"to": "assessment", "notes": "准备",
                                            "version": incident["version"]},
                         format="json").status_code == 200
    assert engineer.post(url + "advance/", {"to": "containment", "notes": "影响分析"},
                         format="json").status_code == 200
    assert engineer.post(url + "advance/", {"to": "eradication", "notes": "隔离"},
                         format="json").status_code == 409
    assert engineer.post(url + "disposal-plan/", {"disposal_plan": "清除"},
                         format="json").status_code == 200
    assert engineer.post(url + "decide/", {"approve": True}, format="json").status_code == 403
    answer = purchaser.post(url + "decide/", {"approve": True}, format="json")
    assert answer.status_code == 200 and answer.json()["plan_status"] == "approved"
    answer = engineer.post(url + "advance/", {"to": "eradication", "notes": "隔离"},
                           format="json")
    assert answer.status_code == 200 and answer.json()["phase"] == "eradication"


def test_plt01_api_engineer_of_another_contract_sees_nothing(ca: Setup) -> None:
    """PLT-01: lists are empty, records 404, writes on the contract refused."""
    incident = _incident(ca)
    other = UserFactory(username="api-other", organisation=ca.people["outsider"].organisation,
                        role=Role.VENDOR_ENGINEER)
    client = api(other)
    for path in ("plans", "drills", "drill-rules", "incidents", "periods"):
        answer = client.get(f"/api/emergency/{path}/")
        assert answer.status_code == 200 and answer.json()["count"] == 0, path
    assert client.get(f"/api/emergency/incidents/{incident['id']}/").status_code == 404
    drill = Drill.objects.filter(contract=ca.contract).first()
    assert drill is not None
    assert client.post(f"/api/emergency/drills/{drill.pk}/record/", {"scenario": "x"},
                       format="json").status_code == 404
    assert client.post("/api/emergency/incidents/", {
        "contract": ca.contract.number, "title": "x", "description": "x",
        "discovered_at": "2025-06-01T09:00:00+08:00",
        "reported_to": ca.people["purchaser"].username}, format="json").status_code == 404


def test_emg02_drills_and_record_through_the_api(ca: Setup) -> None:
    """EMG-02: the rules and drills are listed; a drill is recorded held."""
    engineer = ca.people["engineer"]
    client = api(engineer)
    rules = client.get("/api/emergency/drill-rules/").json()
    assert sorted((r["code"], r["count"]) for r in rules["results"]) == [
        ("important-systems", 2), ("other-systems", 1)]
    drills = client.get("/api/emergency/drills/", {"system": "劳动保障管理"}).json()
    assert drills["count"] == 2
    pk = drills["results"][0]["id"]
    answer = client.post(f"/api/emergency/drills/{pk}/record/", {
        "scenario": "主库宕机", "script": "切换", "training": "培训", "record": "30 分钟恢复",
        "summary": "达标", "participants": [engineer.username],
        "held_at": "2025-05-10T10:00:00+08:00", "complete": True}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == "held"
    assert api(ca.people["purchaser"]).post(f"/api/emergency/drills/{pk}/record/",
                                            {"scenario": "x"}, format="json").status_code == 403


@pytest.mark.parametrize("person", ["purchaser", "manager"])
def test_emg01_04_plans_and_periods_through_the_api(ca: Setup, person: str) -> None:
    """EMG-01: the manager writes plans (the purchaser may not); EMG-04: both record a
    period and its duty."""
    client = api(ca.people[person])
    answer = client.post("/api/emergency/plans/", {"contract": ca.contract.number,
                                                   "title": "预案", "system": "sys-oa"},
                         format="json")
    if person == "purchaser":
        assert answer.status_code == 403
    else:
        assert answer.status_code == 201, answer.json()
        plan = answer.json()["id"]
        version = client.post(f"/api/emergency/plans/{plan}/versions/",
                              {"disposal": "切换"}, format="json")
        assert version.status_code == 201 and version.json()["number"] == 1
        assert client.get(f"/api/emergency/plans/{plan}/versions/").json()[0]["number"] == 1
    answer = client.post("/api/emergency/periods/", {
        "contract": ca.contract.number, "name": "国庆保障", "kind": "holiday",
        "starts_on": "2025-10-01", "ends_on": "2025-10-07"}, format="json")
    assert answer.status_code == 201, answer.json()
    period = answer.json()["id"]
    answer = client.post(f"/api/emergency/periods/{period}/duties/", {
        "user": ca.people["engineer"].username, "day": "2025-10-02", "shift": "白班"},
        format="json")
    assert answer.status_code == 201 and answer.json()["duties"][0]["user"] == "ca-engineer"
    bad = client.post(f"/api/emergency/periods/{period}/duties/", {
        "user": ca.people["engineer"].username, "day": "2025-11-02"}, format="json")
    assert bad.status_code == 400 and "day" in str(bad.json())


def test_openapi_schema_has_the_endpoints_and_no_warnings_for_them(db: None) -> None:
    """The emergency endpoints are in the OpenAPI schema, generated without a warning or an
    error from any of its views or serializers (unique component and enum names)."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    ours = [message for message in [*GENERATOR_STATS._warn_cache,
                                    *GENERATOR_STATS._error_cache]
            if "emergency" in message or "Drill" in message or "Incident" in message]
    assert ours == []
    for path in ["/api/emergency/plans/", "/api/emergency/plans/{id}/versions/",
                 "/api/emergency/plans/{id}/review/", "/api/emergency/drill-rules/",
                 "/api/emergency/drills/", "/api/emergency/drills/{id}/record/",
                 "/api/emergency/drills/{id}/photos/", "/api/emergency/incidents/",
                 "/api/emergency/incidents/{id}/advance/",
                 "/api/emergency/incidents/{id}/disposal-plan/",
                 "/api/emergency/incidents/{id}/decide/", "/api/emergency/incidents/{id}/report/",
                 "/api/emergency/periods/", "/api/emergency/periods/{id}/duties/",
                 "/api/emergency/periods/{id}/reports/"]:
        assert path in schema["paths"], path
    assert "post" in schema["paths"]["/api/emergency/plans/{id}/versions/"]
