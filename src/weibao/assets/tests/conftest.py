"""Fixtures of the assets tests: contract A with sites, types, assets and a certificate."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from weibao.assets.models import Asset, Certificate
from weibao.assets.services import CertificateInput, create_certificate, relocate_asset
from weibao.assets.tests.helpers import Setup, make_setup
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)


@dataclass
class AssetWorld:
    world: Any
    setup: Setup
    other: Setup
    own: Asset  # at site1, owned by the site staff's organisation O1
    foreign: Asset  # at site2 (another organisation's site)
    outside: Asset  # contract B
    certificate: Certificate


@pytest.fixture
def aw(world: Any) -> AssetWorld:
    setup = make_setup(world.a)
    setup.site1.organisation = world.orgs["O1"]
    setup.site1.save()
    other = make_setup(world.b, prefix="b")
    own = setup.asset("网点一 PC", code="A-1", serial="SN-A1")
    foreign = setup.asset("网点二 PC", site=setup.site2, serial="SN-A2")
    outside = other.asset("合同乙 PC", serial="SN-B1")
    relocate_asset(setup.asset("已迁移"), None, relocated_on=datetime.date(2025, 3, 1),
                   destination="仓库")
    certificate = create_certificate(world.a, CertificateInput(holder="法人一证通"), None)
    create_certificate(world.b, CertificateInput(holder="合同乙证书"), None)
    return AssetWorld(world, setup, other, own, foreign, outside, certificate)
