"""Saving and removing a list's named filters (issue 16); answered in JSON for weibao.js."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from weibao.core.models import User
from weibao.core.saved_filters import delete_filter, save_filter

__all__ = ["delete_saved_filter", "save_saved_filter"]


@login_required
@require_POST
def save_saved_filter(request: HttpRequest) -> JsonResponse:
    user = cast(User, request.user)
    try:
        saved = save_filter(user, path=request.POST.get("path", ""),
                            name=request.POST.get("name", ""),
                            query=request.POST.get("query", ""))
    except ValidationError as error:
        return JsonResponse({"errors": error.message_dict}, status=400)
    return JsonResponse({"id": saved.pk, "name": saved.name, "url": saved.url,
                         "delete": reverse("saved-filter-delete", args=[saved.pk])})


@login_required
@require_POST
def delete_saved_filter(request: HttpRequest, pk: int) -> JsonResponse:
    if not delete_filter(cast(User, request.user), pk):
        raise Http404
    return JsonResponse({"deleted": pk})
