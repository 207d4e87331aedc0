"""Home page and health check."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from weibao.contracts.selectors import payments_due, visible_contracts
from weibao.core.models import WorkerHeartbeat

__all__ = ["healthz", "home"]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's contracts with period progress, and the payments coming due."""
    today = timezone.localdate()
    contracts = list(
        visible_contracts(request.user)
        .prefetch_related("parties__organisation")
        .annotate(document_count=Count("documents", distinct=True))
        .order_by("-end_date", "number")
    )
    rows = [(c, c.period_progress(today)) for c in contracts]
    return render(request, "core/home.html", {
        "rows": rows,
        "payments": payments_due(request.user),
        "today": today,
    })


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
