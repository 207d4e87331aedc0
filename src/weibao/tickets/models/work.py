"""What the work on a ticket produces: fault report, satisfaction, return visits, requirement
changes and the knowledge base (TKT-06..09)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.core.models import TimestampedModel
from weibao.tickets.choices import ChangeDecision, ReportStatus
from weibao.tickets.models.tickets import Ticket

__all__ = ["Article", "ChangeBudget", "FaultReport", "RequirementChange", "ReturnVisit",
           "Satisfaction", "TicketPolicy"]


class FaultReport(TimestampedModel):
    """运维故障报告 (TKT-06): cause, actions, parts and prevention; verified by the purchaser."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="fault_report")
    cause = models.TextField(_("cause"))
    actions = models.TextField(_("actions taken"))
    parts_used = models.TextField(_("parts used"), blank=True)
    prevention = models.TextField(_("prevention"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"),
                               on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"),
                                 on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    signature = models.FileField(_("signature"), upload_to="signatures/%Y/%m/", blank=True)
    signer_name = models.CharField(_("signed by"), max_length=60, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="fault-reports/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("fault report")
        verbose_name_plural = _("fault reports")

    def __str__(self) -> str:
        return f"{self.ticket.number}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.ticket.contract_id}


class Satisfaction(models.Model):
    """满意度 (TKT-07): the reporter's rating 1–5 after restoration."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="satisfaction")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, related_name="+")
    rated_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        constraints = [models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5),
                                              name="rating_1_to_5")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.rating}"


class ReturnVisit(models.Model):
    """回访 (TKT-07): the vendor's follow-up with the reporter."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="return_visits")
    visited_at = models.DateTimeField(_("visited at"))
    method = models.CharField(_("method"), max_length=40, blank=True)
    notes = models.TextField(_("notes"))
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")

    class Meta:
        ordering = ["ticket", "visited_at"]
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.visited_at:%Y-%m-%d}"


class RequirementChange(TimestampedModel):
    """需求变更 (TKT-08): design document, workload estimate, in-scope threshold, and the
    supervisor's decision on a dispute."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE,
                                  related_name="requirement_change")
    design_document = models.FileField(_("design document"), upload_to="changes/%Y/%m/",
                                       blank=True)
    estimate_person_days = models.DecimalField(
        _("workload estimate (person-days)"), max_digits=8, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))])
    threshold_person_days = models.DecimalField(
        _("in-scope threshold (person-days)"), max_digits=8, decimal_places=1, null=True,
        blank=True, help_text=_("The contract's threshold when the estimate was recorded."))
    budget = models.CharField(_("budget"), max_length=40, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=ChangeDecision.choices,
                                default=ChangeDecision.PENDING)
    disputed = models.BooleanField(_("disputed"), default=False)
    dispute_reason = models.TextField(_("dispute"), blank=True)
    supervisor_decision = models.TextField(_("supervisor's decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("requirement change")
        verbose_name_plural = _("requirement changes")
        permissions = [("decide_requirementchange",
                        _("Can decide disputes about requirement changes"))]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.estimate_person_days}"

    @property
    def over_threshold(self) -> bool:
        """TKT-08 "少于2个人月的纳入": at or above the threshold is outside the contract."""
        return (self.threshold_person_days is not None
                and self.estimate_person_days >= self.threshold_person_days)

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.ticket.contract_id}


class Article(TimestampedModel):
    """知识库文章 (TKT-09): problem, cause, solution and tags, linked from tickets."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="articles")
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"))
    cause = models.TextField(_("cause"), blank=True)
    solution = models.TextField(_("solution"))
    tags = models.JSONField(_("tags"), default=list, blank=True)
    published = models.BooleanField(_("published"), default=True)
    source_ticket = models.ForeignKey(Ticket, verbose_name=_("from ticket"),
                                      on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="articles_written")
    tickets = models.ManyToManyField(Ticket, verbose_name=_("linked tickets"), blank=True,
                                     related_name="articles")
    search_text = models.TextField(editable=False, blank=True,
                                   help_text="Title, problem, cause, solution and tags in one "
                                             "field: substring search matches Chinese terms.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}

    def is_visible_to(self, user: object) -> bool:
        return self.contract.is_visible_to(user)  # type: ignore[arg-type]


class TicketPolicy(TimestampedModel):
    """A contract's ticket rules from the spec's ``tickets`` section (TKT-08 threshold)."""

    contract = models.OneToOneField(Contract, verbose_name=_("contract"),
                                    on_delete=models.CASCADE, related_name="ticket_policy")
    person_days_per_month = models.DecimalField(
        _("person-days per person-month"), max_digits=4, decimal_places=1,
        default=Decimal("22.0"))
    change_threshold_person_months = models.DecimalField(
        _("requirement changes included below (person-months)"), max_digits=6,
        decimal_places=2, null=True, blank=True,
        help_text=_("TKT-08: changes estimated at this or more are flagged (e.g. 2)."))

    class Meta:
        verbose_name = _("ticket rules")
        verbose_name_plural = _("ticket rules")

    def __str__(self) -> str:
        return str(self.contract_id)

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}

    @property
    def threshold_person_days(self) -> Decimal | None:
        if self.change_threshold_person_months is None:
            return None
        return (self.change_threshold_person_months * self.person_days_per_month).quantize(
            Decimal("0.1"))


class ChangeBudget(models.Model):
    """A person-day budget that requirement changes consume (TKT-08)."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="change_budgets")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    person_months = models.DecimalField(_("budget (person-months)"), max_digits=8,
                                        decimal_places=2)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contract", "order"]
        verbose_name = _("change budget")
        verbose_name_plural = _("change budgets")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="change_budget_unique")]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}
