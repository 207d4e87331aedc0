"""The model's own guarantees (PM-02): a signed sheet version is never changed or deleted."""

from __future__ import annotations

import pytest

from weibao.maintenance.models import SheetImmutable, Visit, VisitSheet
from weibao.maintenance.tests.conftest import Setup, at, make_plan


def test_sheet_versions_cannot_be_changed_or_deleted(outlets: Setup) -> None:
    """PM-02: once stored, a sheet version is immutable; corrections are new versions."""
    plan = make_plan(outlets.contract, site_types=[outlets.site_type("sbk-outlet")])
    visit = Visit.objects.create(contract=outlets.contract, plan=plan, key="k",
                                 window_start=at("2025-10-01 00:00"),
                                 window_end=at("2025-11-01 00:00"))
    sheet = VisitSheet.objects.create(visit=visit, version=1, pdf="x.pdf", digest="00")
    sheet.digest = "11"
    with pytest.raises(SheetImmutable):
        sheet.save()
    with pytest.raises(SheetImmutable):
        sheet.delete()
    assert VisitSheet.objects.get(pk=sheet.pk).digest == "00"
