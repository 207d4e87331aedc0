"""Template helpers shared by every app."""

from __future__ import annotations

from django import template

from weibao.core.audit import audit_action as _audit_action

register = template.Library()


@register.filter
def audit_action(action: int) -> str:
    return _audit_action(action)


@register.inclusion_tag("partials/saved_filters.html", takes_context=True)
def saved_filters(context: template.Context) -> dict[str, object]:
    """The signed-in user's saved filters of the current list, as chips (issue 16)."""
    from weibao.core.saved_filters import filters_for

    request = context.get("request")
    if request is None:
        return {"saved": []}
    return {"saved": filters_for(request.user, request.path), "request": request}
