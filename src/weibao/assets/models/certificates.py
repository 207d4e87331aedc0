"""Digital certificates and e-seals (数字证书/电子印章, AST-07) and their expiry warnings."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.assets.choices import CertificateKind, CertificateState
from weibao.assets.models.assets import Asset
from weibao.sites.models import ContractOwned

__all__ = ["EXPIRED", "Certificate", "CertificateWarning"]

#: The derived state of a certificate past its expiry date (not stored).
EXPIRED = "expired"


class Certificate(ContractOwned):
    """数字证书 / 电子印章 with its lifecycle: 申请 → 签发 → 导入 → 更新/补发 → 吊销."""

    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices,
                            default=CertificateKind.CERTIFICATE)
    holder = models.CharField(_("holder"), max_length=200)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    algorithm = models.CharField(_("algorithm"), max_length=40, blank=True,
                                 help_text=_("e.g. SM2, RSA"))
    state = models.CharField(_("state"), max_length=20, choices=CertificateState.choices,
                             default=CertificateState.APPLIED)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    asset = models.ForeignKey(Asset, verbose_name=_("installed in"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="certificates")
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["contract", "expires_on", "pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [models.Index(fields=["state", "expires_on"], name="certificate_expiry")]

    def __str__(self) -> str:
        return f"{self.holder} ({self.get_kind_display()})"

    def state_on(self, day: datetime.date) -> str:
        """The stored state, or ``expired`` once past the expiry date (unless revoked)."""
        if (self.state != CertificateState.REVOKED and self.expires_on is not None
                and self.expires_on < day):
            return EXPIRED
        return self.state

    def days_left(self, day: datetime.date) -> int | None:
        return (self.expires_on - day).days if self.expires_on else None


class CertificateWarning(ContractOwned):
    """到期预警: raised once per certificate, expiry date and threshold (90/30/7 days)."""

    certificate = models.ForeignKey(Certificate, verbose_name=_("certificate"),
                                    on_delete=models.CASCADE, related_name="warnings")
    threshold_days = models.PositiveSmallIntegerField(_("days before expiry"))
    expires_on = models.DateField(_("expires on"))
    raised_on = models.DateField(_("raised on"))

    class Meta:
        ordering = ["-raised_on", "pk"]
        verbose_name = _("certificate expiry warning")
        verbose_name_plural = _("certificate expiry warnings")
        constraints = [models.UniqueConstraint(
            fields=["certificate", "expires_on", "threshold_days"],
            name="certificate_warning_once")]

    def __str__(self) -> str:
        return f"{self.certificate}: {self.threshold_days}"
