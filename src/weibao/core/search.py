"""Global search from the top bar (issue 16): ticket numbers and titles, sites, asset serials
and tags, contract numbers and titles, knowledge titles — each only within the contracts the
user may see (PLT-01) and only for what the user's role may open.

Matching is by substring (``icontains``), so a two-character Chinese term such as 卡机 finds
读卡机故障; every whitespace-separated term must occur.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

__all__ = ["SearchGroup", "SearchHit", "global_search"]

LIMIT = 10


@dataclass
class SearchHit:
    title: str
    subtitle: str
    url: str


@dataclass
class SearchGroup:
    key: str
    label: Any
    hits: list[SearchHit] = field(default_factory=list)
    more_url: str = ""


def _all_terms(fields: list[str], terms: list[str]) -> Q:
    query = Q()
    for term in terms:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": term})
        query &= any_field
    return query


def _tickets(user: Any, terms: list[str]) -> QuerySet[Any]:
    from weibao.tickets.models import Ticket

    return (Ticket.objects.visible_to(user)
            .filter(_all_terms(["number", "title"], terms))
            .select_related("site").order_by("-reported_at"))


def _sites(user: Any, terms: list[str]) -> QuerySet[Any]:
    from weibao.sites.models import Site

    return (Site.objects.visible_to(user).filter(_all_terms(["code", "name"], terms))
            .select_related("contract").order_by("contract_id", "code"))


def _assets(user: Any, terms: list[str]) -> QuerySet[Any]:
    from weibao.assets.models import Asset

    return (Asset.objects.visible_to(user)
            .filter(_all_terms(["serial", "code", "name"], terms))
            .select_related("site").order_by("contract_id", "pk"))


def _contracts(user: Any, terms: list[str]) -> QuerySet[Any]:
    from weibao.contracts.selectors import visible_contracts

    return visible_contracts(user).filter(_all_terms(["number", "title"], terms)).order_by(
        "-end_date", "number")


def _articles(user: Any, terms: list[str]) -> QuerySet[Any]:
    from weibao.contracts.selectors import visible_contracts
    from weibao.tickets.models import Article

    articles = Article.objects.filter(contract__in=visible_contracts(user))
    if not user.has_perm("tickets.change_article"):
        articles = articles.filter(published=True)
    return articles.filter(_all_terms(["search_text"], [t.lower() for t in terms]))


def global_search(user: Any, text: str) -> list[SearchGroup]:
    """The matches per kind of record, at most ``LIMIT`` each, kinds without a match left
    out. Each kind needs the permission its list page needs."""
    terms = text.split()
    if not terms or not user.is_authenticated:
        return []
    groups: list[SearchGroup] = []
    q = urlencode({"q": " ".join(terms)})
    if user.has_perm("tickets.view_ticket"):
        group = SearchGroup("tickets", _("Tickets"), more_url=f"{reverse('tickets:list')}?{q}")
        for ticket in _tickets(user, terms)[:LIMIT]:
            group.hits.append(SearchHit(f"{ticket.number} {ticket.title}",
                                        str(ticket.site or ""),
                                        reverse("tickets:detail", args=[ticket.pk])))
        groups.append(group)
    if user.has_perm("sites.view_site"):
        group = SearchGroup("sites", _("Sites"), more_url=f"{reverse('sites:list')}?{q}")
        for site in _sites(user, terms)[:LIMIT]:
            group.hits.append(SearchHit(f"{site.code} {site.name}", site.contract.number,
                                        reverse("sites:detail", args=[site.pk])))
        groups.append(group)
    if user.has_perm("assets.view_asset"):
        group = SearchGroup("assets", _("Assets"), more_url=f"{reverse('assets:list')}?{q}")
        for asset in _assets(user, terms)[:LIMIT]:
            group.hits.append(SearchHit(asset.name, " · ".join(
                part for part in (asset.serial, asset.code, str(asset.site or "")) if part),
                reverse("assets:detail", args=[asset.pk])))
        groups.append(group)
    if user.has_perm("contracts.view_contract"):
        group = SearchGroup("contracts", _("Contracts"))
        for contract in _contracts(user, terms)[:LIMIT]:
            group.hits.append(SearchHit(contract.title, contract.number,
                                        reverse("contracts:detail", args=[contract.pk])))
        groups.append(group)
    if user.has_perm("tickets.view_article"):
        group = SearchGroup("knowledge", _("Knowledge"),
                            more_url=f"{reverse('tickets:article-list')}?{q}")
        for article in _articles(user, terms)[:LIMIT]:
            group.hits.append(SearchHit(article.title, "",
                                        reverse("tickets:article-detail", args=[article.pk])))
        groups.append(group)
    return [group for group in groups if group.hits]
