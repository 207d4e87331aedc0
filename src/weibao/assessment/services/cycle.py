"""The assessment cycle (ASM-01, ASM-02, ASM-06, PAY-03).

Transitions (anything else is refused with an :class:`AssessmentConflict`)::

    action         who                 from                       to
    compute        purchaser           draft                      draft (lines refreshed)
    enter_manual   purchaser           draft                      draft
    review_line    vendor's manager    draft                      draft (line agreed/disputed)
    submit_review  vendor's manager    draft                      vendor_reviewed
    confirm        purchaser           vendor_reviewed            confirmed
    decide_line    supervisor          vendor_reviewed, confirmed (line decided)
    finalise       purchaser           confirmed                  final

Every write locks the assessment (``select_for_update``), checks the caller's
``expected_version`` (:class:`StaleRecord`) and bumps ``version``; the audit log keeps each
change. A final assessment is frozen: its ``snapshot`` holds every input and figure and its
``digest`` the SM3 digest of the snapshot's canonical JSON; nothing recomputes it. The final
assessment of the whole service period (``is_final``) records the contract's
FINAL_ASSESSMENT event with its factor, score or rating, and penalties (PAY-03).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.assessment.choices import (
    AssessmentStatus,
    LineStatus,
    Method,
    Metric,
    Scoring,
)
from weibao.assessment.models import Assessment, AssessmentLine, AssessmentScheme, Breach
from weibao.assessment.scoring import (
    LineFigures,
    criterion_met,
    item_points,
    outcome,
)
from weibao.assessment.services.errors import AssessmentConflict, lock_current
from weibao.assessment.services.ledger import (
    COUNTING,
    has_supervisor,
    ledger_summary,
    period_bounds,
    sync_ledger,
)
from weibao.contracts.choices import ContractEventKind
from weibao.contracts.models import Contract
from weibao.contracts.selectors import factor_for
from weibao.contracts.services.events import record_contract_event
from weibao.core.crypto import digest, document_digest_algorithm
from weibao.core.errors import ServiceError
from weibao.security.signing import SignedDocument, seal_document

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["AssessmentResult", "canonical_json", "compute", "confirm", "create_assessment",
           "decide_line", "enter_manual", "finalise", "locked_assessment", "result",
           "review_line", "submit_review"]

_LEDGER_FACTOR = Decimal(100)


# -- helpers -----------------------------------------------------------------------------


def locked_assessment(assessment: Assessment | int,
                      expected_version: int | None = None) -> Assessment:
    """The assessment locked for this transaction, refused when someone changed it since
    the caller read ``expected_version``."""
    return lock_current(Assessment, assessment, expected_version, _(
        "Someone changed this assessment in the meantime (version %(current)s, you had "
        "%(expected)s); reload it and try again."))


def _require(user: User, perm: str, assessment: Assessment | Contract, message: str) -> None:
    if not user.has_perm(perm, assessment):
        raise PermissionDenied(message)


def _state(assessment: Assessment, allowed: tuple[str, ...], message: str) -> None:
    if assessment.status == AssessmentStatus.FINAL:
        raise AssessmentConflict(_("The assessment is final: it can no longer be changed."),
                                 version=assessment.version)
    if assessment.status not in allowed:
        raise AssessmentConflict(
            message % {"status": AssessmentStatus(assessment.status).label},
            version=assessment.version)


def _scheme(contract: Contract) -> AssessmentScheme:
    scheme = AssessmentScheme.objects.filter(contract=contract).first()
    if scheme is None:
        raise ServiceError(_("The contract has no assessment scheme; add the assessment "
                             "section to its spec first."))
    return scheme


def _save(assessment: Assessment, fields: list[str]) -> None:
    assessment.version += 1
    assessment.save(update_fields=[*fields, "version", "updated_at"])


def _line(line: AssessmentLine | int) -> AssessmentLine:
    pk = line.pk if isinstance(line, AssessmentLine) else line
    return AssessmentLine.objects.select_related("item").get(pk=pk)


def _factor(contract: Contract, method: str, score: Decimal | None,
            rating: str) -> Decimal | None:
    if method == Method.LEDGER:
        return _LEDGER_FACTOR
    if method == Method.SCORE:
        return factor_for(contract, score=score) if score is not None else None
    return factor_for(contract, rating=rating) if rating else None


def _refresh_result(assessment: Assessment, scheme: AssessmentScheme) -> list[str]:
    """Score or count met, rating, factor, breaches and penalties from the lines and the
    ledger (no metric is measured again)."""
    lines = list(assessment.lines.all())
    figures = outcome(scheme.method, [LineFigures(points=line.points, met=line.met)
                                      for line in lines], scheme.grades or [])
    ledger = ledger_summary(assessment.contract, assessment.period_start,
                            assessment.period_end)
    assessment.score, assessment.criteria_met = figures.score, figures.criteria_met
    assessment.rating = figures.rating
    assessment.factor = _factor(assessment.contract, scheme.method, figures.score,
                                figures.rating)
    assessment.breach_count, assessment.penalties = ledger.count, ledger.penalties
    return ["score", "criteria_met", "rating", "factor", "breach_count", "penalties"]


def _figures(line: AssessmentLine, value: Decimal | None) -> tuple[Decimal | None, bool | None]:
    """The points (weighted item) or whether met (criterion) a value gives the line."""
    item = line.item
    if item.points is not None:
        if item.scoring == Scoring.PROPORTIONAL:
            return item_points(points=item.points, scoring=item.scoring, value=value,
                               entered=None), None
        return line.points, None
    return None, criterion_met(comparison=item.comparison, threshold=item.threshold,
                               value=value)


# -- create and compute ------------------------------------------------------------------


@transaction.atomic
def create_assessment(contract: Contract, user: User, start: datetime.date,
                      end: datetime.date, is_final: bool = False) -> Assessment:
    """A draft assessment of ``[start, end]`` (dates inclusive) within the service period;
    the final assessment covers the whole service period. One per period, one final."""
    _require(user, "assessment.add_assessment", contract,
             _("Your role may not create assessments of this contract."))
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    _scheme(locked)
    errors: dict[str, list[str]] = {}
    if start is None or end is None or end < start:
        errors["period_end"] = [_("The period ends on or after its first day.")]
    elif start < locked.start_date or end > locked.end_date:
        errors["period_start"] = [_("The period lies within the service period "
                                    "(%(start)s – %(end)s).")
                                  % {"start": locked.start_date, "end": locked.end_date}]
    elif is_final and (start, end) != (locked.start_date, locked.end_date):
        errors["is_final"] = [_("The final assessment covers the whole service period "
                                "(%(start)s – %(end)s).")
                              % {"start": locked.start_date, "end": locked.end_date}]
    if errors:
        raise ServiceError(errors)
    existing = Assessment.objects.filter(contract=locked)
    if is_final and existing.filter(is_final=True).exists():
        raise AssessmentConflict(_("The contract already has its final assessment."))
    if existing.filter(is_final=is_final, period_start__lte=end,
                       period_end__gte=start).exists():
        raise AssessmentConflict(_("An assessment of this contract already covers part of "
                                   "the period %(start)s – %(end)s.")
                                 % {"start": start, "end": end})
    return Assessment.objects.create(contract=locked, period_start=start, period_end=end,
                                     is_final=is_final, created_by=user)


def compute(assessment: Assessment | int, user: User, *,
            expected_version: int | None = None) -> Assessment:
    """(Re)compute a draft: synchronise the ledger, then measure every item of the scheme
    (``weibao.assessment.metrics.measure_all``) into its line. A line entered by hand keeps
    its entry; a line whose figures change is open for the vendor's review again."""
    from weibao.assessment.metrics import measure_all

    pk = assessment.pk if isinstance(assessment, Assessment) else assessment
    contract = Assessment.objects.select_related("contract").get(pk=pk).contract
    _require(user, "assessment.add_assessment", contract,
             _("Your role may not compute assessments of this contract."))
    sync_ledger(contract)
    with transaction.atomic():
        locked = locked_assessment(pk, expected_version)
        _state(locked, (AssessmentStatus.DRAFT,),
               _("Only a draft assessment is computed; this one is %(status)s."))
        scheme = _scheme(locked.contract)
        items = list(scheme.items.all())
        measured = measure_all(scheme, locked.period_start, locked.period_end)
        lines = {line.item_id: line for line in locked.lines.select_related("item")}
        locked.lines.exclude(item__in=[item.pk for item in items]).delete()
        new, changed = [], []
        for item in items:
            line = lines.get(item.pk)
            if line is None:
                line = AssessmentLine(assessment=locked, item=item)
                new.append(line)
            elif line.manual:
                continue
            else:
                changed.append(line)
            line.item = item
            m = measured.get(item.pk)
            value = None if item.metric == Metric.MANUAL or m is None else m.value
            before = (line.value, line.points, line.met)
            line.value = value
            line.numerator = None if m is None else m.numerator
            line.denominator = None if m is None else m.denominator
            line.points, line.met = _figures(line, value)
            if line.pk and before != (line.value, line.points, line.met) \
                    and line.status == LineStatus.AGREED:
                line.status = LineStatus.OPEN
        AssessmentLine.objects.bulk_create(new)
        AssessmentLine.objects.bulk_update(
            changed, ["value", "numerator", "denominator", "points", "met", "status"])
        fields = _refresh_result(locked, scheme)
        locked.computed_at = timezone.now()
        _save(locked, [*fields, "computed_at"])
    return locked


