"""Concurrent writers of one visit, on PostgreSQL (PM-02): two submissions at once file one
sheet; a phone retrying with its key while the first request still runs gets that sheet;
two saves from the same version — one wins, the other is told the visit changed."""

from __future__ import annotations

import pytest
from django.db import connection

from weibao.maintenance.models import Visit, VisitSheet
from weibao.maintenance.services import visits as services
from weibao.maintenance.services.errors import StaleVisit, VisitConflict
from weibao.maintenance.tests.conftest import Setup
from weibao.maintenance.tests.test_visits import SIGNATURE, answer_all, jpeg, started_visit
from weibao.tickets.tests.test_concurrency import race

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks and concurrent transactions need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def national_calendars(transactional_db: None) -> None:
    """The flush of an earlier transactional test removed the seeded calendars."""
    from weibao.testing.calendars import ensure_national_calendars

    ensure_national_calendars()


def _ready(setup: Setup) -> Visit:
    visit = started_visit(setup)
    engineer = setup.people["engineer"]
    services.add_photo(visit, engineer, upload=jpeg(), item_code="cabinet")
    return services.record_results(visit, engineer, answer_all(visit))


def test_pm02_two_submissions_at_once_file_one_sheet(outlets: Setup):
    """PM-02: the engineer's double tap and the manager at once: one sheet, one conflict."""
    visit = _ready(outlets)
    people = [outlets.people["engineer"], outlets.people["manager"]]
    results = race(*[lambda p=p: services.submit_visit(visit.pk, p, signature=SIGNATURE,
                                                       signer_name="王某") for p in people])
    assert sum(isinstance(r, VisitSheet) for r in results) == 1, results
    assert sum(isinstance(r, VisitConflict) for r in results) == 1, results
    assert VisitSheet.objects.filter(visit=visit).count() == 1


def test_pm02_a_retry_racing_the_first_request_gets_its_sheet(outlets: Setup):
    """PM-02 (bad network): the same key sent twice at once gives the same sheet to both."""
    visit = _ready(outlets)
    engineer = outlets.people["engineer"]
    results = race(*[lambda: services.submit_visit(visit.pk, engineer, signature=SIGNATURE,
                                                   signer_name="王某",
                                                   idempotency_key="retry-1")] * 2)
    assert all(isinstance(r, VisitSheet) for r in results), results
    assert results[0].pk == results[1].pk
    assert VisitSheet.objects.filter(visit=visit).count() == 1


def test_pm01_two_saves_from_the_same_version_one_is_stale(outlets: Setup):
    """PM-01: two phones saving from the same version — one saves, the other is refused."""
    visit = started_visit(outlets)
    engineer, manager = outlets.people["engineer"], outlets.people["manager"]
    results = race(
        lambda: services.record_results(visit.pk, engineer, {"temp": {"value": 20}},
                                        expected_version=visit.version),
        lambda: services.record_results(visit.pk, manager, {"temp": {"value": 25}},
                                        expected_version=visit.version))
    assert sum(isinstance(r, Visit) for r in results) == 1, results
    assert sum(isinstance(r, StaleVisit) for r in results) == 1, results
