"""PLT-03: every asset record is audited; entries carry the contract id."""

from auditlog.registry import auditlog

from weibao.assets.models import (
    Asset,
    AssetEvent,
    AssetRelation,
    AssetType,
    Certificate,
    CertificateWarning,
    KitItem,
    Relocation,
)

for model in (AssetType, KitItem, Asset, AssetRelation, AssetEvent, Certificate,
              CertificateWarning, Relocation):
    auditlog.register(model)
