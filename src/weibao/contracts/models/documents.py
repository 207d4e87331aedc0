"""Contract documents (CON-03) and amendments (CON-06)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.contracts.choices import DocumentType
from weibao.contracts.models.contract import Contract
from weibao.core.models import TimestampedModel

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["Amendment", "ContractDocument"]


def document_path(instance: ContractDocument, filename: str) -> str:
    # A random prefix keeps two uploads with the same name apart and unguessable.
    return f"contracts/{instance.contract_id}/{uuid.uuid4().hex[:12]}/{filename}"


class ContractDocument(TimestampedModel):
    """A typed contract document. Listed in the spec; the file is uploaded when available."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="documents"
    )
    doc_type = models.CharField(_("type"), max_length=40, choices=DocumentType.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path, blank=True, max_length=300)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        "core.User",
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["contract", "doc_type", "title"]
        verbose_name = _("contract document")
        verbose_name_plural = _("contract documents")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "doc_type", "title"], name="document_unique_title"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.contract.is_visible_to(user)


class Amendment(TimestampedModel):
    """A signed change to the contract (合同变更). Later documents win at the same level."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="amendments"
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("signing date"))
    summary = models.TextField(_("summary of changes"), blank=True)
    document = models.ForeignKey(
        ContractDocument,
        verbose_name=_("document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["contract", "sequence"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="amendment_unique_seq")
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.title}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.contract.is_visible_to(user)
