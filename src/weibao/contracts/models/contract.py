"""The contract (合同), its parties and their contacts (CON-01, CON-02)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.contracts.choices import ContractStatus, PartyRole
from weibao.core.models import Organisation, TimestampedModel

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["Contact", "Contract", "ContractParty", "ContractQuerySet"]


class ContractQuerySet(models.QuerySet["Contract"]):
    def visible_to(self, user: Any) -> ContractQuerySet:
        """PLT-01: the contracts the user's organisation is party to (all for administrators)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        if user.organisation_id is None:
            return self.none()
        return self.filter(
            pk__in=ContractParty.objects.filter(organisation_id=user.organisation_id).values(
                "contract_id"
            )
        )


class Contract(TimestampedModel):
    """A signed (or draft) maintenance contract: the source of every rule in weibao."""

    number = models.CharField(
        _("unified contract number"),
        max_length=60,
        unique=True,
        help_text=_("合同统一编号, the key of the contract spec."),
    )
    internal_number = models.CharField(_("internal number"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.SIGNED
    )
    amount = models.DecimalField(
        _("amount (CNY)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    signed_at = models.CharField(_("signing place"), max_length=100, blank=True)
    start_date = models.DateField(_("service start"))
    end_date = models.DateField(_("service end"))
    previous = models.ForeignKey(
        "self",
        verbose_name=_("renewal of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        help_text=_("The previous year's contract this one renews (CON-02)."),
    )
    procurement_note = models.CharField(
        _("procurement arrangement"),
        max_length=300,
        blank=True,
        help_text=_("E.g. one procurement for two years, signed year by year."),
    )
    no_subcontracting = models.BooleanField(
        _("subcontracting forbidden"),
        default=False,
        help_text=_("CON-05: third parties only with the purchaser's written consent."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "number"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        permissions = [
            ("import_spec", _("Can import a contract spec")),
            ("export_spec", _("Can export a contract spec")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="contract_period_ordered",
                violation_error_message=_("The service end must not be before the service start."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="contract_amount_gte_0",
                violation_error_message=_("The amount must not be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.pk}

    def is_visible_to(self, user: User) -> bool:
        if user.is_administrator:
            return True
        return (
            user.organisation_id is not None
            and self.parties.filter(organisation_id=user.organisation_id).exists()
        )

    def party(self, role: str) -> ContractParty | None:
        for party in self.parties.all():
            if party.role == role:
                return party
        return None

    @property
    def purchaser(self) -> ContractParty | None:
        return self.party(PartyRole.PURCHASER)

    @property
    def vendor(self) -> ContractParty | None:
        return self.party(PartyRole.VENDOR)

    def period_progress(self, today: datetime.date) -> int:
        """Share of the service period elapsed on ``today``, in whole percent (0–100)."""
        total = (self.end_date - self.start_date).days + 1
        done = (today - self.start_date).days + 1
        return max(0, min(100, round(100 * done / total)))


class ContractParty(TimestampedModel):
    """An organisation's role in one contract, with the details printed in the contract."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="parties"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="contract_parties",
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    bank_name = models.CharField(_("bank"), max_length=120, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=60, blank=True)

    class Meta:
        ordering = ["contract", "role"]
        verbose_name = _("contract party")
        verbose_name_plural = _("contract parties")
        constraints = [
            models.UniqueConstraint(fields=["contract", "role", "organisation"],
                                    name="party_unique_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.organisation}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.contract.is_visible_to(user)


class Contact(TimestampedModel):
    """A contact person of a party (联系人)."""

    party = models.ForeignKey(
        ContractParty, verbose_name=_("party"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    title = models.CharField(_("position"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["party", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.party.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.party.contract.is_visible_to(user)
