"""The assessment report (考核报告) in Word, PDF and Excel (issue 11, PAY-03).

The report is a list of :class:`weibao.reports.render.Block` — the same neutral blocks the
deliverables' reports are made of — rendered by ``weibao.reports.render`` (``blocks_docx``,
``blocks_xlsx``) and ``weibao.core.pdf`` (``assessment/report_pdf.html``):

1. the assessment: contract, period, method, status and who did what when;
2. every line: the item, the metric's definition, the value, n of m, the points or whether
   the criterion is met, manual entry, the vendor's comment, the purchaser's note and the
   supervisor's decision;
3. the result: score or criteria met and grade, the payment factor, breaches and penalties;
4. the breaches of the period with their status and penalty;
5. the settlement: contract amount, factor, penalties, final price, paid so far, the last
   instalment and the remaining milestones;
6. for a final assessment, its SM3 digest.

A final assessment is reported from its frozen figures (the model's fields and its
snapshot); a draft from its current lines. The words are gettext messages rendered in
Chinese, like every document weibao files.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from weibao.assessment.choices import AssessmentStatus, Method
from weibao.assessment.models import Assessment, AssessmentLine, Breach
from weibao.assessment.services.ledger import ledger_summary, period_bounds
from weibao.assessment.services.settlement import settlement
from weibao.core import pdf as core_pdf
from weibao.reports.render import Block, Table, blocks_docx, blocks_xlsx

__all__ = ["LANGUAGE", "PDF_TEMPLATE", "blocks", "cover", "render_report", "report_filename",
           "report_title"]

LANGUAGE = "zh-hans"
PDF_TEMPLATE = "assessment/report_pdf.html"


def _day(value: Any) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _who(user: Any) -> str:
    if user is None:
        return ""
    return str(getattr(user, "get_full_name", lambda: "")() or user.get_username())


def _number(value: Decimal | None) -> Any:
    if value is None:
        return ""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value.normalize())


def _money(value: Decimal | None) -> str:
    return f"{Decimal(value):,.2f}" if value is not None else ""


def report_title(assessment: Assessment) -> str:
    kind = _("Final assessment report") if assessment.is_final else _("Assessment report")
    return f"{assessment.contract.title} {kind}（{_day(assessment.period_start)}—" \
           f"{_day(assessment.period_end)}）"


def report_filename(assessment: Assessment, fmt: str) -> str:
    with translation.override(LANGUAGE):
        kind = _("Assessment report")
    return f"{assessment.contract.number}-{kind}-{assessment.period_start:%Y%m%d}-" \
           f"{assessment.period_end:%Y%m%d}.{fmt}"


def cover(assessment: Assessment) -> list[tuple[str, Any]]:
    """The cover's (label, value) rows."""
    contract = assessment.contract
    scheme = getattr(contract, "assessment_scheme", None)
    rows: list[tuple[str, Any]] = [
        (pgettext("report", "contract"), f"{contract.number} {contract.title}"),
        (pgettext("report", "period"),
         f"{_day(assessment.period_start)}至{_day(assessment.period_end)}"),
        (_("assessment method"), scheme.get_method_display() if scheme else ""),
        (_("status"), assessment.get_status_display()),
        (_("final assessment of the contract"),
         pgettext("report", "yes") if assessment.is_final else pgettext("report", "no")),
        (_("computed at"), _when(assessment.computed_at)),
    ]
    for label, user, moment in (
            (_("reviewed by"), assessment.reviewed_by, assessment.reviewed_at),
            (_("confirmed by"), assessment.confirmed_by, assessment.confirmed_at),
            (_("finalised by"), assessment.finalised_by, assessment.finalised_at)):
        if user is not None:
            rows.append((label, f"{_who(user)} {_when(moment)}"))
    rows.append((pgettext("report", "generated at"), _when(timezone.now())))
    return rows


