"""Choices of the assets domain (AST-01..09)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AssetCategory",
    "AssetStatus",
    "AttributeKind",
    "CertificateKind",
    "CertificateState",
    "EventKind",
    "Importance",
    "RelationKind",
    "VerificationResult",
    "WarrantyState",
]


class AssetCategory(models.TextChoices):
    HARDWARE = "hardware", _("hardware")
    SOFTWARE = "software", _("software")
    INFORMATION_SYSTEM = "information_system", _("information system")
    LINE = "line", _("line / channel")
    PRODUCT_SOFTWARE = "product_software", _("product software")
    CERTIFICATE = "certificate", _("digital certificate")
    E_SEAL = "e_seal", _("e-seal")


class AttributeKind(models.TextChoices):
    STRING = "string", _("text")
    INTEGER = "integer", _("whole number")
    DECIMAL = "decimal", _("decimal number")
    DATE = "date", _("date")
    BOOLEAN = "boolean", _("yes / no")
    CHOICE = "choice", _("choice")


class AssetStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("in service")
    SPARE = "spare", _("spare")
    RELOCATED = "relocated", _("relocated")
    DECOMMISSIONED = "decommissioned", _("decommissioned")
    MISSING = "missing", _("missing")


class WarrantyState(models.TextChoices):
    IN_WARRANTY = "in_warranty", _("in warranty")
    OUT_OF_WARRANTY = "out_of_warranty", _("out of warranty")
    UNKNOWN = "unknown", _("unknown")


class Importance(models.TextChoices):
    """系统重要等级 (AST-04): 重要 / 一般."""

    IMPORTANT = "important", _("important")
    GENERAL = "general", _("general")


class RelationKind(models.TextChoices):
    RUNS_ON = "runs_on", _("runs on")
    DEPENDS_ON = "depends_on", _("depends on")
    BACKS_UP = "backs_up", _("backs up")
    CONNECTS = "connects", _("connects")


class EventKind(models.TextChoices):
    """Kinds of device-archive entries (设备档案, AST-03)."""

    INSTALLATION = "installation", _("installation")
    MAINTENANCE = "maintenance", _("maintenance")
    REPAIR = "repair", _("repair")
    PART_REPLACEMENT = "part_replacement", _("part replacement")
    RELOCATION = "relocation", _("relocation")
    VERIFICATION = "verification", _("verification")
    DECOMMISSION = "decommission", _("decommissioning")
    NOTE = "note", _("note")


class CertificateKind(models.TextChoices):
    CERTIFICATE = "certificate", _("digital certificate")
    E_SEAL = "e_seal", _("e-seal")


class CertificateState(models.TextChoices):
    """Lifecycle of a certificate or e-seal (AST-07); "expired" is derived from the date."""

    APPLIED = "applied", _("applied")
    ISSUED = "issued", _("issued")
    IMPORTED = "imported", _("imported")
    RENEWED = "renewed", _("renewed")
    REISSUED = "reissued", _("reissued")
    REVOKED = "revoked", _("revoked")


class VerificationResult(models.TextChoices):
    PRESENT = "present", _("present")
    MISSING = "missing", _("missing")
    MISMATCH = "mismatch", _("mismatch")
