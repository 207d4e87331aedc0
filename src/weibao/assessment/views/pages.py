"""The assessment pages (ASM-03..06, PAY-03): the breach ledger with its counts, penalty
total and termination right; a breach with its evidence and the steps of each role; the
assessments of a contract; an assessment with every line's measurement, evidence, manual
entry, comments and decision, its result and the settlement. Queries stay constant in the
number of rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.assessment.choices import AssessmentStatus, BreachStatus, LineStatus, Metric, Scoring
from weibao.assessment.filtersets import AssessmentFilterSet, BreachFilterSet
from weibao.assessment.forms import (
    ApplyPenaltyForm,
    ConfirmForm,
    CreateAssessmentForm,
    DecideBreachForm,
    DecideLineForm,
    ManualEntryForm,
    ReasonForm,
    ReviewLineForm,
    VersionForm,
)
from weibao.assessment.models import Assessment, AssessmentLine, AssessmentScheme, Breach
from weibao.assessment.selectors import visible_assessments, visible_breaches
from weibao.assessment.services.ledger import has_supervisor
from weibao.assessment.tables import (
    AssessmentTable,
    BreachTable,
    assessment_badge,
    breach_badge,
    evidence_label,
    evidence_url,
    result_text,
)
from weibao.assessment.views.common import AssessmentMixin, BreachMixin
from weibao.contracts.models import Contract
from weibao.contracts.selectors import visible_contracts
from weibao.utils.views import ContractScopedMixin, PermissionMixin, render_page

__all__ = [
    "AssessmentListView",
    "AssessmentView",
    "BreachEvidenceView",
    "BreachView",
    "ContractAssessmentsView",
    "LedgerView",
    "LineEvidenceView",
    "LineProofView",
    "assessment_context",
    "breach_context",
    "contract_context",
    "download",
]

COUNTING = (BreachStatus.RECORDED, BreachStatus.DISPUTED, BreachStatus.CONFIRMED)


def _table_template(request: HttpRequest, template: str) -> list[str]:
    htmx = getattr(request, "htmx", None)
    if htmx and not getattr(htmx, "boosted", False):
        return ["core/partials/object_table.html"]
    return [template]


def termination_rights(breaches: QuerySet[Breach]) -> list[dict[str, Any]]:
    """ASM-03: the contracts among these breaches whose counting breaches reach their
    scheme's termination threshold (one grouped query)."""
    rows = (breaches.filter(status__in=COUNTING,
                            contract__assessment_scheme__termination_breaches__gt=0)
            .values("contract_id", "contract__number",
                    "contract__assessment_scheme__termination_breaches")
            .annotate(count=Count("id")).order_by("contract__number"))
    return [{"contract_id": row["contract_id"], "number": row["contract__number"],
             "count": row["count"],
             "threshold": row["contract__assessment_scheme__termination_breaches"]}
            for row in rows
            if row["count"] >= row["contract__assessment_scheme__termination_breaches"]]


class LedgerView(PermissionMixin, SingleTableMixin, FilterView):
    """违约记录: the breaches the user may see with the API's filters, the counts by status,
    the penalty total of the counting ones and each contract's termination right."""

    permission_required = "assessment.view_breach"
    filterset_class = BreachFilterSet
    table_class = BreachTable
    paginate_by = 50
    template_name = "assessment/ledger.html"

    def get_queryset(self) -> QuerySet[Breach]:
        return (visible_breaches(self.request.user)
                .select_related("sla_alert__ticket").order_by("-occurred_at", "-pk"))

    def get_template_names(self) -> list[str]:
        return _table_template(self.request, self.template_name)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = self.object_list
        figures = rows.aggregate(
            total=Count("id"),
            penalties=Sum("penalty_amount", filter=Q(status__in=COUNTING)),
            **{status: Count("id", filter=Q(status=status)) for status in BreachStatus.values})
        context["counts"] = [(BreachStatus(s).label, s, figures[s]) for s in BreachStatus.values]
        context["total"] = figures["total"]
        context["penalties"] = figures["penalties"] or Decimal("0.00")
        context["termination"] = termination_rights(rows)
        contract = self.filterset.form.cleaned_data.get("contract") if (
            self.filterset.form.is_valid()) else None
        context["contract"] = contract
        if contract is not None and self.request.user.has_perm("assessment.add_breach"):
            context["penalty_form"] = ApplyPenaltyForm(contract=contract)
        return context


