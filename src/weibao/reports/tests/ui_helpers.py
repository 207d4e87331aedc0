"""Shared data of the deliverables API and page tests: seed 000's outlets with a supervisor,
a monthly deliverable and submissions made directly (planning has its own tests)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from weibao.contracts.choices import PartyRole
from weibao.contracts.models import ContractParty
from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import User
from weibao.reports.choices import FileOrigin, ReportFormat, SubmissionStatus
from weibao.reports.models import Deliverable, ReportFile, Submission
from weibao.reports.tests.conftest import Setup, at, make_deliverable
from weibao.testing.factories import OrganisationFactory, UserFactory

__all__ = ["World", "add_file", "client_for", "make_submission", "world_of"]


@dataclass
class World:
    setup: Setup
    deliverable: Deliverable
    people: dict[str, User]

    @property
    def contract(self) -> Any:
        return self.setup.contract


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def world_of(setup: Setup) -> World:
    """The contract's people plus a supervisor, and a monthly report due on the 21st that
    is a breach when late."""
    supervision = OrganisationFactory(name="监理单位", code=f"{setup.contract.number}-sup",
                                      kind=OrganisationKind.SUPERVISOR)
    ContractParty.objects.create(contract=setup.contract, organisation=supervision,
                                 role=PartyRole.SUPERVISOR)
    people = dict(setup.people)
    people["supervisor"] = UserFactory(username=f"{setup.contract.number}-supervisor",
                                       organisation=supervision, role=Role.SUPERVISOR)
    deliverable = make_deliverable(setup.contract, "ui-monthly", name="运维月报",
                                   late_is_breach=True,
                                   sections=["tickets", "inspections"])
    return World(setup, deliverable, people)


def make_submission(world: World, month: str = "2025-10", *,
                    status: str = SubmissionStatus.PENDING,
                    deliverable: Deliverable | None = None, **extra: Any) -> Submission:
    """The submission covering calendar month ``month``, due on the 21st of the next."""
    year, number = (int(part) for part in month.split("-"))
    start = datetime.date(year, number, 1)
    following = datetime.date(year + number // 12, number % 12 + 1, 1)
    end = following - datetime.timedelta(days=1)
    owed = deliverable or world.deliverable
    return Submission.objects.create(
        contract=owed.contract, deliverable=owed, key=f"{month}:{owed.code}",
        period_start=start, period_end=end, status=status,
        due_at=extra.pop("due_at", at(f"{following:%Y-%m}-21 23:59")), **extra)


def add_file(submission: Submission, revision: int = 1, fmt: str = ReportFormat.PDF, *,
             origin: str = FileOrigin.GENERATED, snapshot: dict[str, Any] | None = None,
             content: bytes = b"%PDF-1.4 test") -> ReportFile:
    report = ReportFile(submission=submission, revision=revision, origin=origin, format=fmt,
                        digest="d" * 64, snapshot=snapshot or {})
    report.file.save(f"report-r{revision}.{fmt}", ContentFile(content), save=False)
    report.save()
    return report
