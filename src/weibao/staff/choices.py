"""Choices of the staff app (STF-01)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    PROJECT_MANAGER = "project_manager", _("Project manager")
    DESIGN_ENGINEER = "design_engineer", _("Design engineer")
    ENGINEER = "engineer", _("Engineer")
    EXPERT = "expert", _("Expert group member")
