"""Template tags of the staff app: who was on duty when a ticket was reported (STF-04)."""

from __future__ import annotations

from typing import Any

from django import template

from weibao.staff.selectors import on_duty

register = template.Library()


@register.inclusion_tag("staff/partials/on_duty.html")
def on_duty_line(ticket: Any) -> dict[str, Any]:
    """A <dt>/<dd> pair naming the users on duty for the ticket's contract when it was
    reported; nothing when no duty shift covers that moment."""
    return {"people": on_duty(ticket.contract, ticket.reported_at)}
