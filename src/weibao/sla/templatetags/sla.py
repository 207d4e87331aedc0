"""Template helpers for SLA results."""

from __future__ import annotations

from fractions import Fraction

from django import template

from weibao.sla.choices import StageStatus, TimeUnit

register = template.Library()

_CLASSES = {
    StageStatus.MET: "bg-green-lt", StageStatus.BREACHED: "bg-red-lt",
    StageStatus.WARNING: "bg-orange-lt", StageStatus.RUNNING: "bg-blue-lt",
    StageStatus.PAUSED: "bg-secondary-lt", StageStatus.NOT_STARTED: "bg-secondary-lt",
    StageStatus.NO_TARGET: "bg-secondary-lt",
}


@register.filter
def status_label(value: str) -> str:
    return str(StageStatus(value).label)


@register.filter
def status_class(value: str) -> str:
    return _CLASSES.get(StageStatus(value), "")


@register.filter
def status_bar(value: str) -> str:
    return {"breached": "bg-red", "warning": "bg-orange", "met": "bg-green"}.get(value, "")


@register.filter
def unit_label(value: str) -> str:
    return str(TimeUnit(value).label)


@register.filter
def fraction(value: Fraction | None) -> str:
    if value is None:
        return ""
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"


@register.filter
def percent(value: float) -> int:
    return max(0, min(100, round(value * 100)))
