"""Writes of the assets domain; every function runs in one transaction."""

from weibao.assets.services.archive import record_asset_event
from weibao.assets.services.assets import (
    AssetInput,
    add_relation,
    bulk_update_assets,
    create_asset,
    remove_relation,
    save_asset_type,
    update_asset,
)
from weibao.assets.services.attributes import check_definitions, clean_attributes
from weibao.assets.services.certificates import (
    TRANSITIONS,
    CertificateInput,
    allowed_transitions,
    create_certificate,
    import_certificate,
    issue_certificate,
    raise_expiry_warnings,
    reissue_certificate,
    renew_certificate,
    revoke_certificate,
    transition_certificate,
)
from weibao.assets.services.field import (
    VerificationLine,
    VerificationReport,
    district_label,
    relocate_asset,
    verify_site,
)

__all__ = [
    "TRANSITIONS",
    "AssetInput",
    "CertificateInput",
    "VerificationLine",
    "VerificationReport",
    "add_relation",
    "allowed_transitions",
    "bulk_update_assets",
    "check_definitions",
    "clean_attributes",
    "create_asset",
    "create_certificate",
    "district_label",
    "import_certificate",
    "issue_certificate",
    "raise_expiry_warnings",
    "record_asset_event",
    "reissue_certificate",
    "relocate_asset",
    "remove_relation",
    "renew_certificate",
    "revoke_certificate",
    "save_asset_type",
    "transition_certificate",
    "update_asset",
    "verify_site",
]
