"""UI routes of the tickets app: the ticket pages, and the pages of the work a ticket
produces (fault report, satisfaction, return visits, requirement changes, knowledge base)."""

from django.urls import URLPattern, URLResolver

from weibao.tickets.views.routes_tickets import urlpatterns as ticket_patterns
from weibao.tickets.views.routes_work import urlpatterns as work_patterns

urlpatterns: list[URLPattern | URLResolver] = [*ticket_patterns, *work_patterns]
