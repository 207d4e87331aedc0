"""Choices of the imports domain: job status and commit mode (AST-10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ImportMode", "ImportStatus"]


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Validating")
    VALIDATED = "validated", _("Validated")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    VALID_ROWS = "valid_rows", _("Valid rows only")
