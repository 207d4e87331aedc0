"""Channels against real loopback endpoints: SMTP (aiosmtpd), the WeCom and DingTalk robots
and signed webhooks; retries, back-off, the dead letter, the rate limit, and a retried task
that never sends twice (SLA-10, TKT-01)."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from weibao.notifications import events
from weibao.notifications.choices import ChannelKind, DeliveryStatus
from weibao.notifications.delivery import backoff, deliver, release_stale_leases
from weibao.notifications.models import Delivery
from weibao.notifications.services import fan_out, save_preferences
from weibao.notifications.tests.conftest import DINGTALK_SECRET, WEBHOOK_SECRET, Robot
from weibao.notifications.tests.helpers import channel
from weibao.testing.examples import Setup

pytestmark = pytest.mark.django_db


def _event(s: Setup, key: str = "1", kind: str = "sla.warning", **extra: Any) -> events.Event:
    return events.build(kind, key=key, contract=s.contract,
                        subject="SLA 预警：工单 001 响应即将超时", body="CA 证书签发失败",
                        link="/tickets/1/", **extra)


def _send_all(result: Any) -> list[str]:
    return [deliver(pk) for pk in result.due]


def test_email_goes_through_a_real_smtp_server(ca: Setup, smtp: Any) -> None:
    ca.people["manager"].email = "manager@vendor.example"
    ca.people["manager"].save()
    result = fan_out([_event(ca)])
    assert _send_all(result) == [DeliveryStatus.SENT]
    (to, message), = smtp.messages
    assert to == ["manager@vendor.example"]
    assert message["Subject"] == "SLA 预警：工单 001 响应即将超时"
    assert "CA 证书签发失败" in message.get_content()
    row = Delivery.objects.get()
    assert row.status == DeliveryStatus.SENT and row.attempts == 1 and row.sent_at


def test_a_person_who_turned_email_off_gets_none(ca: Setup, smtp: Any) -> None:
    ca.people["manager"].email = "manager@vendor.example"
    ca.people["manager"].save()
    save_preferences(ca.people["manager"], channels={"sla.warning": []}, quiet_start=None,
                     quiet_end=None)
    result = fan_out([_event(ca)])
    assert result.due == [] and smtp.messages == []
    assert result.notifications == 1  # the centre still receives


def test_wecom_robot_gets_markdown(ca: Setup, robot: Robot) -> None:
    channel(ca.contract, ChannelKind.WECOM,
            robot.path("cgi-bin/webhook/send?key=wecom-key"))
    assert _send_all(fan_out([_event(ca)])) == [DeliveryStatus.SENT]
    (entry,) = robot.received
    assert entry["body"]["msgtype"] == "markdown"
    assert "**SLA 预警：工单 001 响应即将超时**" in entry["body"]["markdown"]["content"]
    assert entry["content_type"].startswith("application/json")


def test_dingtalk_robot_checks_the_signature(ca: Setup, robot: Robot) -> None:
    good = channel(ca.contract, ChannelKind.DINGTALK,
                   robot.path("robot/send?access_token=ding-token"), secret=DINGTALK_SECRET)
    assert _send_all(fan_out([_event(ca)])) == [DeliveryStatus.SENT]
    assert robot.received[0]["body"]["markdown"]["title"] == "SLA 预警：工单 001 响应即将超时"
    # A wrong secret: the robot answers errcode 310000, the delivery fails and is retried.
    good.active = False
    good.save()
    channel(ca.contract, ChannelKind.DINGTALK, robot.path("robot/send?access_token=ding-token"),
            secret="wrong")
    assert _send_all(fan_out([_event(ca, key="2")])) == [DeliveryStatus.FAILED]
    row = Delivery.objects.get(status=DeliveryStatus.FAILED)
    assert "310000" in row.last_error and "wrong" not in row.last_error


def test_webhook_is_signed(ca: Setup, robot: Robot) -> None:
    channel(ca.contract, ChannelKind.WEBHOOK, robot.path("hook"), secret=WEBHOOK_SECRET)
    assert _send_all(fan_out([_event(ca)])) == [DeliveryStatus.SENT]
    body = robot.received[0]["body"]
    assert body["event"] == "sla.warning" and body["contract"] == ca.contract.pk
    channel(ca.contract, ChannelKind.WEBHOOK, robot.path("hook"), secret="not-the-secret",
            events=["ticket.reported"])
    assert _send_all(fan_out([_event(ca, key="2", kind="ticket.reported")])) == [
        DeliveryStatus.SENT, DeliveryStatus.FAILED]
    assert Delivery.objects.get(status=DeliveryStatus.FAILED).last_error == "HTTP 401"


def test_sms_gateway_gets_the_phone_of_who_chose_sms(ca: Setup, robot: Robot) -> None:
    manager = ca.people["manager"]
    manager.phone = "13800001111"
    manager.save()
    save_preferences(manager, channels={"*": ["sms"]}, quiet_start=None, quiet_end=None)
    channel(ca.contract, ChannelKind.SMS, robot.path("sms"), secret=WEBHOOK_SECRET)
    assert _send_all(fan_out([_event(ca)])) == [DeliveryStatus.SENT]
    (entry,) = robot.received
    assert entry["body"]["phone"] == "13800001111"


def test_a_failing_channel_is_retried_with_back_off_then_dead_lettered(
        ca: Setup, robot: Robot, settings: Any) -> None:
    settings.WEIBAO_NOTIFY_MAX_ATTEMPTS = 3
    channel(ca.contract, ChannelKind.WECOM, robot.path("cgi-bin/webhook/send?key=wecom-key"))
    robot.fail_with = 500
    (pk,) = fan_out([_event(ca)]).due
    now = timezone.now()
    assert deliver(pk, now) == DeliveryStatus.FAILED
    row = Delivery.objects.get(pk=pk)
    assert row.attempts == 1 and row.last_error == "HTTP 500"
    assert row.next_attempt_at - now >= backoff(1) - datetime.timedelta(seconds=5)
    assert deliver(pk, now) == DeliveryStatus.FAILED  # not due yet: nothing sent
    assert Delivery.objects.get(pk=pk).attempts == 1
    assert deliver(pk, now + datetime.timedelta(minutes=2)) == DeliveryStatus.FAILED
    assert deliver(pk, now + datetime.timedelta(minutes=10)) == DeliveryStatus.DEAD
    assert Delivery.objects.get(pk=pk).attempts == 3
    assert deliver(pk, now + datetime.timedelta(hours=1)) == DeliveryStatus.DEAD
    assert robot.received == []
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


def test_a_retried_task_never_sends_twice(ca: Setup, robot: Robot) -> None:
    channel(ca.contract, ChannelKind.WECOM, robot.path("cgi-bin/webhook/send?key=wecom-key"))
    (pk,) = fan_out([_event(ca)]).due
    assert deliver(pk) == DeliveryStatus.SENT
    assert deliver(pk) == DeliveryStatus.SENT  # the task ran again
    fan_out([_event(ca)])  # the event fanned out again
    assert len(robot.received) == 1 and Delivery.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_once(robot: Robot) -> None:
    from weibao.testing.calendars import ensure_national_calendars
    from weibao.testing.examples import example_setup

    ensure_national_calendars()
    s = example_setup("002-shanghai-hrss-ca-integration.yaml", "w")
    channel(s.contract, ChannelKind.WECOM, robot.path("cgi-bin/webhook/send?key=wecom-key"))
    (pk,) = fan_out([_event(s)]).due
    results: list[str] = []
    barrier = threading.Barrier(4)

    def work() -> None:
        from django.db import OperationalError

        barrier.wait()
        try:
            results.append(deliver(pk))
        except OperationalError:  # SQLite's test database: a loser may find the table locked
            results.append("locked")
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(robot.received) == 1
    assert Delivery.objects.get(pk=pk).attempts == 1


def test_rate_limit_holds_the_rest_to_the_next_minute(ca: Setup, robot: Robot) -> None:
    channel(ca.contract, ChannelKind.WECOM, robot.path("cgi-bin/webhook/send?key=wecom-key"),
            rate_per_minute=2)
    result = fan_out([_event(ca, key=str(n)) for n in range(4)])
    now = timezone.now()
    assert [deliver(pk, now) for pk in result.due] == ["sent", "sent", "deferred", "deferred"]
    held = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    assert held.count() == 2 and all(d.next_attempt_at > now for d in held)
    assert len(robot.received) == 2


def test_a_worker_that_stopped_while_sending_is_retried(ca: Setup, robot: Robot) -> None:
    channel(ca.contract, ChannelKind.WECOM, robot.path("cgi-bin/webhook/send?key=wecom-key"))
    (pk,) = fan_out([_event(ca)]).due
    Delivery.objects.filter(pk=pk).update(status=DeliveryStatus.SENDING, attempts=1,
                                          lease_until=timezone.now())
    assert release_stale_leases(timezone.now() + datetime.timedelta(seconds=1)) == 1
    assert deliver(pk, timezone.now() + datetime.timedelta(seconds=2)) == DeliveryStatus.SENT


def test_quiet_hours_hold_email_but_not_a_level_one_fault(ca: Setup, smtp: Any) -> None:
    manager = ca.people["manager"]
    manager.email = "m@vendor.example"
    manager.save()
    local = timezone.localtime()
    start = (local - datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (local + datetime.timedelta(hours=2)).time().replace(second=0, microsecond=0)
    save_preferences(manager, channels={}, quiet_start=start, quiet_end=end)
    result = fan_out([_event(ca, key="quiet"), _event(ca, key="urgent", urgent=True)])
    assert len(result.due) == 1  # the urgent one
    held = Delivery.objects.get(key__contains="quiet")
    assert held.next_attempt_at > timezone.now() + datetime.timedelta(hours=1)
    assert _send_all(result) == ["sent"] and len(smtp.messages) == 1


def test_a_daily_digest_replaces_the_emails_but_not_an_urgent_one(ca: Setup, smtp: Any) -> None:
    from weibao.notifications.sources import digests_sweep

    manager = ca.people["manager"]
    manager.email = "m@vendor.example"
    manager.save()
    save_preferences(manager, channels={}, quiet_start=None, quiet_end=None, digest_hour=8)
    result = fan_out([_event(ca, key="d1"), _event(ca, key="d2"),
                      _event(ca, key="d3", urgent=True)])
    assert _send_all(result) == ["sent"] and len(smtp.messages) == 1  # the urgent one
    eight = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    later = eight + datetime.timedelta(days=1)
    assert digests_sweep(later - datetime.timedelta(hours=1), deliver=False) == 0
    assert digests_sweep(later, deliver=False) == 1
    assert digests_sweep(later + datetime.timedelta(minutes=5), deliver=False) == 0
    digest = Delivery.objects.get(event_kind="digest")
    assert deliver(digest.pk, later) == "sent"
    (_to, message) = smtp.messages[-1]
    assert "2" in message["Subject"]
    assert message.get_content().count("SLA 预警：工单 001 响应即将超时") == 2


def test_wecom_application_message_to_the_recipients_with_a_cached_token(
        ca: Setup, robot: Robot) -> None:
    from weibao.notifications.tests.conftest import APP_SECRET

    channel(ca.contract, ChannelKind.WECOM_APP,
            robot.path("?corpid=ww-corp&agentid=1000002"), secret=APP_SECRET)
    result = fan_out([_event(ca, key="a1", people={"assignee": [ca.people["engineer"].pk]}),
                      _event(ca, key="a2")])
    assert _send_all(result) == ["sent", "sent"]
    first, _second = robot.received
    assert set(first["body"]["touser"].split("|")) == {"n-engineer", "n-manager"}
    assert first["body"]["textcard"]["title"] == "SLA 预警：工单 001 响应即将超时"
    assert robot.tokens == 1  # the token is fetched once and cached
    # A wrong application secret: gettoken refuses, the delivery fails without the secret.
    channel(ca.contract, ChannelKind.WECOM_APP, robot.path("?corpid=ww-corp&agentid=1000002"),
            secret="wrong")
    statuses = _send_all(fan_out([_event(ca, key="a3")]))
    assert sorted(statuses) == ["failed", "sent"]
    failed = Delivery.objects.get(status=DeliveryStatus.FAILED)
    assert "40001" in failed.last_error and "wrong" not in failed.last_error
