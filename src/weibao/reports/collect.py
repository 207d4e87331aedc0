"""A report's figures from recorded data (RPT-07, PM-01 item 14).

:func:`collect` returns a JSON-serialisable dict: ``period`` and ``contract`` and one key per
requested :class:`~weibao.reports.choices.ReportSection`. Dates are ISO strings, percentages
and penalties floats. Every section aggregates in the database (GROUP BY) with a fixed number
of queries whatever the data size. Mappings of names to numbers (``by_level``…) are what the
screen charts and the documents' tables show; ``charts`` holds SVG for the PDF.

Approximations, said once here: effort has no recorded working time, so ``hours`` is the
time from arrival on site to restoration for tickets and from check-in to completion for
visits (tickets without those times count but add no hours).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from weibao.contracts.models import Contract
from weibao.reports.charts import svg_bar, svg_pie
from weibao.reports.choices import ReportSection

__all__ = ["SECTIONS", "collect"]

#: Certificates expiring this many days after the period are listed too.
CERTIFICATE_HORIZON_DAYS = 90
_NONE = "—"
#: The documents are in Chinese: chart titles and category names are translated into it.
LANGUAGE = "zh-hans"


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime,
                                                                   datetime.datetime]:
    """``[start 00:00, end+1 00:00)`` in the project's time zone (Beijing)."""
    tz = timezone.get_default_timezone()
    return (datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min,
                                      tzinfo=tz))


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _float(value: Decimal | float | None) -> float | None:
    return float(value) if value is not None else None


