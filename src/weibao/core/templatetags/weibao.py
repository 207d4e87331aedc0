"""Template helpers shared by every app."""

from __future__ import annotations

from django import template

from weibao.core.audit import audit_action as _audit_action

register = template.Library()


@register.filter
def audit_action(action: int) -> str:
    return _audit_action(action)
