"""Certificate and e-seal lifecycle (AST-07) as an explicit transition table, and the expiry
warnings raised at 90/30/7 days before the end."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.assets.choices import CertificateKind, CertificateState, EventKind
from weibao.assets.models import Certificate, CertificateWarning
from weibao.assets.services.archive import record_asset_event
from weibao.contracts.models import Contract

__all__ = [
    "TRANSITIONS",
    "WARNING_DAYS",
    "CertificateInput",
    "Transition",
    "allowed_transitions",
    "create_certificate",
    "import_certificate",
    "issue_certificate",
    "raise_expiry_warnings",
    "reissue_certificate",
    "renew_certificate",
    "revoke_certificate",
    "transition_certificate",
]

S = CertificateState
#: Days before expiry at which one warning each is recorded.
WARNING_DAYS = (90, 30, 7)


@dataclass(frozen=True)
class Transition:
    name: str
    label: Any
    sources: frozenset[str]
    target: str
    needs_dates: bool = False


_LIVE = frozenset({S.ISSUED, S.IMPORTED, S.RENEWED, S.REISSUED})
TRANSITIONS: dict[str, Transition] = {t.name: t for t in (
    Transition("issue", gettext_lazy("Issue"), frozenset({S.APPLIED}), S.ISSUED, True),
    Transition("import", gettext_lazy("Import"), frozenset({S.ISSUED, S.RENEWED, S.REISSUED}),
               S.IMPORTED),
    Transition("renew", gettext_lazy("Renew"), _LIVE, S.RENEWED, True),
    Transition("reissue", gettext_lazy("Reissue"), _LIVE, S.REISSUED, True),
    Transition("revoke", gettext_lazy("Revoke"), _LIVE | {S.APPLIED}, S.REVOKED),
)}


@dataclass
class CertificateInput:
    holder: str
    kind: str = CertificateKind.CERTIFICATE
    serial: str = ""
    issuer: str = ""
    algorithm: str = ""
    issued_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    notes: str = ""
    asset: Any = None


def allowed_transitions(certificate: Certificate) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if certificate.state in t.sources]


def create_certificate(contract: Contract, data: CertificateInput, actor: Any) -> Certificate:
    """Record an application (申请) for a certificate or e-seal."""
    errors: dict[str, list[str]] = {}
    if not data.holder.strip():
        errors["holder"] = [_("Give the holder.")]
    if data.kind not in CertificateKind.values:
        errors["kind"] = [_("Unknown kind.")]
    if data.asset is not None and data.asset.contract_id != contract.pk:
        errors["asset"] = [_("The asset belongs to another contract.")]
    if data.issued_on and data.expires_on and data.expires_on <= data.issued_on:
        errors["expires_on"] = [_("The expiry date must be after the issue date.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return Certificate.objects.create(contract=contract, holder=data.holder.strip(),
                                          kind=data.kind, serial=data.serial,
                                          issuer=data.issuer, algorithm=data.algorithm,
                                          issued_on=data.issued_on, expires_on=data.expires_on,
                                          notes=data.notes, asset=data.asset)


def transition_certificate(certificate: Certificate, name: str, actor: Any, *,
                           issued_on: datetime.date | None = None,
                           expires_on: datetime.date | None = None, serial: str = "",
                           note: str = "") -> Certificate:
    """Apply one lifecycle transition; refuses one the table does not allow from the state."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError(_("Unknown action %(name)s.") % {"name": name})
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.state not in transition.sources:
            raise ValidationError(
                _("Cannot %(action)s a certificate that is %(state)s.")
                % {"action": str(transition.label).lower(),
                   "state": CertificateState(locked.state).label})
        if transition.needs_dates:
            errors: dict[str, list[str]] = {}
            if issued_on is None:
                errors["issued_on"] = [_("Give the issue date.")]
            if expires_on is None:
                errors["expires_on"] = [_("Give the expiry date.")]
            elif issued_on is not None and expires_on <= issued_on:
                errors["expires_on"] = [_("The expiry date must be after the issue date.")]
            if errors:
                raise ValidationError(errors)
            locked.issued_on, locked.expires_on = issued_on, expires_on
        if serial:
            locked.serial = serial
        old = locked.state
        locked.state = transition.target
        locked.save()
        if locked.asset is not None:
            record_asset_event(locked.asset, EventKind.NOTE, timezone.now(), actor,
                               _("%(cert)s: %(old)s → %(new)s") % {
                                   "cert": locked, "old": CertificateState(old).label,
                                   "new": CertificateState(locked.state).label},
                               {"certificate": locked.pk, "transition": name, "note": note})
    return locked


def issue_certificate(certificate: Certificate, actor: Any, *, issued_on: datetime.date,
                      expires_on: datetime.date, serial: str = "") -> Certificate:
    return transition_certificate(certificate, "issue", actor, issued_on=issued_on,
                                  expires_on=expires_on, serial=serial)


def import_certificate(certificate: Certificate, actor: Any) -> Certificate:
    return transition_certificate(certificate, "import", actor)


def renew_certificate(certificate: Certificate, actor: Any, *, issued_on: datetime.date,
                      expires_on: datetime.date) -> Certificate:
    return transition_certificate(certificate, "renew", actor, issued_on=issued_on,
                                  expires_on=expires_on)


def reissue_certificate(certificate: Certificate, actor: Any, *, issued_on: datetime.date,
                        expires_on: datetime.date, serial: str = "") -> Certificate:
    return transition_certificate(certificate, "reissue", actor, issued_on=issued_on,
                                  expires_on=expires_on, serial=serial)


def revoke_certificate(certificate: Certificate, actor: Any, note: str = "") -> Certificate:
    return transition_certificate(certificate, "revoke", actor, note=note)


def raise_expiry_warnings(today: datetime.date,
                          thresholds: tuple[int, ...] = WARNING_DAYS) -> list[CertificateWarning]:
    """Record one warning per certificate, expiry date and threshold reached; run daily.

    Running twice on one day (or every day) records nothing new: the unique constraint on
    (certificate, expires_on, threshold) makes each warning exist exactly once. A renewed
    certificate has a new expiry date and gets its own warnings.
    """
    horizon = today + datetime.timedelta(days=max(thresholds))
    candidates = Certificate.objects.filter(
        state__in=list(_LIVE), expires_on__isnull=False, expires_on__gte=today,
        expires_on__lte=horizon)
    wanted = [
        CertificateWarning(contract_id=c.contract_id, certificate=c, threshold_days=days,
                           expires_on=c.expires_on, raised_on=today)
        for c in candidates for days in thresholds
        if c.expires_on is not None and (c.expires_on - today).days <= days
    ]
    if not wanted:
        return []
    with transaction.atomic():
        existing = set(CertificateWarning.objects.filter(
            certificate__in={w.certificate_id for w in wanted}).values_list(
            "certificate_id", "expires_on", "threshold_days"))
        new = [w for w in wanted
               if (w.certificate_id, w.expires_on, w.threshold_days) not in existing]
        CertificateWarning.objects.bulk_create(new, ignore_conflicts=True)
    return new
