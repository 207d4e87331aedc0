"""AST-07: certificate lifecycle transitions (each legal and illegal) and expiry warnings."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from weibao.assets.choices import CertificateState
from weibao.assets.models import EXPIRED, Certificate, CertificateWarning
from weibao.assets.services import (
    TRANSITIONS,
    CertificateInput,
    create_certificate,
    raise_expiry_warnings,
    renew_certificate,
    transition_certificate,
)

D = datetime.date
LEGAL = [(state, name) for name, t in TRANSITIONS.items() for state in sorted(t.sources)]
ILLEGAL = [(state, name) for name, t in TRANSITIONS.items()
           for state in CertificateState.values if state not in t.sources]


JUNE_END = D(2026, 6, 30)


def _cert(contract, state=CertificateState.APPLIED, expires=JUNE_END):
    cert = create_certificate(contract, CertificateInput(holder="法人一证通", algorithm="SM2"),
                              None)
    Certificate.objects.filter(pk=cert.pk).update(state=state, issued_on=D(2025, 6, 30),
                                                  expires_on=expires)
    return Certificate.objects.get(pk=cert.pk)


@pytest.mark.parametrize(("state", "name"), LEGAL)
def test_ast07_legal_transition(world, state, name):
    cert = _cert(world.a, state)
    cert = transition_certificate(cert, name, None, issued_on=D(2026, 1, 1),
                                  expires_on=D(2027, 1, 1))
    assert cert.state == TRANSITIONS[name].target
    if TRANSITIONS[name].needs_dates:
        assert cert.expires_on == D(2027, 1, 1)


@pytest.mark.parametrize(("state", "name"), ILLEGAL)
def test_ast07_illegal_transition(world, state, name):
    cert = _cert(world.a, state)
    with pytest.raises(ValidationError):
        transition_certificate(cert, name, None, issued_on=D(2026, 1, 1),
                               expires_on=D(2027, 1, 1))
    cert.refresh_from_db()
    assert cert.state == state


def test_ast07_issue_needs_dates_in_order(world):
    cert = _cert(world.a)
    with pytest.raises(ValidationError) as exc:
        transition_certificate(cert, "issue", None, issued_on=D(2026, 1, 1),
                               expires_on=D(2025, 1, 1))
    assert "expires_on" in exc.value.message_dict
    with pytest.raises(ValidationError):
        transition_certificate(cert, "issue", None)


def test_ast07_expired_is_derived_from_the_date(world):
    cert = _cert(world.a, CertificateState.IMPORTED, expires=D(2025, 12, 31))
    assert cert.state_on(D(2025, 12, 31)) == "imported"
    assert cert.state_on(D(2026, 1, 1)) == EXPIRED
    cert.state = CertificateState.REVOKED
    assert cert.state_on(D(2026, 1, 1)) == "revoked"


def test_ast07_warnings_exactly_once_per_threshold_across_runs(world):
    cert = _cert(world.a, CertificateState.IMPORTED, expires=D(2026, 6, 30))
    _cert(world.a, CertificateState.REVOKED, expires=D(2026, 6, 30))  # revoked: no warning
    assert raise_expiry_warnings(D(2026, 3, 1)) == []  # 121 days left
    first = raise_expiry_warnings(D(2026, 4, 1))  # 90 days left
    assert [w.threshold_days for w in first] == [90]
    assert raise_expiry_warnings(D(2026, 4, 1)) == []  # second run: nothing new
    assert raise_expiry_warnings(D(2026, 4, 2)) == []
    assert [w.threshold_days for w in raise_expiry_warnings(D(2026, 6, 25))] == [30, 7]
    assert raise_expiry_warnings(D(2026, 6, 26)) == []
    assert sorted(CertificateWarning.objects.filter(certificate=cert)
                  .values_list("threshold_days", flat=True)) == [7, 30, 90]
    renewed = renew_certificate(cert, None, issued_on=D(2026, 6, 28), expires_on=D(2026, 9, 1))
    assert [w.threshold_days for w in raise_expiry_warnings(D(2026, 6, 28))] == [90]
    assert CertificateWarning.objects.filter(certificate=renewed).count() == 4
