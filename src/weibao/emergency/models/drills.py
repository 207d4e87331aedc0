"""Drills (应急演练, EMG-02 [002 §9.1.1 2]): the rules from the contract spec and the drills
scheduled from them, each with its scenario, script, training, record, photos and summary."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.emergency.choices import DrillStatus, DrillSystems, Term
from weibao.sites.models import ContractOwned

__all__ = ["OPEN_DRILL_STATES", "Drill", "DrillPhoto", "DrillRule"]

OPEN_DRILL_STATES = (DrillStatus.SCHEDULED,)


class DrillRule(ContractOwned):
    """``emergency.drills`` of the spec: ``count`` drills of each system of ``systems`` per
    ``per`` (the service term or each contract year)."""

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    systems = models.CharField(_("systems"), max_length=20, choices=DrillSystems.choices)
    count = models.PositiveSmallIntegerField(_("drills"))
    per = models.CharField(_("per"), max_length=10, choices=Term.choices, default=Term.TERM)
    missed_is_breach = models.BooleanField(_("a missed drill is a breach"), default=False)
    penalty_percent = models.DecimalField(_("penalty (% of the contract)"), max_digits=6,
                                          decimal_places=3, null=True, blank=True)
    clause = models.TextField(_("clause"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["contract", "order", "code"]
        verbose_name = _("drill rule")
        verbose_name_plural = _("drill rules")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="emergency_drill_rule_code")]

    def __str__(self) -> str:
        return self.name


class Drill(ContractOwned):
    """One drill of one system, due within ``[window_start, window_end)``. Held on time it is
    ``held``; still open at the window's end it is ``missed`` (and, when its rule says so, a
    breach recorded once: ``breach_recorded_at``, which the assessment ledger reads); held
    after that it is ``late``."""

    rule = models.ForeignKey(DrillRule, verbose_name=_("drill rule"), on_delete=models.PROTECT,
                             related_name="drills")
    system = models.ForeignKey("assets.Asset", verbose_name=_("system"),
                               on_delete=models.PROTECT, related_name="drills")
    sequence = models.PositiveSmallIntegerField(_("number"))
    window_start = models.DateTimeField(_("window start"))
    window_end = models.DateTimeField(_("window end"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=DrillStatus.choices,
                              default=DrillStatus.SCHEDULED)
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    scenario = models.TextField(_("scenario"), blank=True, help_text=_("典型场景与演练方案."))
    script = models.TextField(_("script"), blank=True, help_text=_("演练脚本."))
    training = models.TextField(_("training"), blank=True, help_text=_("演练培训."))
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL,
                                          verbose_name=_("participants"), blank=True,
                                          related_name="drills")
    other_participants = models.CharField(_("other participants"), max_length=300,
                                          blank=True)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    record = models.TextField(_("record"), blank=True, help_text=_("演练过程记录."))
    summary = models.TextField(_("summary report"), blank=True, help_text=_("演练总结报告."))
    summary_file = models.FileField(_("summary report file"), upload_to="drills/%Y/%m/",
                                    blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    breach_recorded_at = models.DateTimeField(_("breach recorded at"), null=True, blank=True)
    penalty_percent = models.DecimalField(_("penalty (% of the contract)"), max_digits=6,
                                          decimal_places=3, null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["contract", "window_end", "pk"]
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        permissions = [("record_drill", _("Can record a drill"))]
        constraints = [models.UniqueConstraint(fields=["rule", "system", "sequence"],
                                               name="emergency_drill_unique")]
        indexes = [models.Index(fields=["contract", "status", "window_end"],
                                name="emergency_drill_status")]

    def __str__(self) -> str:
        return f"{self.rule.name} · {self.system} #{self.sequence}"


class DrillPhoto(ContractOwned):
    drill = models.ForeignKey(Drill, verbose_name=_("drill"), on_delete=models.CASCADE,
                              related_name="photos")
    image = models.ImageField(_("photo"), upload_to="drills/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["drill", "pk"]
        verbose_name = _("drill photo")
        verbose_name_plural = _("drill photos")

    def __str__(self) -> str:
        return self.caption or str(self.image.name)