def _counts(rows: Any, key: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in rows:
        name = str(row[key]) if row[key] not in (None, "") else _NONE
        out[name] = out.get(name, 0) + row["n"]
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def _contract(contract: Contract) -> dict[str, Any]:
    parties = {p.role: p.organisation.name
               for p in contract.parties.select_related("organisation")}
    return {"number": contract.number, "title": contract.title, "parties": parties}


def _tickets(contract: Contract, since: datetime.datetime,
             until: datetime.datetime) -> dict[str, Any]:
    from weibao.tickets.models import Ticket

    opened = Ticket.objects.filter(contract=contract, reported_at__gte=since,
                                   reported_at__lt=until).order_by()
    level = Coalesce(NullIf("fault_level_override", Value("")), "fault_level")
    by_level = _counts(opened.annotate(level=level).values("level").annotate(n=Count("pk")),
                       "level")
    by_priority = _counts(opened.values("priority").annotate(n=Count("pk")), "priority")
    by_type = _counts(opened.values("ticket_type__name").annotate(n=Count("pk")),
                      "ticket_type__name")
    by_site = _counts(opened.values("site__name").annotate(n=Count("pk")), "site__name")
    by_district = _counts(opened.values("site__district__name").annotate(n=Count("pk")),
                          "site__district__name")
    by_area_class = _counts(opened.annotate(cls=Coalesce(
        "site__area_class_override__name", "site__district__area_class__name"))
        .values("cls").annotate(n=Count("pk")), "cls")
    totals = Ticket.objects.filter(contract=contract).aggregate(
        opened=Count("pk", filter=Q(reported_at__gte=since, reported_at__lt=until)),
        closed=Count("pk", filter=Q(closed_at__gte=since, closed_at__lt=until)),
        open_at_end=Count("pk", filter=Q(reported_at__lt=until)
                          & (Q(closed_at__isnull=True) | Q(closed_at__gte=until))))
    charts = []
    if by_level:
        charts.append(svg_pie(list(by_level), list(by_level.values()),
                              title=_("Tickets by fault level")))
    if by_type:
        charts.append(svg_bar(list(by_type)[:12], list(by_type.values())[:12],
                              title=_("Tickets by type")))
    return {**totals, "by_level": by_level, "by_priority": by_priority, "by_type": by_type,
            "by_site": by_site, "by_district": by_district, "by_area_class": by_area_class,
            "charts": charts}


def _sla(contract: Contract, since: datetime.datetime,
         until: datetime.datetime) -> dict[str, Any]:
    from weibao.tickets.models import TicketStage
    from weibao.tickets.selectors import kpi_attainment

    rows = (TicketStage.objects
            .filter(ticket__contract=contract, stopped_at__gte=since, stopped_at__lt=until)
            .values("code", "name").order_by()
            .annotate(count=Count("pk"), met=Count("pk", filter=Q(status="met")),
                      breached=Count("pk", filter=Q(status="breached"))))
    stages = sorted(({"code": r["code"], "stage": r["name"], "count": r["count"],
                      "met": r["met"], "breached": r["breached"],
                      "attainment": _percent(r["met"], r["count"])} for r in rows),
                    key=lambda r: (r["code"], r["stage"]))
    kpis = [{"stage": k.stage_name, "target": str(getattr(k.target, "kpi", "") or ""),
             "count": k.total, "met": k.on_time, "attainment": _float(k.rate),
             "compliant": k.met} for k in kpi_attainment(contract, since, until)]
    count = sum(r["count"] for r in stages)
    met = sum(r["met"] for r in stages)
    charts = [svg_bar([r["stage"] for r in stages],
                      [(_("met"), [r["met"] for r in stages]),
                       (_("breached"), [r["breached"] for r in stages])],
                      title=_("SLA stages met and breached"))] if stages else []
    return {"count": count, "met": met, "attainment": _percent(met, count), "stages": stages,
            "kpis": kpis, "charts": charts}


def _breaches(contract: Contract, since: datetime.datetime,
              until: datetime.datetime) -> dict[str, Any]:
    from weibao.maintenance.models import Visit
    from weibao.reports.models import Submission
    from weibao.tickets.models import SlaAlert

    rows: list[dict[str, Any]] = []
    for a in (SlaAlert.objects.filter(contract=contract, kind="breach", at__gte=since,
                                      at__lt=until)
              .values("at", "stage", "ticket__number", "ticket__title", "penalty_percent")):
        rows.append({"date": timezone.localtime(a["at"]).date().isoformat(), "kind": _("SLA"),
                     "what": f"{a['ticket__number']} {a['ticket__title']} · {a['stage']}",
                     "penalty_percent": _float(a["penalty_percent"])})
    for v in (Visit.objects.filter(contract=contract, breach_recorded_at__gte=since,
                                   breach_recorded_at__lt=until)
              .values("breach_recorded_at", "plan__name", "site__name", "slot",
                      "penalty_percent")):
        rows.append({"date": timezone.localtime(v["breach_recorded_at"]).date().isoformat(),
                     "kind": _("inspection"),
                     "what": " · ".join(str(x) for x in (v["plan__name"], v["site__name"],
                                                         v["slot"]) if x),
                     "penalty_percent": _float(v["penalty_percent"])})
    for s in (Submission.objects.filter(contract=contract, breach_recorded_at__gte=since,
                                        breach_recorded_at__lt=until)
              .values("breach_recorded_at", "deliverable__name", "period_start",
                      "period_end", "penalty_percent")):
        rows.append({"date": timezone.localtime(s["breach_recorded_at"]).date().isoformat(),
                     "kind": _("deliverable"),
                     "what": f"{s['deliverable__name']} {s['period_start'].isoformat()}—"
                             f"{s['period_end'].isoformat()}",
                     "penalty_percent": _float(s["penalty_percent"])})
    rows.sort(key=lambda r: (r["date"], r["kind"], r["what"]))
    by_kind: dict[str, int] = defaultdict(int)
    for r in rows:
        by_kind[r["kind"]] += 1
    penalty = sum(Decimal(str(r["penalty_percent"] or 0)) for r in rows)
    return {"total": len(rows), "penalty_percent": float(penalty), "by_kind": dict(by_kind),
            "rows": rows}


def _coverage_rows(cov: Any) -> list[dict[str, Any]]:
    return [{"name": r.label, "due": r.due, "on_time": r.done_on_time, "late": r.late,
             "missed": r.missed, "open": r.open,
             "attainment": round(r.rate * 100, 1) if r.rate is not None else None}
            for r in cov.rows]


def _inspections(contract: Contract, since: datetime.datetime,
                 until: datetime.datetime) -> dict[str, Any]:
    from weibao.maintenance.selectors import coverage

    by_plan = coverage(contract, since, until, by="plan")
    by_district = coverage(contract, since, until, by="district")
    t = by_plan.total
    plans = _coverage_rows(by_plan)
    charts = [svg_bar([r["name"] for r in plans],
                      [(_("on time"), [r["on_time"] for r in plans]),
                       (_("late"), [r["late"] for r in plans]),
                       (_("missed"), [r["missed"] for r in plans])],
                      title=_("Inspections done"))] if plans else []
    return {"due": t.due, "done": t.done, "on_time": t.done_on_time, "late": t.late,
            "missed": t.missed, "open": t.open,
            "attainment": round(t.rate * 100, 1) if t.rate is not None else None,
            "by_plan": plans, "by_district": _coverage_rows(by_district), "charts": charts}


def _checklist_problems(contract: Contract, since: datetime.datetime,
                        until: datetime.datetime) -> dict[str, Any]:
    """PM-01 item 14: abnormal checklist results of visits completed in the period, grouped
    by item, with the tickets they raised."""
    from weibao.maintenance.models import VisitResult

    found = (VisitResult.objects
             .filter(visit__contract=contract, abnormal=True,
                     visit__completed_at__gte=since, visit__completed_at__lt=until)
             .order_by())
    rows = list(found.values("text").annotate(count=Count("pk"),
                                              sites=Count("visit__site", distinct=True),
                                              tickets=Count("ticket", distinct=True))
                .order_by("-count", "text"))
    linked: dict[str, list[str]] = defaultdict(list)
    for text, number in (found.filter(ticket__isnull=False)
                         .values_list("text", "ticket__number").distinct()
                         .order_by("text", "ticket__number")):
        linked[text].append(number)
    items = [{"item": r["text"], "count": r["count"], "sites": r["sites"],
              "tickets": r["tickets"], "ticket_numbers": "、".join(linked.get(r["text"], []))}
             for r in rows]
    total = sum(r["count"] for r in items)
    charts = [svg_bar([r["item"] for r in items[:10]], [r["count"] for r in items[:10]],
                      title=_("Problems found by checklist item"))] if items else []
    return {"total": total, "by_item": items, "charts": charts}


def _spares(contract: Contract, since: datetime.datetime,
            until: datetime.datetime) -> dict[str, Any]:
    from weibao.spares.choices import MovementKind
    from weibao.spares.models import StockMovement
    from weibao.spares.selectors import compliance

    moves = (StockMovement.objects
             .filter(contract=contract, occurred_at__gte=since, occurred_at__lt=until,
                     kind__in=(MovementKind.ISSUE, MovementKind.RETURN_FAULTY,
                               MovementKind.STANDBY_RETURN))
             .values("part_type__name", "kind").order_by()
             .annotate(quantity=Sum("quantity")))
    by_type: dict[str, dict[str, int]] = defaultdict(lambda: {"issued": 0, "returned": 0})
    for m in moves:
        column = "issued" if m["kind"] == MovementKind.ISSUE else "returned"
        by_type[m["part_type__name"]][column] += abs(m["quantity"] or 0)
    stock = [{"part_type": row.part_type.name, "minimum": row.required, "stock": row.on_hand,
              "shortfall": row.shortfall, "compliant": not row.shortfall}
             for row in compliance(contract)]
    return {"issued": sum(v["issued"] for v in by_type.values()),
            "returned": sum(v["returned"] for v in by_type.values()),
            "by_part_type": dict(sorted(by_type.items())), "stock": stock,
            "compliant": all(r["compliant"] for r in stock)}


def _certificates(contract: Contract, start: datetime.date,
                  end: datetime.date) -> dict[str, Any]:
    from weibao.assets.models import Certificate

    horizon = end + datetime.timedelta(days=CERTIFICATE_HORIZON_DAYS)
    rows = [{"certificate": c["holder"], "kind": c["kind"], "serial": c["serial"],
             "asset": c["asset__name"] or "", "expires_on": str(c["expires_on"]),
             "in_period": bool(c["expires_on"] and c["expires_on"] <= end)}
            for c in Certificate.objects.filter(contract=contract, expires_on__gte=start,
                                                expires_on__lte=horizon)
            .values("holder", "kind", "serial", "asset__name", "expires_on")
            .order_by("expires_on", "holder")]
    return {"in_period": sum(1 for r in rows if r["in_period"]),
            "within_90_days": sum(1 for r in rows if not r["in_period"]), "rows": rows}


def _category(value: str | None) -> str:
    from weibao.tickets.choices import TicketCategory

    return str(TicketCategory(value).label) if value in TicketCategory.values else _NONE


def _hours(value: datetime.timedelta | None) -> float:
    return round(value.total_seconds() / 3600, 1) if value else 0.0


def _effort(contract: Contract, since: datetime.datetime,
            until: datetime.datetime) -> dict[str, Any]:
    from weibao.maintenance.models import Visit
    from weibao.tickets.models import Ticket

    def person(row: Any, prefix: str) -> str:
        name = (row[f"{prefix}__last_name"] or "") + (row[f"{prefix}__first_name"] or "")
        return name or row[f"{prefix}__username"] or _NONE

    worked = Q(arrived_at__isnull=False, restored_at__isnull=False)
    tickets = (Ticket.objects.filter(contract=contract, reported_at__gte=since,
                                     reported_at__lt=until)
               .values("assignee__username", "assignee__last_name", "assignee__first_name",
                       "ticket_type__category").order_by()
               .annotate(n=Count("pk"), spent=Sum(F("restored_at") - F("arrived_at"),
                                                  filter=worked)))
    visits = (Visit.objects.filter(contract=contract, status="done", completed_at__gte=since,
                                   completed_at__lt=until)
              .values("completed_by__username", "completed_by__last_name",
                      "completed_by__first_name").order_by()
              .annotate(n=Count("pk"),
                        spent=Sum(F("completed_at") - F("checked_in_at"),
                                  filter=Q(checked_in_at__isnull=False))))
    engineers: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"tickets": 0, "visits": 0, "hours": 0.0})
    categories: dict[str, dict[str, Any]] = defaultdict(lambda: {"count": 0, "hours": 0.0})
    for t in tickets:
        row = engineers[person(t, "assignee")]
        row["tickets"] += t["n"]
        row["hours"] = round(row["hours"] + _hours(t["spent"]), 1)
        cat = categories[_category(t["ticket_type__category"])]
        cat["count"] += t["n"]
        cat["hours"] = round(cat["hours"] + _hours(t["spent"]), 1)
    for v in visits:
        row = engineers[person(v, "completed_by")]
        row["visits"] += v["n"]
        row["hours"] = round(row["hours"] + _hours(v["spent"]), 1)
        cat = categories[_("inspection")]
        cat["count"] += v["n"]
        cat["hours"] = round(cat["hours"] + _hours(v["spent"]), 1)
    return {"by_engineer": dict(sorted(engineers.items())),
            "by_category": dict(sorted(categories.items())),
            "hours_note": _("Hours: from arrival on site to restoration for tickets, "
                            "from check-in to completion for visits.")}