@transaction.atomic
def enter_manual(line: AssessmentLine | int, user: User, *, value: Decimal | None = None,
                 points: Decimal | None = None, met: bool | None = None, proof: Any = None,
                 note: str = "", expected_version: int | None = None) -> AssessmentLine:
    """The purchaser enters a line by hand with how it was established (and a proof): the
    value (a criterion is then compared with its threshold; a proportional item scored), the
    points of a weighted item (capped to its points), or whether a criterion is met."""
    row = _line(line)
    locked = locked_assessment(row.assessment_id, expected_version)
    _require(user, "assessment.change_assessmentline", locked,
             _("Your role may not enter assessment values of this contract."))
    _state(locked, (AssessmentStatus.DRAFT,),
           _("Values are entered while the assessment is a draft; this one is %(status)s."))
    row = AssessmentLine.objects.select_for_update().select_related("item").get(pk=row.pk)
    item = row.item
    errors: dict[str, list[str]] = {}
    if value is None and points is None and met is None:
        errors["value"] = [_("Enter the value, the points or whether the item is met.")]
    if points is not None and item.points is None:
        errors["points"] = [_("This item is a criterion: it is met or not, it has no "
                              "points.")]
    if met is not None and item.points is not None:
        errors["met"] = [_("This item is weighted: enter its points.")]
    if not (note or "").strip() and not proof:
        errors["proof_note"] = [_("Say how the value was established or attach a proof.")]
    if errors:
        raise ServiceError(errors)
    if value is not None:
        row.value = Decimal(value)
        row.points, row.met = _figures(row, row.value)
    if points is not None:
        row.points = item_points(points=item.points, scoring=Scoring.MANUAL, value=None,
                                 entered=Decimal(points))
    if met is not None:
        row.met = bool(met)
    row.manual, row.entered_by, row.entered_at = True, user, timezone.now()
    row.proof_note = (note or "").strip()
    if proof:
        row.proof = proof
    if row.status == LineStatus.AGREED:
        row.status = LineStatus.OPEN
    row.save()
    fields = _refresh_result(locked, _scheme(locked.contract))
    _save(locked, fields)
    return row


