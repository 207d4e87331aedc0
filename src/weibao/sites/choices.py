"""Choices of the sites domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["SiteStatus"]


class SiteStatus(models.TextChoices):
    ACTIVE = "active", _("in service")
    SUSPENDED = "suspended", _("suspended")
    CLOSED = "closed", _("closed")
