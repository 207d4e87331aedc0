"""Ticket filters, shared by the ticket list page and ``/api/tickets/`` (TKT, SLA-10)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.core.models import User
from weibao.sites.models import Site
from weibao.sla.choices import FaultScope, StageStatus
from weibao.tickets.choices import AlertKind, Channel, Priority, TicketState
from weibao.tickets.models import Article, SlaAlert, Ticket
from weibao.utils.filters import StyledFilterSet

__all__ = ["ArticleFilterSet", "SlaAlertFilterSet", "TicketFilterSet"]


class TicketFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  help_text=_("Number, title or description"))
    # On top of the list; the other filters are folded (issue 16).
    primary = ("q", "open", "contract", "assignee")
    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())
    # distinct=False: a ticket has one state; DISTINCT would sort every matching row.
    state = django_filters.MultipleChoiceFilter(label=_("state"), choices=TicketState.choices,
                                                distinct=False)
    open = django_filters.BooleanFilter(label=_("open"), method="only_open")
    fault_level = django_filters.CharFilter(label=_("fault level"), method="by_level")
    ticket_type = django_filters.CharFilter(label=_("ticket type"),
                                            field_name="ticket_type__code")
    channel = django_filters.ChoiceFilter(label=_("channel"), choices=Channel.choices)
    scope = django_filters.ChoiceFilter(label=_("scope"), choices=FaultScope.choices)
    priority = django_filters.ChoiceFilter(label=_("priority"), choices=Priority.choices)
    site = django_filters.ModelChoiceFilter(label=_("site"), queryset=Site.objects.all())
    area_class = django_filters.CharFilter(label=_("area class"), method="by_area_class")
    sla_status = django_filters.MultipleChoiceFilter(label=_("SLA status"),
                                                     choices=StageStatus.choices,
                                                     distinct=False)
    assignee = django_filters.ModelChoiceFilter(label=_("engineer"),
                                                queryset=User.objects.all())
    reported_after = django_filters.DateTimeFilter(label=_("reported from"),
                                                   field_name="reported_at", lookup_expr="gte")
    reported_before = django_filters.DateTimeFilter(label=_("reported until"),
                                                    field_name="reported_at", lookup_expr="lt")
    due_before = django_filters.DateTimeFilter(label=_("due before"), field_name="next_due_at",
                                               lookup_expr="lte")

    class Meta:
        model = Ticket
        fields = ["q", "contract", "state", "open", "fault_level", "ticket_type", "channel",
                  "scope", "priority", "site", "area_class", "sla_status", "assignee",
                  "reported_after", "reported_before", "due_before", "number"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_administrator:
            # PLT-01: the choices offer only what the user may see.
            from weibao.contracts.selectors import visible_contracts

            contracts = visible_contracts(user)
            self.filters["contract"].queryset = contracts
            self.filters["site"].queryset = Site.objects.visible_to(user)
            self.filters["assignee"].queryset = User.objects.filter(
                assigned_tickets__contract__in=contracts).distinct()

    def search(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value)
                               | Q(description__icontains=value))

    def only_open(self, queryset: QuerySet[Ticket], name: str,
                  value: bool | None) -> QuerySet[Ticket]:
        if value is None:
            return queryset
        closed = Q(state=TicketState.CLOSED)
        return queryset.exclude(closed) if value else queryset.filter(closed)

    def by_level(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return queryset.filter(Q(fault_level_override=value)
                               | Q(fault_level_override="", fault_level=value))

    def by_area_class(self, queryset: QuerySet[Ticket], name: str,
                      value: str) -> QuerySet[Ticket]:
        return queryset.filter(Q(site__area_class_override__code=value)
                               | Q(site__area_class_override__isnull=True,
                                   site__district__area_class__code=value))


class ArticleFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  help_text=_("Any words of the problem, cause or solution"))
    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())
    tag = django_filters.CharFilter(label=_("tag"), method="by_tag")

    class Meta:
        model = Article
        fields = ["q", "contract", "tag", "published"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_administrator:
            from weibao.contracts.selectors import visible_contracts

            self.filters["contract"].queryset = visible_contracts(user)

    def search(self, queryset: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        """TKT-09: every whitespace-separated term must occur; a substring match, so a
        two-character Chinese term such as 卡机 matches inside 读卡机故障."""
        for term in value.split():
            queryset = queryset.filter(search_text__icontains=term.lower())
        return queryset

    def by_tag(self, queryset: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        return queryset.filter(search_text__icontains=f"#{value.lower()}")


class SlaAlertFilterSet(StyledFilterSet):
    """SLA-10: warnings and breaches by contract, kind, stage, fault level, site and period
    (the threshold time's date, both ends included); shared by the page and
    ``/api/sla-alerts/``."""

    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=AlertKind.choices)
    stage = django_filters.CharFilter(label=_("stage"), help_text=_("Stage code, e.g. respond"))
    level = django_filters.CharFilter(label=_("fault level"), method="by_level")
    site = django_filters.ModelChoiceFilter(label=_("site"), field_name="ticket__site",
                                            queryset=Site.objects.all())
    after = django_filters.DateFilter(label=_("from"), field_name="at", lookup_expr="date__gte")
    before = django_filters.DateFilter(label=_("until"), field_name="at",
                                       lookup_expr="date__lte")

    class Meta:
        model = SlaAlert
        fields = ["contract", "kind", "stage", "level", "site", "after", "before"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_administrator:
            from weibao.contracts.selectors import visible_contracts

            self.filters["contract"].queryset = visible_contracts(user)
            self.filters["site"].queryset = Site.objects.visible_to(user)

    def by_level(self, queryset: QuerySet[SlaAlert], name: str,
                 value: str) -> QuerySet[SlaAlert]:
        return queryset.filter(Q(ticket__fault_level_override=value)
                               | Q(ticket__fault_level_override="", ticket__fault_level=value))
