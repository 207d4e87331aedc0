"""Routes of the tickets API: the viewset on the project's router, and one endpoint per
lifecycle step, ``POST /api/tickets/{id}/<step>`` (with or without a trailing slash)."""

from __future__ import annotations

from django.urls import URLPattern, re_path
from rest_framework.routers import BaseRouter

from weibao.tickets.api.alerts import SlaAlertViewSet
from weibao.tickets.api.views import TRANSITION_ACTIONS, TicketViewSet
from weibao.tickets.api.work import ArticleViewSet
from weibao.tickets.api.work import urlpatterns as work_urlpatterns

__all__ = ["register_routes", "urlpatterns"]


def register_routes(router: BaseRouter) -> None:
    router.register("tickets", TicketViewSet, basename="ticket")
    router.register("articles", ArticleViewSet, basename="article")
    router.register("sla-alerts", SlaAlertViewSet, basename="sla-alert")


_steps = "|".join(TRANSITION_ACTIONS)
urlpatterns: list[URLPattern] = [
    re_path(rf"^tickets/(?P<pk>\d+)/(?P<step>{_steps})/?$",
            TicketViewSet.as_view({"post": "step"}), name="ticket-step"),
    *work_urlpatterns,
]
