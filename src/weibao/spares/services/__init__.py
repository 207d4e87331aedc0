"""Writes of the spare-parts domain: every function is one transaction (SPR-02..04)."""

from weibao.spares.services.ledger import (
    adjust,
    issue,
    receive,
    return_faulty,
    scrap,
    transfer,
)
from weibao.spares.services.standby import lend_standby, return_standby

__all__ = ["adjust", "issue", "lend_standby", "receive", "return_faulty", "return_standby",
           "scrap", "transfer"]
