"""AST-08 verification of a site's assets; AST-09 relocation labels and registration list."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from weibao.assets.models import Relocation
from weibao.assets.services import VerificationLine, district_label, relocate_asset, verify_site
from weibao.assets.tests.helpers import make_setup
from weibao.sites.models import District

D = datetime.date


def test_ast08_verification_records_results_and_lists_missing(world):
    setup = make_setup(world.a)
    a, b, c = setup.asset("PC"), setup.asset("打印机"), setup.asset("读卡机")
    engineer = world.users["engineer"]
    report = verify_site(setup.site1, [
        VerificationLine(a, "present"), VerificationLine(b, "missing"),
        VerificationLine(c, "mismatch", "序列号不符")], engineer, source_kind="visit",
        source_id="7")
    assert [x.pk for x in report.missing] == [b.pk]
    assert report.mismatched[0][1] == "序列号不符"
    for asset in (a, b, c):
        asset.refresh_from_db()
        assert asset.last_verified_at == report.verified_at
        event = asset.events.get(kind="verification")
        assert event.source_kind == "visit" and event.actor == engineer
    assert b.status == "missing"
    verify_site(setup.site1, [VerificationLine(b, "present")], engineer)
    b.refresh_from_db()
    assert b.status == "in_service"


def test_ast08_verification_refuses_foreign_assets_and_silent_mismatch(world):
    setup = make_setup(world.a)
    elsewhere = setup.asset("PC", site=setup.site2)
    here = setup.asset("PC2")
    with pytest.raises(ValidationError):
        verify_site(setup.site1, [VerificationLine(elsewhere, "present")], None)
    with pytest.raises(ValidationError):
        verify_site(setup.site1, [VerificationLine(here, "mismatch")], None)


def test_ast09_district_label():
    assert district_label(District(name="闵行区")) == "闵行"
    assert district_label(District(name="浦东新区")) == "浦东"
    assert district_label(District(name="崇明")) == "崇明"
    assert district_label(None) == ""


def test_ast09_relocation_labels_run_per_district(world):
    setup = make_setup(world.a)
    manager = world.users["manager"]
    labels = []
    for i in range(3):
        asset = setup.asset(f"PC{i}")
        labels.append(relocate_asset(asset, manager, relocated_on=D(2025, 3, i + 1),
                                     destination="天山路仓库").label)
    labels.append(relocate_asset(setup.asset("PC-p", site=setup.site2), manager,
                                 relocated_on=D(2025, 3, 9), to_site=setup.site1).label)
    assert labels == ["闵行设备1", "闵行设备2", "闵行设备3", "浦东设备1"]
    moved = Relocation.objects.get(label="闵行设备1").asset
    assert moved.site is None and moved.location == "天山路仓库" and moved.status == "relocated"
    assert moved.events.filter(kind="relocation").exists()
    onsite = Relocation.objects.get(label="浦东设备1").asset
    assert onsite.site == setup.site1 and onsite.status == "in_service"


def test_ast09_decommission_and_bad_destinations(world):
    setup = make_setup(world.a)
    asset = setup.asset("旧 PC")
    with pytest.raises(ValidationError):
        relocate_asset(asset, None, relocated_on=D(2025, 1, 1))
    with pytest.raises(ValidationError):
        relocate_asset(asset, None, relocated_on=D(2025, 1, 1), to_site=setup.site1)
    other = make_setup(world.b, prefix="b")
    with pytest.raises(ValidationError):
        relocate_asset(asset, None, relocated_on=D(2025, 1, 1), to_site=other.site1)
    relocation = relocate_asset(asset, None, relocated_on=D(2025, 1, 1), destination="报废库",
                                decommission=True, reason="老化")
    asset.refresh_from_db()
    assert asset.status == "decommissioned" and relocation.decommission
    assert asset.events.filter(kind="decommission").exists()
    with pytest.raises(ValidationError):
        relocate_asset(asset, None, relocated_on=D(2025, 1, 2), destination="x")
