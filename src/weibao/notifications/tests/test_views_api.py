"""The notification centre, preferences and delivery log pages and the API: each person sees
only their own notifications, only administrators see deliveries and channels, and a
channel's secret is never shown (PLT-01, PLT-05)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from weibao.notifications import events
from weibao.notifications.choices import ChannelKind, DeliveryStatus
from weibao.notifications.models import Channel, Delivery, Notification, Preference
from weibao.notifications.services import fan_out
from weibao.notifications.tests.conftest import DINGTALK_SECRET, Robot
from weibao.notifications.tests.helpers import admin, channel
from weibao.testing.examples import Setup

pytestmark = pytest.mark.django_db


def _notify(s: Setup, key: str, kind: str = "ticket.reported") -> None:
    fan_out([events.build(kind, key=key, contract=s.contract, subject=f"新工单 {key}",
                          link="/tickets/", people={"assignee": [s.people["engineer"].pk]})])


def _web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_tkt01_centre_lists_marks_read_and_counts_unread(ca: Setup) -> None:
    for key in ("A1", "A2", "A3"):
        _notify(ca, key)
    client = _web(ca.people["manager"])
    page = client.get(reverse("notifications:centre"))
    body = page.content.decode()
    assert page.status_code == 200 and "新工单 A1" in body and "新工单 A3" in body
    assert page.context["notifications_unread"] == 3
    first = Notification.objects.get(recipient=ca.people["manager"], event_key__endswith="A1")
    client.post(reverse("notifications:centre"), {"id": first.pk})
    first.refresh_from_db()
    assert first.read_at is not None
    assert client.get(reverse("notifications:centre") + "?unread=1").context["page"] \
        .paginator.count == 2
    response = client.post(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/tickets/"
    client.post(reverse("notifications:centre"), {"do": "all"})
    assert not Notification.objects.filter(recipient=ca.people["manager"],
                                           read_at__isnull=True).exists()


def test_plt01_nobody_reads_or_marks_another_persons_notifications(ca: Setup) -> None:
    _notify(ca, "B1")
    theirs = Notification.objects.get(recipient=ca.people["manager"])
    outsider = _web(ca.people["outsider"])
    assert "新工单 B1" not in outsider.get(reverse("notifications:centre")).content.decode()
    outsider.post(reverse("notifications:centre"), {"id": theirs.pk})
    assert outsider.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    api = _api(ca.people["outsider"])
    assert api.get("/api/notifications/").json()["count"] == 0
    assert api.get(f"/api/notifications/{theirs.pk}/").status_code == 404
    api.post("/api/notifications/read/", {"ids": [theirs.pk]}, format="json")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_page_saves_channels_and_quiet_hours(ca: Setup) -> None:
    client = _web(ca.people["engineer"])
    assert client.get(reverse("notifications:preferences")).status_code == 200
    data = {"kind__sla__warning": ["email", "sms"], "kind__ticket__reported": [],
            "quiet_start": "22:00", "quiet_end": "07:30", "quiet_non_working_days": "on"}
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    preference = Preference.objects.get(user=ca.people["engineer"])
    assert preference.channels_for("sla.warning") == ["email", "sms"]
    assert preference.channels_for("ticket.reported") == []
    assert str(preference.quiet_start) == "22:00:00" and preference.quiet_non_working_days
    bad = client.post(reverse("notifications:preferences"), {"quiet_start": "22:00"})
    assert bad.status_code == 400 and bad.context["form"].errors["quiet_end"]


def test_preferences_api(ca: Setup) -> None:
    api = _api(ca.people["purchaser"])
    assert api.get("/api/notifications/preferences/").json()["channels"] == {}
    answer = api.post("/api/notifications/preferences/",
                      {"channels": {"*": ["email"], "fault_report.submitted": ["sms"]},
                       "quiet_start": "21:00", "quiet_end": "08:00"}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["channels"]["fault_report.submitted"] == ["sms"]
    refused = api.post("/api/notifications/preferences/",
                       {"channels": {"no.such": ["email"]}}, format="json")
    assert refused.status_code == 400


def test_notifications_api_lists_counts_and_marks(ca: Setup) -> None:
    for key in ("C1", "C2"):
        _notify(ca, key)
    api = _api(ca.people["manager"])
    listed = api.get("/api/notifications/?unread=true").json()
    assert listed["count"] == 2 and listed["results"][0]["contract"] == ca.contract.number
    assert api.get("/api/notifications/unread-count/").json() == {"unread": 2}
    one = listed["results"][0]["id"]
    assert api.post("/api/notifications/read/", {"ids": [one]}, format="json").json() == {
        "marked": 1}
    assert api.post("/api/notifications/read/", {}, format="json").json() == {"marked": 1}
    assert api.get("/api/notifications/unread-count/").json() == {"unread": 0}


def test_only_administrators_see_deliveries_and_channels(ca: Setup, robot: Robot) -> None:
    for role in ("manager", "purchaser", "engineer", "supervisor"):
        user = ca.people[role]
        assert _web(user).get(reverse("notifications:deliveries")).status_code == 403
        assert _api(user).get("/api/notifications/deliveries/").status_code == 403
        assert _api(user).get("/api/notifications/channels/").status_code == 403
        assert _api(user).post("/api/notifications/channels/", {
            "name": "x", "kind": "wecom", "contract": ca.contract.number,
            "address": robot.path("x")}, format="json").status_code == 403


def test_plt05_a_channel_secret_is_never_shown(ca: Setup, robot: Robot) -> None:
    boss = admin()
    api = _api(boss)
    created = api.post("/api/notifications/channels/", {
        "name": "钉钉值班群", "kind": "dingtalk", "contract": ca.contract.number,
        "address": robot.path("robot/send?access_token=ding-token"),
        "secret": DINGTALK_SECRET, "events": ["sla.breach"]}, format="json")
    assert created.status_code == 201, created.content
    text = created.content.decode()
    assert DINGTALK_SECRET not in text and "ding-token" not in text
    assert created.json()["has_secret"] is True
    stored = Channel.objects.get()
    assert DINGTALK_SECRET not in stored.secret and "ding-token" not in stored.address
    assert stored.plain_secret() == DINGTALK_SECRET
    listed = api.get("/api/notifications/channels/").content.decode()
    assert DINGTALK_SECRET not in listed and "ding-token" not in listed
    # Changing the name keeps the secret (it is written, never read back).
    changed = api.put(f"/api/notifications/channels/{stored.pk}/", {
        "name": "钉钉群", "kind": "dingtalk", "contract": ca.contract.number},
        format="json")
    assert changed.status_code == 200, changed.content
    stored.refresh_from_db()
    assert stored.plain_secret() == DINGTALK_SECRET and stored.name == "钉钉群"
    from auditlog.models import LogEntry

    history = " ".join(str(e.changes) for e in LogEntry.objects.all())
    assert DINGTALK_SECRET not in history and "ding-token" not in history


def test_delivery_log_shows_dead_letters_and_sends_again(
        ca: Setup, robot: Robot, django_capture_on_commit_callbacks: Any) -> None:
    from weibao.notifications.delivery import deliver

    channel(ca.contract, ChannelKind.WECOM, robot.path("cgi-bin/webhook/send?key=wecom-key"))
    robot.fail_with = 503
    fan_out([events.build("sla.breach", key="D1", contract=ca.contract, subject="违约")])
    row = Delivery.objects.get()
    Delivery.objects.filter(pk=row.pk).update(attempts=4)
    assert deliver(row.pk) == DeliveryStatus.DEAD
    boss = admin()
    client = _web(boss)
    page = client.get(reverse("notifications:deliveries") + "?status=dead")
    body = page.content.decode()
    assert "违约" in body and "HTTP 503" in body and 'data-testid="retry"' in body
    assert "wecom-key" not in body
    robot.fail_with = None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:deliveries"), {"id": row.pk})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and len(robot.received) == 1
    # A sent delivery is not sent again.
    again = _api(boss).post(f"/api/notifications/deliveries/{row.pk}/retry/")
    assert again.status_code == 400


def test_the_bell_in_the_header_shows_the_unread_count(ca: Setup) -> None:
    client = _web(ca.people["manager"])
    body = client.get(reverse("notifications:preferences")).content.decode()
    assert 'data-testid="notification-bell"' in body
    assert 'data-testid="notification-unread"' not in body
    _notify(ca, "E1")
    _notify(ca, "E2")
    body = client.get(reverse("notifications:preferences")).content.decode()
    assert 'data-testid="notification-unread">2</span>' in body


def test_plt05_channel_pages_write_secrets_and_never_show_them(ca: Setup) -> None:
    for role in ("manager", "purchaser", "engineer"):
        assert _web(ca.people[role]).get(reverse("notifications:channels")).status_code == 403
    client = _web(admin())
    response = client.post(reverse("notifications:channel-new"), {
        "name": "钉钉值班群", "kind": "dingtalk", "contract": ca.contract.pk,
        "address": "https://oapi.dingtalk.com/robot/send?access_token=ding-token",
        "secret": DINGTALK_SECRET, "events": ["sla.breach"], "rate_per_minute": 20,
        "active": "on"})
    assert response.status_code == 302, response.content.decode()[:500]
    stored = Channel.objects.get()
    for url in (reverse("notifications:channels"),
                reverse("notifications:channel", args=[stored.pk])):
        body = client.get(url).content.decode()
        assert "钉钉值班群" in body and "oapi.dingtalk.com" in body
        assert DINGTALK_SECRET not in body and "ding-token" not in body
    # Edited without address and secret: both stay.
    response = client.post(reverse("notifications:channel", args=[stored.pk]), {
        "name": "钉钉群", "kind": "dingtalk", "contract": ca.contract.pk,
        "rate_per_minute": 10})
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.name == "钉钉群" and not stored.active and stored.rate_per_minute == 10
    assert stored.plain_secret() == DINGTALK_SECRET and "ding-token" in stored.plain_address()
    refused = client.post(reverse("notifications:channel-new"), {
        "name": "x", "kind": "wecom", "address": "ftp://x", "rate_per_minute": 1})
    assert refused.status_code == 400 and not Channel.objects.filter(name="x").exists()