# -- review, confirm, decide -------------------------------------------------------------


@transaction.atomic
def review_line(line: AssessmentLine | int, vendor: User, agree: bool, comment: str = "", *,
                expected_version: int | None = None) -> AssessmentLine:
    """The vendor's manager agrees with a line or disputes it (a dispute says why)."""
    row = _line(line)
    locked = locked_assessment(row.assessment_id, expected_version)
    _require(vendor, "assessment.review_assessment", locked,
             _("Your role may not review assessments of this contract."))
    _state(locked, (AssessmentStatus.DRAFT,),
           _("The vendor reviews a draft assessment; this one is %(status)s."))
    if locked.computed_at is None:
        raise AssessmentConflict(_("The assessment has not been computed yet."),
                                 version=locked.version)
    text = (comment or "").strip()
    if not agree and not text:
        raise ServiceError({"vendor_comment": [_("Say why the item is disputed.")]})
    AssessmentLine.objects.filter(pk=row.pk).update(
        status=LineStatus.AGREED if agree else LineStatus.DISPUTED, vendor_comment=text)
    _save(locked, [])
    row.refresh_from_db()
    return row


@transaction.atomic
def submit_review(assessment: Assessment | int, vendor: User, *,
                  expected_version: int | None = None) -> Assessment:
    """The vendor's manager hands the reviewed assessment to the purchaser; every line is
    agreed or disputed."""
    locked = locked_assessment(assessment, expected_version)
    _require(vendor, "assessment.review_assessment", locked,
             _("Your role may not review assessments of this contract."))
    _state(locked, (AssessmentStatus.DRAFT,),
           _("The review was already submitted; the assessment is %(status)s."))
    if locked.computed_at is None:
        raise AssessmentConflict(_("The assessment has not been computed yet."),
                                 version=locked.version)
    open_lines = locked.lines.filter(status=LineStatus.OPEN).count()
    if open_lines:
        raise AssessmentConflict(_("Agree with or dispute every item first (%(count)s still "
                                   "open).") % {"count": open_lines}, version=locked.version)
    locked.status = AssessmentStatus.VENDOR_REVIEWED
    locked.reviewed_by, locked.reviewed_at = vendor, timezone.now()
    _save(locked, ["status", "reviewed_by", "reviewed_at"])
    return locked


