"""Fixtures of the maintenance tests: seed 000's outlets contract (monthly visits, PM-01/02)
and seed 002's CA contract (twice-daily system checks, PM-03), one person per role, and
builders for checklists and plans that do not depend on the example specs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from weibao.contracts.models import Contract
from weibao.contracts.spec.importer import import_text
from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import User
from weibao.maintenance.choices import Frequency, ItemKind, PlanScope, SignatureRule
from weibao.maintenance.models import ChecklistItem, ChecklistTemplate, MaintenancePlan
from weibao.sites.models import District, Site, SiteType
from weibao.testing.factories import OrganisationFactory, UserFactory
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "contracts"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    """A Beijing time, e.g. at("2025-10-10 08:30")."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@dataclass
class Setup:
    contract: Contract
    people: dict[str, User]

    def site_type(self, code: str) -> SiteType:
        return SiteType.objects.get(contract=self.contract, code=code)

    def district(self, code: str) -> District:
        return District.objects.get(contract=self.contract, code=code)

    def add_site(self, code: str, *, site_type: str, district: str, **extra: Any) -> Site:
        return Site.objects.create(contract=self.contract, code=code, name=extra.pop(
            "name", f"网点{code}"), site_type=self.site_type(site_type),
            district=self.district(district), **extra)


def _setup(example: str, prefix: str) -> Setup:
    contract = import_text((EXAMPLES / example).read_text("utf-8")).contract
    vendor = contract.vendor.organisation  # type: ignore[union-attr]
    purchaser = contract.purchaser.organisation  # type: ignore[union-attr]
    other = OrganisationFactory(name=f"{prefix}无关单位", code=f"{prefix}-other",
                                kind=OrganisationKind.VENDOR)
    people = {
        "purchaser": UserFactory(username=f"{prefix}-purchaser", organisation=purchaser,
                                 role=Role.PURCHASER_STAFF, first_name="甲方"),
        "manager": UserFactory(username=f"{prefix}-manager", organisation=vendor,
                               role=Role.VENDOR_MANAGER),
        "engineer": UserFactory(username=f"{prefix}-engineer", organisation=vendor,
                                role=Role.VENDOR_ENGINEER),
        "engineer2": UserFactory(username=f"{prefix}-engineer2", organisation=vendor,
                                 role=Role.VENDOR_ENGINEER),
        "outsider": UserFactory(username=f"{prefix}-outsider", organisation=other,
                                role=Role.VENDOR_ENGINEER),
    }
    return Setup(contract, people)


@pytest.fixture
def outlets(db: None) -> Setup:
    """Seed 000: social-security card and residence-permit outlets, visited monthly."""
    return _setup("000-shanghai-sbk-outlets.yaml", "sbk")


@pytest.fixture
def ca(db: None) -> Setup:
    """Seed 002: CA / e-seal systems checked morning and evening (PM-03)."""
    return _setup("002-shanghai-hrss-ca-integration.yaml", "ca")


def make_checklist(contract: Contract, code: str = "outlet",
                   items: list[dict[str, Any]] | None = None) -> ChecklistTemplate:
    """A checklist; ``items`` are ChecklistItem fields (default: three simple items)."""
    template = ChecklistTemplate.objects.create(contract=contract, code=code, name=f"{code} 检查表")
    for order, fields in enumerate(items or [
            {"code": "hw", "text": "检查软硬件是否正常工作", "kind": ItemKind.PASS_FAIL},
            {"code": "version", "text": "核实使用软件版本", "kind": ItemKind.TEXT},
            {"code": "temp", "text": "机房温度", "kind": ItemKind.NUMBER, "unit": "℃",
             "min_value": Decimal("-20"), "max_value": Decimal("60"),
             "normal_min": Decimal("10"), "normal_max": Decimal("30")}], start=1):
        ChecklistItem.objects.create(template=template, order=order, **fields)
    return template


def make_plan(contract: Contract, code: str = "outlet-monthly", *,
              checklist: ChecklistTemplate | None = None,
              frequency: str = Frequency.MONTHLY, scope: str = PlanScope.SITE,
              site_types: list[SiteType] | None = None, **extra: Any) -> MaintenancePlan:
    extra.setdefault("signature", SignatureRule.SITE_STAFF)
    plan = MaintenancePlan.objects.create(
        contract=contract, code=code, name=extra.pop("name", f"{code} 计划"),
        checklist=checklist or make_checklist(contract, f"{code}-list"),
        frequency=frequency, scope=scope, **extra)
    if site_types:
        plan.site_types.set(site_types)
    return plan
