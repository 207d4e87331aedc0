"""PLT-03: every asset record is audited; entries carry the contract id.

The device archive (AssetEvent) and certificate warnings are append-only records that carry
their own actor and time; auditing them again would double every archive entry."""

from auditlog.registry import auditlog

from weibao.assets.models import (
    Asset,
    AssetRelation,
    AssetType,
    Certificate,
    KitItem,
    Relocation,
)

for model in (AssetType, KitItem, Asset, AssetRelation, Certificate, Relocation):
    auditlog.register(model)
