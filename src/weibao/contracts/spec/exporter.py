"""Export a contract to its spec; importing the result changes nothing (round trip)."""

from __future__ import annotations

from typing import Any

from weibao.contracts.models import Contract
from weibao.contracts.spec.loader import dump_yaml
from weibao.contracts.spec.registry import SPEC_VERSION, sections
from weibao.contracts.spec.sections import dump_contract

__all__ = ["export_data", "export_text"]


def export_data(contract: Contract) -> dict[str, Any]:
    data: dict[str, Any] = {"spec_version": SPEC_VERSION, "contract": dump_contract(contract)}
    for section in sections():
        if section.dump is None:
            continue
        value = section.dump(contract)
        if value is not None:
            data[section.key] = value
    return data


def export_text(contract: Contract) -> str:
    header = (
        f"# weibao contract spec — {contract.number} {contract.title}\n"
        "# Schema: /api/contract-spec/schema.json (docs/contract-spec.md)\n"
    )
    return header + dump_yaml(export_data(contract))
