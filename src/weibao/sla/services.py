"""Service-level operations: the SLA preview (试算) that contract authors use to check a spec."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from weibao.calendars.selectors import CalendarDefinition
from weibao.calendars.worktime import CalendarError, WorkCalendar
from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.loader import load_yaml
from weibao.contracts.spec.validate import validate_spec
from weibao.sla.evaluation import Evaluation, Pause, SlaError, evaluate
from weibao.sla.policy import Policy
from weibao.sla.selectors import contract_policy

__all__ = ["PreviewInput", "SpecPolicy", "preview", "site_attributes", "spec_policy_from_text"]


@dataclass
class PreviewInput:
    """A hypothetical ticket: its attributes, event times and pauses."""

    attributes: dict[str, str] = field(default_factory=dict)
    events: dict[str, datetime.datetime] = field(default_factory=dict)
    pauses: list[Pause] = field(default_factory=list)
    now: datetime.datetime | None = None
    # Times of recorded progress updates (recurring stages, ``every: true``).
    updates: list[datetime.datetime] = field(default_factory=list)
    # Code of a site of the contract (SITE-02): its area class fills ``area_class`` unless
    # that attribute is given explicitly.
    site: str = ""


def site_attributes(contract: Contract, site_code: str, attributes: dict[str, str],
                    user: Any = None) -> dict[str, str]:
    """The attributes with ``area_class`` taken from the site when not given explicitly."""
    from weibao.sites.models import Site

    sites = Site.objects.filter(contract=contract, code=site_code)
    if user is not None:
        sites = sites.visible_to(user)
    site = sites.select_related("district__area_class", "area_class_override").first()
    if site is None:
        raise SlaError(_("%(code)s is not a site of contract %(number)s.")
                       % {"code": site_code, "number": contract.number})
    out = dict(attributes)
    area_class = site.area_class
    if not out.get("area_class") and area_class is not None:
        out["area_class"] = area_class.code
    return out


@dataclass
class SpecPolicy:
    """The service levels of a spec that is not imported, with the spec's own calendars: a
    preview evaluates exactly the spec given (its ``calendars:`` entries win over stored
    calendars of the same code; national calendars come from the database)."""

    policy: Policy
    calendars: dict[str, CalendarDefinition] = field(default_factory=dict)
    _built: dict[str, WorkCalendar] = field(default_factory=dict)

    def engine(self, code: str) -> WorkCalendar:
        from weibao.calendars.selectors import calendar_engine, engine_from_definition

        if code not in self.calendars:
            return calendar_engine(code)
        if code not in self._built:
            self._built[code] = engine_from_definition(self.calendars[code])
        return self._built[code]


def spec_policy_from_text(text: str) -> SpecPolicy:
    """The service levels and calendars of a spec file that is not imported yet."""
    from weibao.calendars.spec import spec_definitions

    data = validate_spec(load_yaml(text))
    if "service_levels" not in data:
        raise SlaError(_("The spec has no service_levels section."))
    try:
        calendars = spec_definitions(data.get("calendars", []))
    except CalendarError as exc:
        raise SlaError(str(exc)) from exc
    return SpecPolicy(Policy.from_spec(data["service_levels"]), calendars)


def preview(source: Contract | Policy | SpecPolicy, data: PreviewInput,
            user: Any = None) -> Evaluation:
    """Evaluate a hypothetical ticket against a contract's (or a spec's) service levels.

    With ``data.site`` the site (of that contract, visible to ``user``) supplies the area class.
    """
    from weibao.calendars.selectors import calendar_engine

    attributes = dict(data.attributes)
    if data.site:
        if not isinstance(source, Contract):
            raise SlaError(_("A site can only be given with a contract, not with a spec."))
        attributes = site_attributes(source, data.site, attributes, user)
    engine: Any = calendar_engine
    policy: Policy | None
    if isinstance(source, SpecPolicy):
        policy, engine = source.policy, source.engine
    elif isinstance(source, Contract):
        policy = contract_policy(source)
    else:
        policy = source
    if policy is None:
        raise SlaError(_("Contract %(number)s has no service levels.")
                       % {"number": getattr(source, "number", "")})
    now = data.now
    if now is None:
        now = max([*data.events.values(), datetime.datetime.now(datetime.UTC)])
    try:
        return evaluate(policy, attributes=attributes, events=dict(data.events),
                        pauses=list(data.pauses), now=now, engine=engine,
                        updates=list(data.updates))
    except CalendarError as exc:  # an engine built from a spec's calendars
        raise SlaError(str(exc)) from exc


def spec_invalid_message(exc: SpecInvalid) -> str:
    return "; ".join(exc.messages())


def evaluation_to_dict(result: Evaluation) -> dict[str, Any]:
    """A JSON-friendly form shared by the API and the command line."""
    return {
        "attributes": result.attributes,
        "fault_level": ({"code": result.level.code, "name": result.level.name}
                        if result.level else None),
        "fault_level_reason": result.level_reason,
        "provisional": result.provisional,
        "stages": [
            {
                "code": s.stage.code,
                "name": s.stage.name,
                "status": s.status,
                "target": ({"amount": float(s.target.amount), "unit": s.target.unit,
                            "calendar": s.target.calendar, "rule": s.target.index + 1,
                            "at": s.target.at.strftime("%H:%M") if s.target.at else None,
                            "kpi": ({"percent": float(s.target.kpi.percent),
                                     "inclusive": s.target.kpi.inclusive}
                                    if s.target.kpi else None),
                            "is_breach": s.target.is_breach}
                           if s.target else None),
                "every": s.stage.every,
                "measure_unit": s.unit,
                "amount": float(s.amount) if s.amount is not None else None,
                "started_at": s.started_at.isoformat() if s.started_at else None,
                "stopped_at": s.stopped_at.isoformat() if s.stopped_at else None,
                "due_at": s.due_at.isoformat() if s.due_at else None,
                "warn_at": s.warn_at.isoformat() if s.warn_at else None,
                "used": float(s.used) if s.used is not None else None,
                "left": float(s.left) if s.left is not None else None,
                "provisional": s.provisional,
                "updates": s.updates,
                "missed": s.missed,
                "missed_due": [d.isoformat() for d in s.missed_due],
                "explanation": s.explanation,
            }
            for s in result.stages
        ],
    }
