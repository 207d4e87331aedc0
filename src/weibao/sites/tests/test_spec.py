"""SITE-01..03: the contract spec's ``sites`` section — checks with paths, apply, dump, round
trip, idempotence, and the rule that a file without ``items`` never deletes sites."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from auditlog.models import LogEntry

from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.exporter import export_data, export_text
from weibao.contracts.spec.importer import import_spec, import_text
from weibao.contracts.spec.validate import spec_errors
from weibao.sites.models import AreaClass, District, Site, SiteType

pytestmark = pytest.mark.django_db

SITES: dict[str, Any] = {
    "area_classes": [{"code": "urban", "name": "市内"}, {"code": "suburban", "name": "郊区"}],
    "districts": [
        {"code": "huangpu", "name": "黄浦区", "area_class": "urban"},
        {"code": "pudong", "name": "浦东新区（除原南汇部分）", "area_class": "urban"},
        {"code": "pudong-nanhui", "name": "浦东新区（原南汇部分）", "area_class": "suburban"},
        {"code": "minhang", "name": "闵行区", "area_class": "suburban"},
    ],
    "site_types": [{"code": "sbk-outlet", "name": "社保卡受理网点"},
                   {"code": "rp-outlet", "name": "居住证受理网点"}],
    "items": [
        {"code": "hp-001", "name": "黄浦网点", "type": "sbk-outlet", "district": "huangpu",
         "address": "示例路1号", "contact_name": "测试联系人", "contact_phone": "13800000001"},
        {"code": "nh-001", "name": "南汇网点", "type": "rp-outlet", "district": "pudong-nanhui",
         "area_class": "urban", "status": "suspended", "notes": "临时"},
        {"code": "room", "name": "机房", "type": "sbk-outlet"},
    ],
}


def spec(sites: dict[str, Any] | None = None, number: str = "SITE-001") -> dict[str, Any]:
    data: dict[str, Any] = {
        "spec_version": 1,
        "contract": {"number": number, "title": "网点测试合同", "amount": 1000,
                     "period": {"start": "2025-01-01", "end": "2025-12-31"}},
        "parties": [
            {"role": "purchaser", "organisation": {"name": "网点甲方", "code": "site-p",
                                                   "kind": "purchaser"}},
            {"role": "vendor", "organisation": {"name": "网点乙方", "code": "site-v",
                                                "kind": "vendor"}},
        ],
    }
    if sites is not None:
        data["sites"] = copy.deepcopy(sites)
    return data


def messages(data: dict[str, Any]) -> list[str]:
    return [e.message("en") for e in spec_errors(data)]


def test_site02_apply_creates_classes_districts_types_and_sites():
    contract = import_spec(spec(SITES)).contract
    assert list(AreaClass.objects.filter(contract=contract).values_list("code", flat=True)) == [
        "urban", "suburban"]
    nanhui = District.objects.get(contract=contract, code="pudong-nanhui")
    assert nanhui.area_class.code == "suburban"
    site = Site.objects.get(contract=contract, code="nh-001")
    assert site.area_class.code == "urban"  # the override wins over the district's class
    assert site.status == "suspended" and site.notes == "临时"
    hp = Site.objects.get(contract=contract, code="hp-001")
    assert hp.area_class.code == "urban" and hp.contact_phone == "13800000001"
    assert Site.objects.get(contract=contract, code="room").district is None


def test_site01_dump_round_trips():
    contract = import_spec(spec(SITES)).contract
    assert export_data(contract)["sites"] == SITES
    text = export_text(contract)
    again = import_text(text).contract
    assert again.pk == contract.pk and export_text(again) == text


def test_site01_reimport_writes_nothing():
    import_spec(spec(SITES))
    before = LogEntry.objects.count()
    import_spec(spec(SITES))
    assert LogEntry.objects.count() == before


@pytest.mark.parametrize(("change", "expected"), [
    (lambda s: s["districts"][2].update(area_class="xyz"),
     "sites.districts[2].area_class: xyz is not an area class of this contract"),
    (lambda s: s["items"][0].update(type="nope"),
     "sites.items[0].type: nope is not a site type of this contract"),
    (lambda s: s["items"][1].update(district="pudong-south"),
     "sites.items[1].district: pudong-south is not a district of this contract"),
    (lambda s: s["items"][1].update(area_class="rural"),
     "sites.items[1].area_class: rural is not an area class of this contract"),
    (lambda s: s["districts"].append({"code": "huangpu", "name": "重复"}),
     "sites.districts[4].code: huangpu appears more than once"),
    (lambda s: s["items"].append({"code": "hp-001", "name": "重复", "type": "sbk-outlet"}),
     "sites.items[3].code: hp-001 appears more than once"),
    (lambda s: s["area_classes"].append({"code": "urban", "name": "重复"}),
     "sites.area_classes[2].code: urban appears more than once"),
    (lambda s: s["site_types"].append({"code": "rp-outlet", "name": "重复"}),
     "sites.site_types[2].code: rp-outlet appears more than once"),
])
def test_site02_bad_references_are_reported_with_their_path(change, expected):
    sites = copy.deepcopy(SITES)
    change(sites)
    assert expected in messages(spec(sites))
    with pytest.raises(SpecInvalid):
        import_spec(spec(sites))
    assert not Site.objects.exists()


def test_site01_references_resolve_against_recorded_lists_when_the_file_omits_them():
    import_spec(spec(SITES))
    only_items = {"items": [{"code": "x-1", "name": "新网点", "type": "rp-outlet",
                             "district": "minhang"}]}
    assert messages(spec(only_items)) == []
    contract = import_spec(spec(only_items)).contract
    assert list(Site.objects.filter(contract=contract).values_list("code", flat=True)) == ["x-1"]
    assert District.objects.filter(contract=contract).count() == 4


def test_site01_a_file_without_items_keeps_sites_loaded_from_excel():
    contract = import_spec(spec(SITES)).contract
    Site.objects.create(contract=contract, code="excel-1", name="Excel 网点",
                        site_type=SiteType.objects.get(contract=contract, code="sbk-outlet"))
    without_items = {k: v for k, v in SITES.items() if k != "items"}
    import_spec(spec(without_items))
    assert Site.objects.filter(contract=contract).count() == 4
    # With items, the list is complete: sites missing from it are removed.
    import_spec(spec(SITES))
    assert not Site.objects.filter(contract=contract, code="excel-1").exists()


def test_site02_removing_a_district_still_used_by_a_site_fails_clearly():
    contract = import_spec(spec(SITES)).contract
    Site.objects.create(contract=contract, code="excel-1", name="Excel 网点",
                        district=District.objects.get(contract=contract, code="minhang"),
                        site_type=SiteType.objects.get(contract=contract, code="sbk-outlet"))
    sites = {k: v for k, v in copy.deepcopy(SITES).items() if k != "items"}
    sites["districts"] = [d for d in sites["districts"] if d["code"] != "minhang"]
    with pytest.raises(SpecInvalid) as excinfo:
        import_spec(spec(sites))
    text = "; ".join(excinfo.value.messages("en"))
    assert "sites.districts: minhang cannot be removed" in text and "sites" in text
    assert District.objects.filter(contract=contract, code="minhang").exists()


def test_site02_removed_entries_are_deleted_when_unused():
    contract = import_spec(spec(SITES)).contract
    sites = copy.deepcopy(SITES)
    sites["districts"] = [d for d in sites["districts"] if d["code"] != "minhang"]
    sites["site_types"].append({"code": "machine-room", "name": "机房"})
    import_spec(spec(sites))
    assert not District.objects.filter(contract=contract, code="minhang").exists()
    assert SiteType.objects.filter(contract=contract, code="machine-room").exists()
    assert export_data(contract)["sites"] == sites


def test_site01_schema_rejects_unknown_keys_and_bad_status():
    sites = copy.deepcopy(SITES)
    sites["items"][0]["colour"] = "red"
    sites["items"][1]["status"] = "gone"
    found = messages(spec(sites))
    assert any(m.startswith("sites.items[0].colour") for m in found)
    assert any(m.startswith("sites.items[1].status") for m in found)


def test_site02_example_000_districts_and_area_classes_match_its_sla():
    """The SLA targets of seed 000 name area classes the sites section defines."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[4] / "examples/contracts/000-shanghai-sbk-outlets.yaml"
    contract = import_text(path.read_text("utf-8")).contract
    classes = {d.code: d.area_class.code for d in District.objects.filter(contract=contract)}
    urban = {"huangpu", "xuhui", "changning", "jingan", "putuo", "hongkou", "yangpu", "pudong"}
    suburban = {"minhang", "baoshan", "jiading", "songjiang", "fengxian", "jinshan", "qingpu",
                "chongming", "pudong-nanhui"}
    assert classes == {**dict.fromkeys(urban, "urban"), **dict.fromkeys(suburban, "suburban")}
    used = {t.when["area_class"] for t in contract.sla_policy.targets.all()}
    assert used == {"urban", "suburban"}
    assert set(SiteType.objects.filter(contract=contract).values_list("name", flat=True)) == {
        "社保卡受理网点", "居住证受理网点"}


def test_site03_example_001_changzhou_scope():
    from pathlib import Path

    path = Path(__file__).resolve().parents[4] / "examples/contracts/001-changzhou-hrss-onsite.yaml"
    contract = import_text(path.read_text("utf-8")).contract
    assert list(District.objects.filter(contract=contract).values_list("name", flat=True)) == [
        "常州市本级", "武进区", "金坛区", "溧阳市"]
