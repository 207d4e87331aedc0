"""Choices of the core domain: organisation kinds and user roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["OrganisationKind", "Role"]


class OrganisationKind(models.TextChoices):
    PURCHASER = "purchaser", _("Purchaser (甲方)")
    VENDOR = "vendor", _("Vendor (乙方)")
    SUPERVISOR = "supervisor", _("Supervisor (监理方)")
    SITE_OWNER = "site_owner", _("Site owner")
    OPERATOR = "operator", _("Platform operator")


class Role(models.TextChoices):
    PURCHASER_STAFF = "purchaser_staff", _("Purchaser staff")
    VENDOR_MANAGER = "vendor_manager", _("Vendor manager")
    VENDOR_ENGINEER = "vendor_engineer", _("Vendor engineer")
    SITE_STAFF = "site_staff", _("Site staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMINISTRATOR = "administrator", _("Administrator")

    @classmethod
    def for_kind(cls, kind: str) -> list["Role"]:
        """Roles a person of an organisation of this kind may hold."""
        return {
            OrganisationKind.PURCHASER: [cls.PURCHASER_STAFF],
            OrganisationKind.VENDOR: [cls.VENDOR_MANAGER, cls.VENDOR_ENGINEER],
            OrganisationKind.SUPERVISOR: [cls.SUPERVISOR],
            OrganisationKind.SITE_OWNER: [cls.SITE_STAFF],
            OrganisationKind.OPERATOR: [cls.ADMINISTRATOR],
        }[OrganisationKind(kind)]
