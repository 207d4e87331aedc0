"""The unread count of the signed-in person's notification centre, for the navigation badge
(one indexed count per page)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from weibao.notifications.models import Notification

__all__ = ["unread_notifications"]


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:  # lazy: pages that never show the badge never count
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    from django.utils.functional import SimpleLazyObject

    return {"notifications_unread": SimpleLazyObject(count)}