def _decide(row: AssessmentLine, user: User, points: Decimal | None, met: bool | None,
            decision: str) -> None:
    item = row.item
    errors: dict[str, list[str]] = {}
    if row.status != LineStatus.DISPUTED:
        raise AssessmentConflict(_("Only a disputed item is decided."))
    if item.points is not None and points is None:
        errors["points"] = [_("Give the points the item earns.")]
    if item.points is None and met is None:
        errors["met"] = [_("Say whether the criterion is met.")]
    if not (decision or "").strip():
        errors["decision"] = [_("Give the reason of the decision.")]
    if errors:
        raise ServiceError(errors)
    if item.points is not None:
        row.points = item_points(points=item.points, scoring=Scoring.MANUAL, value=None,
                                 entered=Decimal(points))  # type: ignore[arg-type]
    else:
        row.met = bool(met)
    row.status, row.decision = LineStatus.DECIDED, decision.strip()
    row.decided_by, row.decided_at = user, timezone.now()
    row.save(update_fields=["points", "met", "status", "decision", "decided_by",
                            "decided_at"])


@transaction.atomic
def confirm(assessment: Assessment | int, purchaser: User, *,
            notes: Mapping[int, str] | None = None,
            decisions: Mapping[int, Mapping[str, Any]] | None = None,
            expected_version: int | None = None) -> Assessment:
    """The purchaser confirms the reviewed assessment, with a note per line if need be (the
    vendor's comments are never changed). Without a supervisor party the purchaser decides
    the disputed lines here: ``decisions={line_id: {"points"|"met": …, "decision": …}}``."""
    locked = locked_assessment(assessment, expected_version)
    _require(purchaser, "assessment.confirm_assessment", locked,
             _("Your role may not confirm assessments of this contract."))
    _state(locked, (AssessmentStatus.VENDOR_REVIEWED,),
           _("Only an assessment the vendor reviewed is confirmed; this one is %(status)s."))
    lines = {row.pk: row for row in locked.lines.select_related("item")}
    unknown = set(notes or {}) | set(decisions or {})
    if unknown - set(lines):
        raise ServiceError({"notes": [_("A note names an item of another assessment.")]})
    for pk, text in (notes or {}).items():
        lines[pk].purchaser_note = (text or "").strip()
        lines[pk].save(update_fields=["purchaser_note"])
    if decisions:
        if has_supervisor(locked.contract):
            raise AssessmentConflict(_("The supervisor decides the disputed items."),
                                     version=locked.version)
        for pk, decided in decisions.items():
            _decide(lines[pk], purchaser, decided.get("points"), decided.get("met"),
                    str(decided.get("decision", "")))
    locked.status = AssessmentStatus.CONFIRMED
    locked.confirmed_by, locked.confirmed_at = purchaser, timezone.now()
    fields = _refresh_result(locked, _scheme(locked.contract))
    _save(locked, [*fields, "status", "confirmed_by", "confirmed_at"])
    return locked