def _versions(contract: Contract) -> dict[str, Any]:
    from weibao.assets.choices import AssetCategory
    from weibao.assets.models import Asset

    rows = [{"asset": a["name"], "code": a["code"], "type": a["asset_type__name"],
             "version": str((a["attributes"] or {}).get("version", "")
                            or (a["attributes"] or {}).get("版本", ""))}
            for a in Asset.objects.filter(contract=contract,
                                          asset_type__category=AssetCategory.PRODUCT_SOFTWARE)
            .values("name", "code", "asset_type__name", "attributes").order_by("name", "pk")]
    return {"count": len(rows), "rows": rows}


Window = tuple[datetime.datetime, datetime.datetime]
#: Each section's collector, given the contract, the period's datetimes and its dates.
SECTIONS: dict[str, Callable[[Contract, Window, datetime.date, datetime.date], Any]] = {
    ReportSection.TICKETS: lambda c, w, s, e: _tickets(c, *w),
    ReportSection.SLA: lambda c, w, s, e: _sla(c, *w),
    ReportSection.BREACHES: lambda c, w, s, e: _breaches(c, *w),
    ReportSection.INSPECTIONS: lambda c, w, s, e: _inspections(c, *w),
    ReportSection.CHECKLIST_PROBLEMS: lambda c, w, s, e: _checklist_problems(c, *w),
    ReportSection.SPARES: lambda c, w, s, e: _spares(c, *w),
    ReportSection.CERTIFICATES: lambda c, w, s, e: _certificates(c, s, e),
    ReportSection.EFFORT: lambda c, w, s, e: _effort(c, *w),
    ReportSection.VERSIONS: lambda c, w, s, e: _versions(c),
}


def collect(submission_or_contract: Any, start: datetime.date, end: datetime.date,
            sections: list[str]) -> dict[str, Any]:
    """The figures of ``sections`` (all of them when empty) for ``[start, end]`` (dates,
    inclusive, Beijing time). Unknown section names are ignored."""
    contract: Contract = getattr(submission_or_contract, "contract", submission_or_contract)
    window = _bounds(start, end)
    data: dict[str, Any] = {"period": {"start": start.isoformat(), "end": end.isoformat()},
                            "contract": _contract(contract)}
    with translation.override(LANGUAGE):
        for name in sections or list(ReportSection.values):
            if name in SECTIONS:
                data[name] = SECTIONS[name](contract, window, start, end)
    return data
