"""AST-03: the device archive and the public ``record_asset_event`` service."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.assets.choices import EventKind
from weibao.assets.models import Asset
from weibao.assets.services import bulk_update_assets, record_asset_event, update_asset
from weibao.assets.tests.helpers import make_setup


def test_ast03_record_event_with_source(world):
    setup = make_setup(world.a)
    asset = setup.asset("PC")
    when = timezone.now() - datetime.timedelta(days=1)
    event = record_asset_event(asset, EventKind.REPAIR, when, world.users["engineer"],
                               "更换电源", {"part": "PSU"}, source_kind="ticket",
                               source_id=42)
    assert (event.kind, event.source_kind, event.source_id, event.details) == (
        "repair", "ticket", "42", {"part": "PSU"})
    assert event.contract_id == world.a.pk and event.actor == world.users["engineer"]


def test_ast03_bad_event_is_refused():
    with pytest.raises(ValidationError) as exc:
        record_asset_event(Asset(), "explosion", timezone.now(), None, " ")
    assert set(exc.value.message_dict) == {"kind", "summary"}


def test_ast03_create_update_and_move_append_entries(world):
    setup = make_setup(world.a)
    manager = world.users["manager"]
    asset = setup.asset("PC", actor=manager, installed_on=datetime.date(2024, 5, 1))
    assert [e.kind for e in asset.events.all()] == ["installation"]
    update_asset(asset, {"brand": "联想"}, manager)
    update_asset(asset, {"site": setup.site2}, manager)
    update_asset(asset, {"brand": "联想"}, manager)  # no change, no entry
    kinds = list(asset.events.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["installation", "note", "relocation"]
    note = asset.events.get(kind="note")
    assert note.details == {"changes": {"brand": ["", "联想"]}}


def test_ast02_bulk_edit_sets_status_and_site(world):
    setup = make_setup(world.a)
    a, b = setup.asset("A"), setup.asset("B")
    count = bulk_update_assets(Asset.objects.filter(pk__in=[a.pk, b.pk]), None,
                               status="spare", site=None, set_site=True)
    assert count == 2
    assert set(Asset.objects.values_list("status", "site")) == {("spare", None)}
    with pytest.raises(ValidationError):
        bulk_update_assets(Asset.objects.all(), None)
