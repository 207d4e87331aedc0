"""The global search page behind the top bar's search box (issue 16)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from weibao.core.search import global_search

__all__ = ["search"]


@login_required
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:100]
    groups = global_search(request.user, text) if text else []
    return render(request, "core/search.html", {"search_query": text, "groups": groups})
