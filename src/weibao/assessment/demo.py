"""Demo data of the assessment domain: after the other domains' demo data, the breach ledger
takes in every breach those records prove (SLA stages missed, visits missed, reports late).

Only the ledger synchronisation for now; assessments of a period (the cycle's services) are
left to a later step."""

from __future__ import annotations

from collections.abc import Callable

from weibao.assessment.services.ledger import sync_ledger

__all__ = ["load_demo"]


def load_demo(write: Callable[[str], object]) -> None:
    entered = sync_ledger()
    write(f"assessment: {entered} breaches entered in the ledger")
