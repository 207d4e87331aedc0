"""Models of the assets domain, split by subdomain."""

from weibao.assets.models.archive import AssetEvent
from weibao.assets.models.assets import Asset, AssetQuerySet, AssetRelation
from weibao.assets.models.certificates import EXPIRED, Certificate, CertificateWarning
from weibao.assets.models.relocations import Relocation
from weibao.assets.models.types import AssetType, KitItem

__all__ = [
    "EXPIRED",
    "Asset",
    "AssetEvent",
    "AssetQuerySet",
    "AssetRelation",
    "AssetType",
    "Certificate",
    "CertificateWarning",
    "KitItem",
    "Relocation",
]