def breach_context(request: HttpRequest, breach: Breach) -> dict[str, Any]:
    """What the breach page shows and the steps the user's role may take now."""
    user = request.user
    status = breach.status
    version = {"version": breach.version}
    return {
        "breach": breach, "badge": breach_badge(breach),
        "evidence_url": evidence_url(breach), "evidence_label": evidence_label(breach),
        "can_dispute": (user.has_perm("assessment.dispute_breach")
                        and status == BreachStatus.RECORDED),
        "can_waive": (user.has_perm("assessment.waive_breach")
                      and status in (BreachStatus.RECORDED, BreachStatus.DISPUTED)),
        "can_confirm": (user.has_perm("assessment.waive_breach")
                        and status == BreachStatus.RECORDED),
        "can_decide": (user.has_perm("assessment.decide_breach")
                       and status == BreachStatus.DISPUTED),
        "dispute_form": ReasonForm(initial=version, prefix="dispute"),
        "waive_form": ReasonForm(initial=version, prefix="waive"),
        "confirm_form": VersionForm(initial=version, prefix="confirm"),
        "decide_form": DecideBreachForm(initial=version, prefix="decide"),
    }


class BreachView(BreachMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_page(request, "assessment/breach.html",
                           breach_context(request, self.breach))


def download(field: Any) -> FileResponse:
    """A stored file as an attachment (404 when there is none)."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True,
                        filename=(field.name or "").rsplit("/", 1)[-1])


class BreachEvidenceView(BreachMixin, View):
    """Download the proof uploaded with a penalty by clause."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return download(self.breach.evidence)


class AssessmentListView(PermissionMixin, SingleTableMixin, FilterView):
    """考核: the assessments of the user's contracts."""

    permission_required = "assessment.view_assessment"
    filterset_class = AssessmentFilterSet
    table_class = AssessmentTable
    paginate_by = 50
    template_name = "assessment/assessment_list.html"

    def get_queryset(self) -> QuerySet[Assessment]:
        return visible_assessments(self.request.user).order_by("contract__number",
                                                               "-period_end", "-pk")

    def get_template_names(self) -> list[str]:
        return _table_template(self.request, self.template_name)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["contracts"] = (visible_contracts(self.request.user)
                                .filter(assessment_scheme__isnull=False).order_by("number"))
        return context


def contract_context(request: HttpRequest, contract: Contract) -> dict[str, Any]:
    """A contract's scheme, assessments, ledger summary and the form to start one."""
    from weibao.assessment.services.ledger import ledger_summary

    scheme = (AssessmentScheme.objects.filter(contract=contract)
              .prefetch_related("items").first())
    assessments = list(visible_assessments(request.user).filter(contract=contract)
                       .order_by("-period_end", "-pk"))
    for assessment in assessments:
        assessment.badge = assessment_badge(assessment)  # type: ignore[attr-defined]
        assessment.result = result_text(assessment)  # type: ignore[attr-defined]
    can_create = request.user.has_perm("assessment.add_assessment") and scheme is not None
    return {"contract": contract, "scheme": scheme, "assessments": assessments,
            "summary": ledger_summary(contract), "can_create": can_create,
            "create_form": CreateAssessmentForm(initial={
                "period_start": contract.start_date, "period_end": contract.end_date})}


class ContractAssessmentsView(ContractScopedMixin, View):
    permission_required = "assessment.view_assessment"
    contract_kwarg = "contract_pk"

    def get(self, request: HttpRequest, contract_pk: int) -> HttpResponse:
        return render_page(request, "assessment/contract.html",
                           contract_context(request, self.contract))


def _enterable(line: AssessmentLine) -> bool:
    """A line a person fills in: a manual metric, or a weighted item scored by hand."""
    return line.item.metric == Metric.MANUAL or line.item.scoring == Scoring.MANUAL


def _choice(met: bool | None) -> str:
    return "" if met is None else ("true" if met else "false")


def assessment_context(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    """Everything the assessment page shows, and the forms of the steps the user's role may
    take in its current state."""
    from weibao.assessment.services.settlement import settlement as settle

    user = request.user
    status = assessment.status
    lines = list(AssessmentLine.objects.filter(assessment=assessment)
                 .select_related("item", "entered_by", "decided_by")
                 .order_by("item__sequence", "pk"))
    scheme = AssessmentScheme.objects.filter(contract_id=assessment.contract_id).first()
    draft = status == AssessmentStatus.DRAFT
    can_enter = user.has_perm("assessment.change_assessmentline") and draft
    can_review = user.has_perm("assessment.review_assessment") and draft
    can_decide = (user.has_perm("assessment.decide_assessment")
                  and status in (AssessmentStatus.VENDOR_REVIEWED, AssessmentStatus.CONFIRMED))
    from weibao.assessment.views.evidence import line_definitions

    definitions = line_definitions(assessment, lines)
    rows = []
    for line in lines:
        version = {"version": assessment.version}
        rows.append({
            "line": line, "definition": definitions.get(line.pk, ""),
            "enterable": _enterable(line),
            "can_enter": can_enter and _enterable(line),
            "can_review": can_review,
            "can_decide": can_decide and line.status == LineStatus.DISPUTED,
            "enter_form": ManualEntryForm(prefix=f"enter-{line.pk}", initial={
                **version, "value": line.value, "points": line.points,
                "met": _choice(line.met), "note": line.proof_note}),
            "review_form": ReviewLineForm(prefix=f"review-{line.pk}", initial={
                **version, "agree": "false" if line.status == LineStatus.DISPUTED else "true",
                "comment": line.vendor_comment}),
            "decide_form": DecideLineForm(prefix=f"decide-{line.pk}", initial={
                **version, "points": line.points,
                "met": _choice(line.met)}),
        })
    disputed = sum(1 for line in lines if line.status == LineStatus.DISPUTED)
    can_confirm = (user.has_perm("assessment.confirm_assessment")
                   and status == AssessmentStatus.VENDOR_REVIEWED)
    version = {"version": assessment.version}
    settlement = None
    if user.has_perm("assessment.view_assessment") and assessment.computed_at is not None:
        settlement = settle(assessment.contract, assessment)
    return {
        "assessment": assessment, "contract": assessment.contract, "scheme": scheme,
        "badge": assessment_badge(assessment), "result": result_text(assessment),
        "rows": rows, "disputed": disputed, "settlement": settlement,
        "weighted": scheme is not None and scheme.method == "score",
        "can_compute": user.has_perm("assessment.add_assessment") and draft,
        "can_submit_review": can_review and assessment.computed_at is not None,
        "can_confirm": can_confirm,
        "can_finalise": (user.has_perm("assessment.confirm_assessment")
                         and status == AssessmentStatus.CONFIRMED),
        "compute_form": VersionForm(initial=version, prefix="compute"),
        "submit_form": VersionForm(initial=version, prefix="submit"),
        "confirm_form": ConfirmForm(initial=version, prefix="confirm", lines=lines,
                                    deciding=can_confirm and not has_supervisor(
                                        assessment.contract)),
        "finalise_form": VersionForm(initial=version, prefix="finalise"),
    }


class AssessmentView(AssessmentMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_page(request, "assessment/assessment.html",
                           assessment_context(request, self.assessment))


class LineProofView(AssessmentMixin, View):
    """Download the proof of a manual entry."""

    def get(self, request: HttpRequest, pk: int, line_pk: int) -> FileResponse:
        line = get_object_or_404(AssessmentLine.objects.filter(assessment=self.assessment),
                                 pk=line_pk)
        return download(line.proof)


class LineEvidenceView(AssessmentMixin, View):
    """The records behind a line's value (the tickets, visits, reports or breaches counted),
    each linked to its page."""

    def get(self, request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
        from weibao.assessment.views.evidence import evidence_rows

        line = get_object_or_404(AssessmentLine.objects.filter(assessment=self.assessment)
                                 .select_related("item"), pk=line_pk)
        return render_page(request, "assessment/evidence.html", {
            "assessment": self.assessment, "line": line,
            "rows": evidence_rows(line, self.assessment)})