def _definitions(assessment: Assessment) -> dict[int, str]:
    """Each item's metric definition: from the snapshot when it holds them, else from the
    metrics (the words depend on the item's metric and parameters only; the figures shown
    are the lines' own, never re-measured)."""
    snapshot = assessment.snapshot if isinstance(assessment.snapshot, dict) else {}
    codes = {line.item.code: line.item_id
             for line in assessment.lines.select_related("item")}
    found = {codes[row["item"]]: str(row["definition"]) for row in snapshot.get("lines", [])
             if isinstance(row, dict) and row.get("definition") and row.get("item") in codes}
    if found:
        return found
    from weibao.assessment.metrics import measure_all

    scheme = getattr(assessment.contract, "assessment_scheme", None)
    if scheme is None:
        return {}
    measured = measure_all(scheme, assessment.period_start, assessment.period_end)
    return {item: str(m.definition) for item, m in measured.items()}


def _figures_row(line: AssessmentLine, method: str) -> list[Any]:
    item = line.item
    n_of_m = f"{line.numerator} / {line.denominator}" \
        if line.numerator is not None and line.denominator is not None else ""
    if method == Method.CRITERIA:
        outcome: Any = "" if line.met is None else (
            pgettext("report", "yes") if line.met else pgettext("report", "no"))
        target: Any = f"{item.get_comparison_display()} {_number(item.threshold)}{item.unit}" \
            if item.comparison else ""
    else:
        outcome = _number(line.points)
        target = _number(item.points)
    entered = f"{_who(line.entered_by)} {_when(line.entered_at)}".strip() if line.manual else ""
    return [item.sequence, item.name, _number(line.value), n_of_m, target, outcome,
            line.get_status_display(), entered]


def _lines_block(assessment: Assessment, method: str) -> Block:
    """Two tables: the figures of every line (short columns), then its words — the metric's
    definition, the proof note, the vendor's comment, the purchaser's note and the
    supervisor's decision."""
    lines = list(assessment.lines.select_related("item", "entered_by").order_by(
        "item__sequence"))
    definitions = _definitions(assessment)
    criteria = method == Method.CRITERIA
    block = Block("lines", _("Assessment items"))
    block.tables.append(Table(_("Figures"), [
        _("sequence"), pgettext("report", "item"), pgettext("report", "value"), _("n of m"),
        _("threshold") if criteria else _("points"),
        pgettext("report", "met") if criteria else _("points earned"), _("status"),
        _("entered by hand")], [_figures_row(line, method) for line in lines]))
    block.tables.append(Table(_("Definitions, comments and decisions"), [
        pgettext("report", "item"), _("definition"), _("how it was established"),
        _("vendor's comment"), _("purchaser's note"), _("supervisor's decision")],
        [[line.item.name, definitions.get(line.item_id, ""), line.proof_note,
          line.vendor_comment, line.purchaser_note, line.decision] for line in lines]))
    return block


def _result_block(assessment: Assessment, method: str) -> Block:
    block = Block("result", pgettext("assessment", "Result"))
    if method == Method.SCORE:
        block.facts.append((_("score"), _number(assessment.score)))
    elif method == Method.CRITERIA:
        block.facts += [(_("criteria met"), assessment.criteria_met
                         if assessment.criteria_met is not None else ""),
                        (pgettext("assessment", "rating"), assessment.rating)]
    block.facts += [(pgettext("assessment", "factor (%)"), _number(assessment.factor)),
                    (_("breaches"), assessment.breach_count),
                    (_("penalties (yuan)"), _money(assessment.penalties))]
    return block


