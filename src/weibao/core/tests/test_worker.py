"""The background worker: huey on SQLite by default, on a real Redis server when REDIS_URL is
set, and the heartbeat that /healthz reports."""

from __future__ import annotations

import datetime
import os
import uuid

import pytest
from django.utils import timezone

from weibao.core.models import WorkerHeartbeat
from weibao.core.services import record_heartbeat


@pytest.mark.django_db
def test_heartbeat_task_records_a_beat_and_healthz_reports_it(client):
    from weibao.core.tasks import heartbeat

    assert client.get("/healthz").json()["worker"] == "stale"
    heartbeat.call_local()
    body = client.get("/healthz").json()
    assert body == {"database": "ok", "worker": "ok",
                    "worker_beat_at": body["worker_beat_at"]}
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - datetime.timedelta(minutes=10))
    assert client.get("/healthz").json()["worker"] == "stale"


@pytest.mark.django_db
def test_heartbeat_is_one_row_per_worker():
    record_heartbeat("worker")
    record_heartbeat("worker")
    assert WorkerHeartbeat.objects.count() == 1


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set (CI sets it)")
def test_task_round_trip_through_a_real_redis_server():
    """Production queues live in Redis: a task enqueued there is dequeued and run."""
    from huey import RedisHuey

    huey = RedisHuey(f"weibao-test-{uuid.uuid4().hex[:8]}", url=os.environ["REDIS_URL"])
    results: list[int] = []

    @huey.task()
    def add(a: int, b: int) -> int:
        results.append(a + b)
        return a + b

    try:
        pending = add(2, 3)
        assert huey.pending_count() == 1
        task = huey.dequeue()
        assert task is not None
        huey.execute(task)
        assert results == [5]
        assert pending.get() == 5
    finally:
        huey.flush()


def test_settings_choose_redis_huey_when_redis_url_is_set(monkeypatch):
    import importlib

    import weibao.settings as settings_module

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/15")
    reloaded = importlib.reload(settings_module)
    try:
        assert reloaded.HUEY["huey_class"] == "huey.RedisHuey"
        assert reloaded.HUEY["url"] == "redis://127.0.0.1:6379/15"
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(settings_module)
