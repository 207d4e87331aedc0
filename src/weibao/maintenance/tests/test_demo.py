"""The maintenance demo (issue 9 item 9): synthetic visits on the example contracts, made
through the services — done and signed, late, missed as breaches — deterministic and
idempotent (PM-01, PM-02, PM-03, PM-08, PM-09)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from weibao.contracts.models import Contract
from weibao.contracts.spec.importer import import_text
from weibao.maintenance import demo
from weibao.maintenance.choices import VisitStatus
from weibao.maintenance.models import EngineerArea, Visit, VisitResult, VisitSheet
from weibao.maintenance.services.visits import verify_sheet

from .conftest import EXAMPLES

pytestmark = [pytest.mark.pdf]


def _load(lines: list[str]) -> None:
    from weibao.assets.demo import load_demo as assets_demo
    from weibao.sites.demo import load_demo as sites_demo

    for prefix in ("000", "002", "004"):
        import_text(next(EXAMPLES.glob(f"{prefix}-*.yaml")).read_text("utf-8"))
    sites_demo(lines.append)
    assets_demo(lines.append)
    demo.load_demo(lines.append)


@pytest.mark.django_db
def test_demo_visits_through_the_services_and_idempotent() -> None:
    """000: three months of outlet visits, most done and signed by the outlet staff, one a
    month late and one missed — a breach at the plan's 1 % (PM-01/02/09); one abnormal result
    opened its ticket (PM-08). 002: the last day's system checks, two done, the rest missed
    without a breach (PM-03). A second run creates nothing."""
    lines: list[str] = []
    _load(lines)
    outlets = Contract.objects.get(number=demo.CONTRACTS["000"])
    visits = Visit.objects.filter(contract=outlets)
    months = demo.MONTHS
    assert visits.count() == months * demo.OUTLETS_PER_MONTH
    assert set(visits.values_list("plan__code", flat=True)) == {"sbk-monthly", "rp-monthly"}
    done = visits.filter(status=VisitStatus.DONE)
    assert done.count() == months * (demo.OUTLETS_PER_MONTH - 1)
    assert done.filter(late=True).count() == months
    missed = visits.filter(status=VisitStatus.MISSED)
    assert missed.count() == months
    # A visit done late was missed first: its breach stays recorded.
    breached = visits.exclude(breach_recorded_at=None)
    assert breached.count() == 2 * months
    assert {v.penalty_percent for v in breached} == {Decimal("1.000")}
    assert all(v.breach_recorded_at == v.window_end for v in breached)
    sheets = VisitSheet.objects.filter(visit__contract=outlets)
    assert sheets.count() == done.count()
    assert {s.signer_name for s in sheets} == {demo.SIGNER}
    assert verify_sheet(sheets.first())
    abnormal = VisitResult.objects.get(visit__contract=outlets, abnormal=True)
    assert abnormal.item_code == "card-printer" and abnormal.ticket is not None
    assert EngineerArea.objects.filter(contract=outlets).exists()

    systems = Contract.objects.get(number=demo.CONTRACTS["002"])
    checks = Visit.objects.filter(contract=systems)
    assert checks.filter(status=VisitStatus.DONE).count() == 2
    assert checks.filter(status=VisitStatus.MISSED).count() == checks.count() - 2
    assert not checks.exclude(breach_recorded_at=None).exists()
    assert set(checks.filter(plan__code="ca-twice-daily").values_list("slot", flat=True)) \
        == {"morning", "evening"}

    cloud = Contract.objects.get(number=demo.CONTRACTS["004"])
    running = cloud.start_date <= timezone.localdate() <= cloud.end_date
    arranged = Visit.objects.filter(contract=cloud, status=VisitStatus.PLANNED)
    assert arranged.count() == (2 if running else 0)

    count = Visit.objects.count()
    again: list[str] = []
    demo.load_demo(again.append)
    assert Visit.objects.count() == count
    assert sum("already has visits" in line for line in again) == (3 if running else 2)


def test_signature_is_a_deterministic_png() -> None:
    """The demo's signatures are PNGs, the same on every run (fixed random seed)."""
    png = demo.signature_png(7)
    assert png.startswith(b"\x89PNG") and png == demo.signature_png(7)
    assert png != demo.signature_png(8)