def _breaches_block(assessment: Assessment) -> Block:
    since, until = period_bounds(assessment.period_start, assessment.period_end)
    rows = [[_when(b.occurred_at), b.get_source_display(), b.description,
             b.get_status_display(), _number(b.penalty_percent), _money(b.penalty_amount),
             b.reason]
            for b in Breach.objects.filter(contract=assessment.contract,
                                           occurred_at__gte=since, occurred_at__lt=until)
            .order_by("occurred_at", "pk")]
    block = Block("breaches", pgettext("report", "Breaches"))
    summary = ledger_summary(assessment.contract, assessment.period_start,
                             assessment.period_end)
    block.facts += [(_("breaches counted"), summary.count),
                    (_("penalties (yuan)"), _money(summary.penalties)),
                    (_("waived"), summary.waived)]
    if summary.termination_breaches:
        block.facts.append((_("breaches that allow termination"),
                            summary.termination_breaches))
        block.facts.append((_("termination right"), pgettext("report", "yes")
                            if summary.termination_right else pgettext("report", "no")))
        if summary.termination_penalty is not None:
            block.facts.append((_("termination penalty (yuan)"),
                                _money(summary.termination_penalty)))
    block.tables.append(Table(_("Breach ledger"), [
        _("occurred at"), pgettext("assessment", "source"), _("description"), _("status"),
        pgettext("report", "penalty (%)"), _("penalty (yuan)"), _("reason")], rows))
    return block


def _settlement_block(assessment: Assessment) -> Block:
    """PAY-03: the settlement by this assessment (a projection while it is not final)."""
    figures = settlement(assessment.contract, assessment)
    block = Block("settlement", _("Settlement"))
    block.facts += [
        (_("contract amount (yuan)"), _money(figures.contract_amount)),
        (pgettext("assessment", "factor (%)"), _number(figures.factor)),
        (_("penalties (yuan)"), _money(figures.penalties)),
        (_("final price (yuan)"), _money(figures.final_price)),
        (_("paid so far (yuan)"), _money(figures.paid)),
        (_("last instalment (yuan)"), _money(figures.last_instalment)),
        (_("projection"), pgettext("report", "yes") if figures.projected
         else pgettext("report", "no")),
    ]
    block.tables.append(Table(_("Payment milestones"), [
        pgettext("report", "name"), _("amount (yuan)"), _("paid (yuan)"), _("to pay (yuan)"),
        _("waiting for")],
        [[line.milestone.name, _money(line.amount), _money(line.paid), _money(line.to_pay),
          line.pending] for line in figures.milestones]))
    return block


def _digest_block(assessment: Assessment) -> Block:
    block = Block("digest", _("Digest of the final assessment"))
    block.facts += [(_("digest algorithm"), assessment.digest_algorithm),
                    (_("digest"), assessment.digest),
                    (_("finalised at"), _when(assessment.finalised_at))]
    return block


def blocks(assessment: Assessment) -> list[Block]:
    """The report's sections, in order (call inside the document's language)."""
    scheme = getattr(assessment.contract, "assessment_scheme", None)
    method = scheme.method if scheme else Method.LEDGER
    out = [_lines_block(assessment, method), _result_block(assessment, method),
           _breaches_block(assessment)]
    out.append(_settlement_block(assessment))
    if assessment.status == AssessmentStatus.FINAL and assessment.digest:
        out.append(_digest_block(assessment))
    return out


def render_report(assessment: Assessment, fmt: str) -> bytes:
    """The report as ``pdf``, ``docx`` or ``xlsx`` bytes, in Chinese."""
    with translation.override(LANGUAGE):
        title = report_title(assessment)
        rows = cover(assessment)
        sections = blocks(assessment)
        if fmt == "docx":
            return blocks_docx(title, rows, sections)
        if fmt == "xlsx":
            return blocks_xlsx(title, rows, sections)
        if fmt != "pdf":
            raise ValueError(f"unknown report format {fmt!r}")
        context = {"title": title, "cover": rows, "contract": assessment.contract,
                   "empty": pgettext("report", "no records in this period"),
                   "sections": [{"title": b.title, "facts": b.facts, "tables": b.tables}
                                for b in sections]}
    return core_pdf.render_pdf(PDF_TEMPLATE, context)
