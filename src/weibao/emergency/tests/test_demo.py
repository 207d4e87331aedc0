"""The emergency demo (EMG-01..04): fictitious plans, drills, incidents and major periods on
the four example contracts, through the services, idempotent; the missed drills of seed 002
are breaches in the ledger."""

from __future__ import annotations

import pytest

from weibao.assessment.choices import BreachSource
from weibao.assessment.models import Breach
from weibao.contracts.spec.importer import import_text
from weibao.emergency import demo
from weibao.emergency.choices import DisposalPlanStatus, DrillStatus, IncidentPhase
from weibao.emergency.models import Drill, EmergencyPlan, MajorPeriod, SecurityIncident
from weibao.testing.examples import EXAMPLES


@pytest.mark.django_db
def test_demo_through_the_services_and_idempotent() -> None:
    for prefix in ("000", "001", "002", "004"):
        import_text(next(EXAMPLES.glob(f"{prefix}-*.yaml")).read_text("utf-8"))
    lines: list[str] = []
    demo.load_demo(lines.append)
    assert len(lines) == 4
    assert EmergencyPlan.objects.count() == 5
    ca = demo.CONTRACTS["002"]
    statuses = sorted(Drill.objects.filter(contract__number=ca).values_list("status", flat=True))
    assert statuses.count(DrillStatus.HELD) == 6
    assert statuses.count(DrillStatus.LATE) == 1
    assert statuses.count(DrillStatus.MISSED) == 4
    # The late drill and the four missed ones were each recorded once as a breach.
    assert Breach.objects.filter(contract__number=ca, source=BreachSource.DRILL).count() == 5
    phases = dict(SecurityIncident.objects.values_list("title", "phase"))
    assert IncidentPhase.CLOSED in phases.values() and IncidentPhase.ERADICATION in phases.values()
    assert SecurityIncident.objects.filter(plan_status=DisposalPlanStatus.SUBMITTED).count() == 1
    assert MajorPeriod.objects.count() == 3
    demo.load_demo(lines.append)
    assert len(lines) == 4
    assert EmergencyPlan.objects.count() == 5
