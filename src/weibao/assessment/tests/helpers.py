"""Shared by the API, permission and page tests of the assessment domain: an API client
per person and breaches in the ledger (late reports synchronised, a penalty by clause)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from weibao.assessment.models import Breach, PenaltyRule
from weibao.assessment.services.ledger import sync_ledger
from weibao.assessment.tests.conftest import at
from weibao.contracts.models import Contract
from weibao.core.models import User
from weibao.reports.models import Deliverable, Submission

__all__ = ["client_for", "late_report_breaches", "penalty_rule", "proof_file", "whole_period"]


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def late_report_breaches(contract: Contract, times: list[str],
                         percent: str = "1") -> list[Breach]:
    """Late reports the deliverables domain recorded as breaches, entered in the ledger."""
    deliverable = Deliverable.objects.filter(contract=contract).order_by("pk").first()
    assert deliverable is not None
    Submission.objects.bulk_create([
        Submission(contract=contract, deliverable=deliverable, key=f"late {when}",
                   period_start=at(when).date(), period_end=at(when).date(), due_at=at(when),
                   breach_recorded_at=at(when), penalty_percent=Decimal(percent))
        for when in times])
    sync_ledger(contract)
    return list(Breach.objects.filter(contract=contract).order_by("occurred_at", "pk"))


def penalty_rule(contract: Contract) -> PenaltyRule:
    rule, _created = PenaltyRule.objects.get_or_create(
        contract=contract, code="integrity-ui",
        defaults={"name": "违反廉洁协议", "min_percent": Decimal(1),
                  "max_percent": Decimal(5)})
    return rule


def whole_period(client: APIClient, contract: Contract, *, final: bool = True) -> dict[str, Any]:
    """The purchaser creates the assessment of the whole service period and computes it."""
    made = client.post("/api/assessment/assessments/", {
        "contract": contract.number, "period_start": str(contract.start_date),
        "period_end": str(contract.end_date), "is_final": final}, format="json")
    assert made.status_code == 201, made.json()
    computed = client.post(f"/api/assessment/assessments/{made.json()['id']}/compute/", {},
                           format="json")
    assert computed.status_code == 200, computed.json()
    return dict(computed.json())


def proof_file(name: str = "出勤记录.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 attendance sheet", content_type="application/pdf")
