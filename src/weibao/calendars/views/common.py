"""Helpers shared by the calendar pages: object loading with PLT-01 scope, history, dates."""

from __future__ import annotations

import datetime
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from weibao.calendars.selectors import can_manage_calendar, visible_calendars
from weibao.utils.views import PermissionMixin

__all__ = ["CalendarScopedMixin", "history", "parse_day", "parse_year"]


class CalendarScopedMixin(PermissionMixin):
    """Load ``self.calendar`` by code: a contract calendar of another organisation answers 404
    like one that does not exist (PLT-01); ``manage`` pages also need the right to edit it."""

    permission_required = "calendars.view_workcalendar"
    manage = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.calendar = get_object_or_404(visible_calendars(request.user),
                                              code=kwargs["code"])
            if self.manage and not can_manage_calendar(request.user, self.calendar):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def history(obj: Model, key: str, limit: int = 200) -> QuerySet[LogEntry]:
    """PLT-03: changes of ``obj`` and of the rows that name it in their audit data."""
    content_type = ContentType.objects.get_for_model(obj)
    return (
        LogEntry.objects.filter(Q(content_type=content_type, object_pk=str(obj.pk))
                                | Q(**{f"additional_data__{key}": obj.pk}))
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:limit]
    )


def parse_day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


def parse_year(text: str | None, default: int) -> int:
    try:
        year = int(text or default)
    except ValueError:
        return default
    return year if 1900 <= year <= 2200 else default
