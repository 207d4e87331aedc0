"""What must be checked, how often and by whom: checklist templates and maintenance plans
from the contract spec's ``maintenance`` section (PM-01..07), the major events that
``before_event`` plans follow, and which engineers cover which districts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.assets.models import AssetType
from weibao.maintenance.choices import DayRule, Frequency, ItemKind, PlanScope, SignatureRule
from weibao.sites.models import CODE_HELP, ContractOwned, District, SiteType

__all__ = ["ChecklistItem", "ChecklistTemplate", "EngineerArea", "MaintenancePlan",
           "MajorEvent"]


class ChecklistTemplate(ContractOwned):
    """检查表: the items an engineer fills at a visit (e.g. the 14 items of a 社保卡受理网点)."""

    code = models.CharField(_("code"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["contract", "code"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="checklist_code_unique")]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One line of a checklist. ``min_value``/``max_value`` bound what may be entered (a value
    outside is refused); ``normal_min``/``normal_max`` and ``abnormal_choices`` say which
    entered values are abnormal (PM-08: an abnormal result may open a ticket)."""

    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("checklist"),
                                 on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("item"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    required = models.BooleanField(_("required"), default=True)
    photo_required = models.BooleanField(
        _("photo required"), default=False,
        help_text=_("The item cannot be saved without at least one photo."))
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    min_value = models.DecimalField(_("lowest value"), max_digits=14, decimal_places=4,
                                    null=True, blank=True)
    max_value = models.DecimalField(_("highest value"), max_digits=14, decimal_places=4,
                                    null=True, blank=True)
    normal_min = models.DecimalField(_("normal from"), max_digits=14, decimal_places=4,
                                     null=True, blank=True)
    normal_max = models.DecimalField(_("normal up to"), max_digits=14, decimal_places=4,
                                     null=True, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    abnormal_choices = models.JSONField(_("abnormal choices"), default=list, blank=True)
    help_text = models.CharField(_("guidance"), max_length=300, blank=True)
    clause = models.CharField(_("contract clause"), max_length=300, blank=True)

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [models.UniqueConstraint(fields=["template", "code"],
                                               name="checklist_item_code_unique")]

    def __str__(self) -> str:
        return self.text

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.template.contract_id}


class MaintenancePlan(ContractOwned):
    """A recurring obligation to check something: what (sites of some types, assets of some
    types, or the contract's systems as a whole), how often, the checklist, who may do it, who
    signs the sheet, and whether a missed visit is a breach (PM-09)."""

    code = models.CharField(_("code"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("name"), max_length=200)
    checklist = models.ForeignKey(ChecklistTemplate, verbose_name=_("checklist"),
                                  on_delete=models.PROTECT, related_name="plans")
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    days = models.CharField(_("days"), max_length=20, choices=DayRule.choices,
                            default=DayRule.EVERY_DAY,
                            help_text=_("For daily plans: every day or working days only."))
    slots = models.JSONField(
        _("checks per day"), default=list, blank=True,
        help_text=_("Daily plans: the named checks of a day, e.g. morning and evening, each "
                    "with an optional time window."))
    scope = models.CharField(_("scope"), max_length=20, choices=PlanScope.choices)
    site_types = models.ManyToManyField(SiteType, verbose_name=_("site types"), blank=True,
                                        related_name="+")
    asset_types = models.ManyToManyField(AssetType, verbose_name=_("asset types"), blank=True,
                                         related_name="+")
    performer_roles = models.JSONField(
        _("done by"), default=list, blank=True,
        help_text=_("Roles whose users may carry out the visits."))
    signature = models.CharField(_("signed by"), max_length=20, choices=SignatureRule.choices,
                                 default=SignatureRule.NONE)
    sheet_title = models.CharField(_("sheet title"), max_length=100, blank=True)
    missed_is_breach = models.BooleanField(
        _("a missed visit is a breach"), default=False,
        help_text=_("PM-09: at the end of its window a visit not done is recorded as a breach."))
    penalty_percent = models.DecimalField(
        _("penalty per missed visit (% of the contract)"), max_digits=6, decimal_places=3,
        null=True, blank=True)
    clause = models.TextField(_("contract clause"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contract", "order", "code"]
        verbose_name = _("maintenance plan")
        verbose_name_plural = _("maintenance plans")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="maintenance_plan_code_unique")]

    def __str__(self) -> str:
        return self.name


class MajorEvent(ContractOwned):
    """重大活动 (PM-07): the purchaser's event; ``before_event`` plans fall due the day before."""

    name = models.CharField(_("name"), max_length=200)
    date = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["contract", "date"]
        verbose_name = _("major event")
        verbose_name_plural = _("major events")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class EngineerArea(ContractOwned):
    """An engineer's district: generated visits go to the engineers of the site's district,
    the least loaded first."""

    engineer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("engineer"),
                                 on_delete=models.CASCADE, related_name="maintenance_areas")
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.CASCADE,
                                 related_name="+")

    class Meta:
        ordering = ["contract", "district", "engineer"]
        verbose_name = _("engineer's district")
        verbose_name_plural = _("engineers' districts")
        constraints = [models.UniqueConstraint(fields=["contract", "engineer", "district"],
                                               name="engineer_area_unique")]

    def __str__(self) -> str:
        return f"{self.engineer} · {self.district}"
