"""The emergency filters shared by the pages and the API: each narrows as it says, and the
contract choices offer only the user's contracts (PLT-01)."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import RequestFactory

from weibao.emergency.choices import DrillStatus, IncidentPhase, PeriodKind
from weibao.emergency.filtersets import DrillFilterSet, IncidentFilterSet, PeriodFilterSet
from weibao.emergency.models import Drill, MajorPeriod, SecurityIncident
from weibao.emergency.services.drills import close_windows
from weibao.emergency.services.incidents import advance_phase, report_incident
from weibao.emergency.services.periods import create_period
from weibao.testing.examples import Setup, at


def _request(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_drill_filters(ca: Setup, onsite: Setup) -> None:
    """EMG-02: by status, system name, rule and due dates; the contract choices are the
    user's."""
    request = _request(ca.people["manager"])
    drills = Drill.objects.all()

    def count(**data: Any) -> int:
        filterset = DrillFilterSet(data, queryset=drills, request=request)
        assert filterset.is_valid(), filterset.errors
        return int(filterset.qs.count())

    assert count() == 11
    assert count(system="劳动保障管理") == 2
    assert count(rule="important-systems") == 2
    assert count(due_before="2025-08-01") == 1  # the important system's first drill
    assert count(due_after="2025-08-02") == 10
    close_windows(at("2025-08-01 00:00"))
    assert count(status=[DrillStatus.MISSED]) == 1
    assert count(status=[DrillStatus.SCHEDULED]) == 10
    choices = DrillFilterSet({}, queryset=drills, request=request).filters["contract"].queryset
    assert list(choices) == [ca.contract]
    assert not DrillFilterSet({"contract": onsite.contract.pk}, queryset=drills,
                              request=request).is_valid()


def test_incident_and_period_filters(onsite: Setup) -> None:
    """EMG-03/04: incidents by number or title and phase; periods by kind and dates."""
    engineer, purchaser = onsite.people["engineer"], onsite.people["purchaser"]
    first = report_incident(onsite.contract, engineer, title="页面篡改", description="x",
                            discovered_at=at("2025-06-01 09:00"), reported_to=purchaser)
    report_incident(onsite.contract, engineer, title="异常登录", description="x",
                    discovered_at=at("2025-06-02 09:00"), reported_to=purchaser)
    advance_phase(first, engineer, IncidentPhase.ASSESSMENT, notes="准备")
    request = _request(purchaser)

    def incidents(**data: Any) -> list[str]:
        qs = IncidentFilterSet(data, queryset=SecurityIncident.objects.all(),
                               request=request).qs
        return sorted(qs.values_list("title", flat=True))

    assert incidents(q="篡改") == ["页面篡改"]
    assert incidents(q=first.number) == ["页面篡改"]
    assert incidents(phase=[IncidentPhase.PREPARATION]) == ["异常登录"]
    for name, kind, start in (("国庆", PeriodKind.HOLIDAY, datetime.date(2025, 10, 1)),
                              ("大会", PeriodKind.EVENT, datetime.date(2025, 11, 5))):
        create_period(onsite.contract, purchaser, name=name, kind=kind, starts_on=start,
                      ends_on=start + datetime.timedelta(days=2))

    def periods(**data: Any) -> list[str]:
        qs = PeriodFilterSet(data, queryset=MajorPeriod.objects.all(), request=request).qs
        return sorted(qs.values_list("name", flat=True))

    assert periods(kind=PeriodKind.EVENT) == ["大会"]
    assert periods(after="2025-10-04") == ["大会"]
    assert periods(before="2025-10-31") == ["国庆"]