@transaction.atomic
def decide_line(line: AssessmentLine | int, supervisor: User, *,
                points: Decimal | None = None, met: bool | None = None, decision: str = "",
                expected_version: int | None = None) -> AssessmentLine:
    """The supervisor decides a disputed line: its points or whether it is met, and why."""
    row = _line(line)
    locked = locked_assessment(row.assessment_id, expected_version)
    _require(supervisor, "assessment.decide_assessment", locked,
             _("Your role may not decide assessment disputes of this contract."))
    _state(locked, (AssessmentStatus.VENDOR_REVIEWED, AssessmentStatus.CONFIRMED),
           _("Disputed items are decided after the vendor's review; the assessment is "
             "%(status)s."))
    row = AssessmentLine.objects.select_for_update().select_related("item").get(pk=row.pk)
    _decide(row, supervisor, points, met, decision)
    fields = _refresh_result(locked, _scheme(locked.contract))
    _save(locked, fields)
    return row


# -- finalise and result -----------------------------------------------------------------


def _text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def canonical_json(data: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the bytes the digest is taken of."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=_text).encode("utf-8")


def _snapshot(assessment: Assessment, scheme: AssessmentScheme) -> dict[str, Any]:
    contract = assessment.contract
    since, until = period_bounds(assessment.period_start, assessment.period_end)
    breaches = Breach.objects.filter(contract=contract, occurred_at__gte=since,
                                     occurred_at__lt=until).order_by("occurred_at", "pk")
    ledger = ledger_summary(contract, assessment.period_start, assessment.period_end)
    return {
        "contract": {"id": contract.pk, "number": contract.number,
                     "amount": _text(contract.amount)},
        "period": [_text(assessment.period_start), _text(assessment.period_end)],
        "is_final": assessment.is_final,
        "scheme": {"method": scheme.method, "total_points": _text(scheme.total_points),
                   "grades": scheme.grades or [],
                   "termination_breaches": scheme.termination_breaches,
                   "termination_penalty_percent": _text(scheme.termination_penalty_percent)},
        "factor_bands": [{"sequence": b.sequence, "above_score": _text(b.above_score),
                          "rating": b.rating, "factor": _text(b.factor)}
                         for b in contract.factor_bands.order_by("sequence")],
        "lines": [{"id": row.pk, "item": row.item.code, "name": row.item.name,
                   "metric": row.item.metric, "params": row.item.params,
                   "points_of_item": _text(row.item.points), "scoring": row.item.scoring,
                   "comparison": row.item.comparison, "threshold": _text(row.item.threshold),
                   "value": _text(row.value), "numerator": row.numerator,
                   "denominator": row.denominator, "manual": row.manual,
                   "proof_note": row.proof_note, "proof": row.proof.name or "",
                   "points": _text(row.points), "met": row.met, "status": row.status,
                   "vendor_comment": row.vendor_comment,
                   "purchaser_note": row.purchaser_note, "decision": row.decision}
                  for row in assessment.lines.select_related("item").order_by(
                      "item__sequence")],
        "breaches": [{"id": b.pk, "source": b.source, "occurred_at": _text(b.occurred_at),
                      "status": b.status, "penalty_percent": _text(b.penalty_percent),
                      "penalty_amount": _text(b.penalty_amount),
                      "counts": b.status in COUNTING} for b in breaches],
        "result": {"score": _text(assessment.score), "criteria_met": assessment.criteria_met,
                   "rating": assessment.rating, "factor": _text(assessment.factor),
                   "breach_count": assessment.breach_count,
                   "penalties": _text(assessment.penalties),
                   "termination_right": ledger.termination_right,
                   "termination_penalty": _text(ledger.termination_penalty)},
    }


@transaction.atomic
def finalise(assessment: Assessment | int, user: User, *,
             expected_version: int | None = None) -> Assessment:
    """The purchaser finalises a confirmed assessment whose disputes are all decided: the
    result is frozen in a snapshot with its SM3 digest; the contract's final assessment
    records the FINAL_ASSESSMENT event that prices the contract (PAY-03)."""
    locked = locked_assessment(assessment, expected_version)
    _require(user, "assessment.confirm_assessment", locked,
             _("Your role may not finalise assessments of this contract."))
    _state(locked, (AssessmentStatus.CONFIRMED,),
           _("Only a confirmed assessment is finalised; this one is %(status)s."))
    disputed = locked.lines.filter(status=LineStatus.DISPUTED).count()
    if disputed:
        raise AssessmentConflict(_("%(count)s disputed item(s) still wait for the "
                                   "supervisor's decision.") % {"count": disputed},
                                 version=locked.version)
    scheme = _scheme(locked.contract)
    fields = _refresh_result(locked, scheme)
    if (scheme.method == Method.SCORE and locked.score is None) or \
            (scheme.method == Method.CRITERIA and locked.criteria_met is None):
        raise AssessmentConflict(_("Some items have no points or are not decided yet."),
                                 version=locked.version)
    now = timezone.now()
    if locked.is_final:
        if locked.factor is None:
            raise AssessmentConflict(
                _("No factor band of the contract matches the result %(result)s; the final "
                  "price cannot be set.")
                % {"result": locked.rating or locked.score or locked.criteria_met},
                version=locked.version)
        event = record_contract_event(
            locked.contract, kind=ContractEventKind.FINAL_ASSESSMENT,
            occurred_on=timezone.localdate(now), actor=user, factor=locked.factor,
            score=locked.score, rating=locked.rating, penalties=locked.penalties,
            note=_("Final assessment in weibao: %(period)s")
            % {"period": f"{locked.period_start} – {locked.period_end}"})
        locked.contract_event = event
        fields.append("contract_event")
    locked.status = AssessmentStatus.FINAL
    locked.finalised_by, locked.finalised_at = user, now
    locked.snapshot = _snapshot(locked, scheme)
    locked.digest_algorithm = document_digest_algorithm()
    locked.digest = digest(canonical_json(locked.snapshot), locked.digest_algorithm)
    _save(locked, [*fields, "status", "finalised_by", "finalised_at", "snapshot", "digest",
                   "digest_algorithm"])
    seal_document(ASSESSMENT_DOCUMENT, locked.pk, locked.digest_algorithm, locked.digest)
    return locked


ASSESSMENT_DOCUMENT = "assessment.final"


def signed_assessments() -> Iterator[SignedDocument]:
    """Every finalised assessment with its frozen snapshot, for ``weibao audit documents``."""
    for assessment in (Assessment.objects.filter(status=AssessmentStatus.FINAL)
                       .only("pk", "snapshot", "digest", "period_start", "period_end")
                       .iterator()):
        yield SignedDocument(str(assessment.pk), partial(canonical_json, assessment.snapshot),
                             assessment.digest,
                             f"{assessment.period_start} – {assessment.period_end}")


@dataclass(frozen=True)
class AssessmentResult:
    """What the assessment decides: the score (ASM-01) or count met and rating (ASM-02),
    the payment factor, the counting breaches and their penalties, the termination right
    (ASM-03). ``complete`` is False while an item lacks its points or decision."""

    score: Decimal | None
    criteria_met: int | None
    rating: str
    factor: Decimal | None
    breach_count: int
    penalties: Decimal
    termination_right: bool
    termination_penalty: Decimal | None
    complete: bool
    final: bool


def result(assessment: Assessment) -> AssessmentResult:
    """The figures of the assessment: frozen ones for a final assessment (from its
    snapshot), else the current ones (the ledger read live)."""
    if assessment.status == AssessmentStatus.FINAL and assessment.snapshot:
        saved = assessment.snapshot["result"]

        def dec(name: str) -> Decimal | None:
            return None if saved.get(name) is None else Decimal(saved[name])

        return AssessmentResult(
            score=dec("score"), criteria_met=saved.get("criteria_met"),
            rating=saved.get("rating", ""), factor=dec("factor"),
            breach_count=saved.get("breach_count", 0), penalties=dec("penalties")
            or Decimal("0.00"), termination_right=bool(saved.get("termination_right")),
            termination_penalty=dec("termination_penalty"), complete=True, final=True)
    scheme = _scheme(assessment.contract)
    figures = outcome(scheme.method, [LineFigures(points=row.points, met=row.met)
                                      for row in assessment.lines.all()],
                      scheme.grades or [])
    ledger = ledger_summary(assessment.contract, assessment.period_start,
                            assessment.period_end)
    computed = assessment.computed_at is not None
    return AssessmentResult(
        score=figures.score, criteria_met=figures.criteria_met, rating=figures.rating,
        factor=_factor(assessment.contract, scheme.method, figures.score, figures.rating),
        breach_count=ledger.count, penalties=ledger.penalties,
        termination_right=ledger.termination_right,
        termination_penalty=ledger.termination_penalty,
        complete=computed and figures.complete, final=False)

