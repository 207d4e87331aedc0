"""Home page and health check."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from weibao.core import selectors
from weibao.core.models import WorkerHeartbeat

__all__ = ["healthz", "home"]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The role's home (issue 16): the purchaser's SLA attainment, open tickets, breaches,
    reports to accept and payments due; the vendor manager's due board and team load; the
    engineer's tickets by due time and today's visits; the site's open tickets; the
    supervisor's disputes. The figures come from ``weibao.core.selectors``."""
    user = request.user
    now = timezone.now()
    kind = selectors.home_kind(user)
    context: dict[str, Any] = _BUILDERS[kind](user, now)
    if kind in ("purchaser", "manager", "supervisor"):
        context["rows"] = selectors.my_contracts(user, timezone.localdate(now))
    context.update({"kind": kind, "today": timezone.localdate(now),
                    "can_report": user.has_perm("tickets.add_ticket")})
    return render(request, "core/home.html", context)


_BUILDERS: dict[str, Callable[[Any, datetime.datetime], dict[str, Any]]] = {
    "purchaser": selectors.purchaser_home,
    "manager": selectors.manager_home,
    "engineer": selectors.engineer_home,
    "site": selectors.site_home,
    "supervisor": selectors.supervisor_home,
}


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: database reachable, worker beating."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    beat = WorkerHeartbeat.objects.filter(name="worker").first()
    worker_ok = beat is not None and timezone.now() - beat.beat_at < datetime.timedelta(minutes=3)
    return JsonResponse({
        "database": "ok",
        "worker": "ok" if worker_ok else "stale",
        "worker_beat_at": beat.beat_at.isoformat() if beat else None,
    })
