"""Events reach exactly their rule's recipients, once (TKT-01, SLA-10, STF-04, PLT-01)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from weibao.contracts.spec.exporter import export_data
from weibao.contracts.spec.importer import import_text
from weibao.contracts.spec.loader import dump_yaml, load_yaml
from weibao.notifications import events
from weibao.notifications.models import Notification, RecipientRule
from weibao.notifications.services import fan_out
from weibao.notifications.sources import certificates_sweep, sla_alerts_sweep
from weibao.staff.models import Certificate, DutyShift, Member
from weibao.testing.examples import EXAMPLES, Setup
from weibao.testing.factories import UserFactory
from weibao.tickets import services as tickets
from weibao.tickets.models import TicketType

pytestmark = pytest.mark.django_db


def _report(s: Setup, captured: Any, **extra: Any) -> Any:
    now = timezone.now()
    with captured(execute=True):
        return tickets.create_ticket(tickets.TicketInput(
            contract=s.contract, ticket_type=TicketType.objects.get(contract=s.contract,
                                                                    code="fault"),
            title="CA 证书签发失败", scope="small", reported_at=now, **extra),
            actor=s.people["purchaser"], now=now)


def _told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username",
                                                                    flat=True))


def test_tkt01_stf04_a_report_reaches_the_managers_and_who_is_on_duty_once(
        ca: Setup, django_capture_on_commit_callbacks: Any) -> None:
    now = timezone.now()
    DutyShift.objects.create(contract=ca.contract, user=ca.people["engineer"],
                             starts_at=now - datetime.timedelta(hours=1),
                             ends_at=now + datetime.timedelta(hours=1))
    ticket = _report(ca, django_capture_on_commit_callbacks)
    assert _told("ticket.reported") == {"n-manager", "n-engineer"}
    row = Notification.objects.get(kind="ticket.reported", recipient=ca.people["manager"])
    assert ticket.number in row.subject and row.link == f"/tickets/{ticket.pk}/"
    assert row.contract_id == ca.contract.pk and row.read_at is None
    # The same event again (a retried task): nobody is told twice.
    event = events.build("ticket.reported", key=f"ticket-{ticket.pk}", contract=ca.contract,
                         subject="again")
    fan_out([event])
    assert Notification.objects.filter(kind="ticket.reported").count() == 2


def test_an_event_raised_in_a_rolled_back_transaction_tells_no_one(
        ca: Setup, django_capture_on_commit_callbacks: Any) -> None:
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                events.publish("ticket.reported", key="rolled-back", contract=ca.contract,
                               subject="x")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and not Notification.objects.exists()


def test_tkt05_assigned_engineer_hears_of_the_assignment(
        ca: Setup, django_capture_on_commit_callbacks: Any) -> None:
    ticket = _report(ca, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        tickets.assign(ticket, ca.people["engineer"], ca.people["manager"])
    assert _told("ticket.assigned") == {"n-engineer"}


def test_tkt03_escalation_by_the_purchaser_is_urgent(
        ca: Setup, django_capture_on_commit_callbacks: Any) -> None:
    ticket = _report(ca, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        tickets.raise_priority(ticket, ca.people["purchaser"], "领导关注")
    row = Notification.objects.get(kind="ticket.escalated", recipient=ca.people["manager"])
    assert row.urgent and row.body == "领导关注"


def test_plt01_nobody_is_told_about_a_contract_they_cannot_see(
        ca: Setup, django_capture_on_commit_callbacks: Any) -> None:
    """A rule naming an outsider (by user name and by organisation) tells them nothing."""
    outsider = ca.people["outsider"]
    RecipientRule.objects.create(contract=ca.contract, position=1, events=["*"],
                                 users=[outsider.username],
                                 organisations=[outsider.organisation.code],
                                 roles=["vendor_manager"])
    _report(ca, django_capture_on_commit_callbacks)
    assert _told("ticket.reported") == {"n-manager"}
    assert not Notification.objects.filter(recipient=outsider).exists()


def _spec_with_rules(rules: list[dict[str, Any]]) -> str:
    data = load_yaml((EXAMPLES / "002-shanghai-hrss-ca-integration.yaml").read_text("utf-8"))
    data["notifications"] = {"rules": rules}
    return dump_yaml(data)


def test_spec_rules_replace_the_defaults_and_round_trip(
        ca: Setup, django_capture_on_commit_callbacks: Any) -> None:
    rules = [{"events": ["ticket.reported"], "parties": ["purchaser"]},
             {"events": ["sla.warning", "sla.breach"], "people": ["assignee", "on_duty"],
              "roles": ["vendor_manager", "supervisor"]}]
    import_text(_spec_with_rules(rules))
    assert RecipientRule.objects.filter(contract=ca.contract).count() == 2
    _report(ca, django_capture_on_commit_callbacks)
    assert _told("ticket.reported") == {"n-purchaser"}
    assert export_data(ca.contract)["notifications"]["rules"] == rules


def test_spec_names_an_unknown_event_and_an_empty_rule(ca: Setup) -> None:
    from django.utils import translation

    from weibao.contracts.spec.errors import SpecInvalid

    with pytest.raises(SpecInvalid) as raised, translation.override("en"):
        import_text(_spec_with_rules([{"events": ["ticket.exploded"], "roles": ["supervisor"]},
                                      {"events": ["sla.breach"]}]))
    paths = {error.path for error in raised.value.errors}
    assert {"notifications.rules[0].events[0]", "notifications.rules[1]"} <= paths


def test_sla10_warnings_and_breaches_reach_assignee_and_managers_once(
        ca: Setup, django_capture_on_commit_callbacks: Any) -> None:
    ticket = _report(ca, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        tickets.assign(ticket, ca.people["engineer"], ca.people["manager"])
    reported = ticket.reported_at
    tickets.scan_alerts(reported + datetime.timedelta(minutes=12))  # level III: warn at 11:15
    first = sla_alerts_sweep(deliver=False)
    assert first.notifications == 2
    assert _told("sla.warning") == {"n-engineer", "n-manager"}
    tickets.scan_alerts(reported + datetime.timedelta(minutes=20))
    sla_alerts_sweep(deliver=False)
    sla_alerts_sweep(deliver=False)  # a second sweep finds nothing new
    assert _told("sla.breach") == {"n-engineer", "n-manager"}
    assert Notification.objects.filter(kind__startswith="sla.").count() == 4


def test_stf02_expiring_certificate_reaches_the_vendor_managers(ca: Setup) -> None:
    today = timezone.localdate()
    member = Member.objects.create(contract=ca.contract, name="王伟", user=ca.people["engineer"],
                                   starts_on=today - datetime.timedelta(days=100))
    Certificate.objects.create(member=member, name="CISP",
                               expires_on=today + datetime.timedelta(days=10))
    Certificate.objects.create(member=member, name="PMP",
                               expires_on=today + datetime.timedelta(days=100))
    certificates_sweep(today, deliver=False)
    certificates_sweep(today, deliver=False)
    rows = Notification.objects.filter(kind="staff.certificates_expiring")
    assert {r.recipient.username for r in rows} == {"n-manager", "n-engineer"}
    assert all("王伟" in r.subject for r in rows)


def test_emg03_incident_reaches_the_purchaser_it_was_reported_to(
        ca: Setup, django_capture_on_commit_callbacks: Any) -> None:
    from weibao.emergency.services.incidents import report_incident, submit_disposal_plan

    other_purchaser = UserFactory(username="n-purchaser2",
                                  organisation=ca.people["purchaser"].organisation,
                                  role="purchaser_staff")
    with django_capture_on_commit_callbacks(execute=True):
        incident = report_incident(ca.contract, ca.people["engineer"], title="网页篡改",
                                   description="首页被篡改",
                                   discovered_at=timezone.now() - datetime.timedelta(minutes=5),
                                   reported_to=ca.people["purchaser"])
    assert _told("emergency.incident_reported") == {"n-purchaser", "n-manager"}
    assert Notification.objects.get(kind="emergency.incident_reported",
                                    recipient=ca.people["purchaser"]).urgent
    with django_capture_on_commit_callbacks(execute=True):
        submit_disposal_plan(incident, ca.people["engineer"], "隔离服务器，恢复备份")
    assert _told("emergency.disposal_plan_submitted") == {"n-purchaser", "n-purchaser2"}
    assert other_purchaser.notifications.count() == 1


def test_an_unregistered_event_is_refused() -> None:
    with pytest.raises(KeyError):
        events.build("nothing.here", key="1", contract=None, subject="x")
