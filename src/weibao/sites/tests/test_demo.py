"""The demo outlets of seed 000: about 300 clearly fictitious sites, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from auditlog.models import LogEntry

from weibao.contracts.spec.importer import import_text
from weibao.sites.demo import DEMO_CONTRACT, DEMO_OUTLETS, load_demo
from weibao.sites.models import Site

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "contracts"


@pytest.mark.django_db
def test_site01_demo_outlets_are_fictitious_spread_and_idempotent():
    lines: list[str] = []
    load_demo(lines.append)
    assert "not found" in lines[-1]
    contract = import_text((EXAMPLES / "000-shanghai-sbk-outlets.yaml").read_text("utf-8")
                           ).contract
    load_demo(lines.append)
    sites = Site.objects.filter(contract=contract).select_related("district", "site_type")
    assert contract.number == DEMO_CONTRACT and sites.count() == DEMO_OUTLETS
    assert all(s.name.startswith("示例网点") and s.contact_name == "测试联系人"
               and s.contact_phone.startswith("1380000") and "虚构" in s.address for s in sites)
    assert len({s.district_id for s in sites}) == 17
    kinds = [s.site_type.code for s in sites]
    assert kinds.count("rp-outlet") == 60 and kinds.count("sbk-outlet") == 240
    before = LogEntry.objects.count()
    load_demo(lines.append)
    assert LogEntry.objects.count() == before
    assert "0 demo outlets created, 0 updated" in lines[-1]
    # The spec has no items: re-importing it keeps the demo outlets.
    import_text((EXAMPLES / "000-shanghai-sbk-outlets.yaml").read_text("utf-8"))
    assert Site.objects.filter(contract=contract).count() == DEMO_OUTLETS
