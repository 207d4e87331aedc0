"""Core models: organisations and their people."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core.choices import OrganisationKind, Role
from weibao.core.fields import EncryptedCharField

__all__ = ["Organisation", "TimestampedModel", "User", "WorkerHeartbeat"]


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*$",
    _("Use lower-case letters, digits and hyphens, starting with a letter or digit."),
)


class Organisation(TimestampedModel):
    """A party to contracts: purchaser 甲方, vendor 乙方, supervisor 监理方 or site owner."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[code_validator],
        help_text=_("Short identifier used in user names and URLs, e.g. sh-sbk."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """A person with their own account (PLT-01: no shared accounts)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    phone = EncryptedCharField(_("mobile phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        full = self.get_full_name()
        return full or self.username

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    @property
    def masked_phone(self) -> str:
        """PLT-02: phone numbers are masked on screen (138****5678)."""
        digits = self.phone
        if len(digits) < 7:
            return digits
        return f"{digits[:3]}****{digits[-4:]}"


class WorkerHeartbeat(models.Model):
    """Last time the background worker ran its periodic heartbeat; shown by /healthz."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class SavedFilter(models.Model):
    """A list's filters kept under a name by one user (issue 16), shown as a chip above that
    list on every browser the user signs in with."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_filters",
                             verbose_name=_("user"))
    path = models.CharField(_("list"), max_length=200)
    name = models.CharField(_("name"), max_length=40)
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["user", "path", "name"]
        constraints = [models.UniqueConstraint(fields=["user", "path", "name"],
                                               name="saved_filter_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path
