"""Visits (巡检/维护) and what they record: checklist results, photos, and the signed
maintenance sheet (受理网点维护单, PM-02) whose versions are never altered."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.assets.models import Asset
from weibao.maintenance.choices import ItemKind, VisitStatus
from weibao.maintenance.models.plans import MaintenancePlan, MajorEvent
from weibao.sites.models import ContractOwned, Site

__all__ = ["Visit", "VisitPhoto", "VisitResult", "VisitSheet"]

OPEN_STATES = (VisitStatus.PLANNED, VisitStatus.IN_PROGRESS)


class Visit(ContractOwned):
    """One due check of one plan: a site, an asset, or the contract's systems, within its
    window ``[window_start, window_end)``. ``key`` makes generation idempotent: a plan has at
    most one visit per target, window and daily slot."""

    plan = models.ForeignKey(MaintenancePlan, verbose_name=_("plan"), on_delete=models.PROTECT,
                             related_name="visits")
    key = models.CharField(max_length=120, editable=False)
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="visits")
    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="visits")
    event = models.ForeignKey(MajorEvent, verbose_name=_("major event"),
                              on_delete=models.PROTECT, null=True, blank=True,
                              related_name="visits")
    slot = models.CharField(_("check"), max_length=40, blank=True,
                            help_text=_("The named check of the day (e.g. morning)."))
    window_start = models.DateTimeField(_("counts from"))
    window_end = models.DateTimeField(_("counts until"),
                                      help_text=_("The visit must be done before this time."))
    planned_for = models.DateField(_("planned for"), null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("engineer"),
                                 on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="maintenance_visits")
    status = models.CharField(_("status"), max_length=20, choices=VisitStatus.choices,
                              default=VisitStatus.PLANNED)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("completed by"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    late = models.BooleanField(_("late"), default=False,
                               help_text=_("Done after the end of its window."))
    breach_recorded_at = models.DateTimeField(
        _("breach recorded at"), null=True, blank=True,
        help_text=_("PM-09: when the missed visit was recorded as a breach."))
    penalty_percent = models.DecimalField(
        _("penalty (% of the contract)"), max_digits=6, decimal_places=3, null=True,
        blank=True, help_text=_("The plan's penalty when the breach was recorded."))
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["window_start", "pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        permissions = [("perform_visit", _("Can carry out visits")),
                       ("plan_visit", _("Can move and reassign visits")),
                       ("sign_visit", _("Can sign maintenance sheets"))]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="visit_key_unique"),
            models.CheckConstraint(condition=models.Q(window_end__gt=models.F("window_start")),
                                   name="visit_window_ordered"),
        ]
        indexes = [
            models.Index(fields=["contract", "window_end"], name="visit_contract_end"),
            models.Index(fields=["assignee", "status", "window_start"],
                         name="visit_assignee_open"),
            models.Index(fields=["status", "window_end"], name="visit_status_end"),
        ]

    def __str__(self) -> str:
        target = self.site or self.asset or self.plan
        return f"{self.plan.code} · {target} · {self.window_start:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


class VisitResult(models.Model):
    """One checklist item's answer at a visit. The item's text and kind are copied, so the
    record stays readable when the checklist is later changed."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE,
                              related_name="results")
    item_code = models.CharField(_("item code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("item"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    value = models.JSONField(_("value"), null=True, blank=True)
    abnormal = models.BooleanField(_("abnormal"), default=False)
    note = models.TextField(_("note"), blank=True)
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"),
                               on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="visit_results",
                               help_text=_("PM-08: the ticket opened for an abnormal result."))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["visit", "order", "pk"]
        verbose_name = _("checklist result")
        verbose_name_plural = _("checklist results")
        constraints = [models.UniqueConstraint(fields=["visit", "item_code"],
                                               name="visit_result_unique")]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.item_code}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.visit.contract_id}


class VisitPhoto(models.Model):
    """A photo taken at a visit (resized on the server), for one item or the visit as a
    whole."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE,
                              related_name="photos")
    item_code = models.CharField(_("item code"), max_length=40, blank=True)
    image = models.ImageField(_("photo"), upload_to="visits/%Y/%m/", width_field="width",
                              height_field="height")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["visit", "uploaded_at", "pk"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return f"{self.visit_id} {self.item_code or '-'}"


class SheetImmutable(Exception):
    """A signed sheet version is never changed; a correction is a new version."""


class VisitSheet(models.Model):
    """One version of the visit's maintenance sheet: the PDF, its SM3 digest, the data it was
    made from and the signature. Version 1 is the signed original; each correction adds a
    version with the reason, the changes and who made them. Rows are never updated."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE,
                              related_name="sheets")
    version = models.PositiveSmallIntegerField(_("version"))
    pdf = models.FileField(_("PDF"), upload_to="visit-sheets/%Y/%m/")
    digest = models.CharField(_("digest"), max_length=128)
    digest_algorithm = models.CharField(_("digest algorithm"), max_length=20, default="sm3")
    snapshot = models.JSONField(_("recorded data"), default=dict)
    signer_name = models.CharField(_("signed by"), max_length=60, blank=True)
    signature = models.FileField(_("signature"), upload_to="signatures/%Y/%m/", blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    reason = models.TextField(_("reason for the correction"), blank=True)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"),
                                   on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        ordering = ["visit", "version"]
        verbose_name = _("maintenance sheet")
        verbose_name_plural = _("maintenance sheets")
        constraints = [models.UniqueConstraint(fields=["visit", "version"],
                                               name="visit_sheet_version_unique")]

    def __str__(self) -> str:
        return f"{self.visit_id} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise SheetImmutable("a maintenance sheet version cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise SheetImmutable("a maintenance sheet version cannot be deleted")

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.visit.contract_id}
