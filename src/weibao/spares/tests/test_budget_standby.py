"""Budget caps (SPR-03) and standby loans (SPR-04)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from weibao.core.errors import ConflictError, ServiceError
from weibao.sites.models import Site
from weibao.spares import services
from weibao.spares.choices import Condition, MovementKind, ReferenceKind
from weibao.spares.models import BudgetCap, StockBalance
from weibao.spares.selectors import cap_states


@pytest.fixture
def cap(stock) -> BudgetCap:
    cap = BudgetCap.objects.create(contract=stock.contract, code="ups-battery",
                                   name="单节电池更换", base_amount=Decimal("10000.00"),
                                   percent=Decimal("20"))
    cap.part_types.add(stock.battery)  # cap 2,000.00 = 2.5 batteries at 800.00
    services.receive(warehouse=stock.main, part_type=stock.battery, quantity=10)
    return cap


def _issue(stock, n: int, proposal: str = ""):
    return services.issue(warehouse=stock.main, part_type=stock.battery, quantity=n,
                          reference_kind=ReferenceKind.TICKET, reference_id="T-9",
                          proposal_reference=proposal)


def test_spr03_issue_within_cap_then_refused_beyond_it(stock, cap) -> None:
    _issue(stock, 2)  # 1,600.00 of 2,000.00
    with pytest.raises(ConflictError) as exc:
        _issue(stock, 1)  # would be 2,400.00
    assert "proposal_reference" in exc.value.message_dict
    assert "2,000.00" in exc.value.message_dict["proposal_reference"][0]
    state = cap_states(stock.contract)[0]
    assert state.used == Decimal("1600.00") and state.limit == Decimal("2000.00")
    assert state.percent_used == 80 and not state.over


def test_spr03_whole_group_beyond_cap_needs_a_proposal_recorded_on_the_movement(stock,
                                                                                cap) -> None:
    movement = _issue(stock, 6, proposal="方案-2025-01")
    assert movement.proposal_reference == "方案-2025-01"
    state = cap_states(stock.contract)[0]
    assert state.used == Decimal("4800.00") and state.over


def test_spr03_returns_and_other_part_types_do_not_change_consumption(stock, cap) -> None:
    services.receive(warehouse=stock.main, part_type=stock.reader, quantity=5)
    services.issue(warehouse=stock.main, part_type=stock.reader, quantity=5,
                   reference_kind=ReferenceKind.TICKET, reference_id="T-1")
    _issue(stock, 1)
    services.return_faulty(warehouse=stock.main, part_type=stock.battery, quantity=1)
    assert cap_states(stock.contract)[0].used == Decimal("800.00")


def test_spr03_cap_without_base_amount_is_not_enforced(stock, cap) -> None:
    cap.base_amount = None
    cap.save()
    _issue(stock, 5)
    assert cap_states(stock.contract)[0].percent_used is None


def test_spr04_standby_loan_and_return(stock, cap) -> None:
    site = Site.objects.create(contract=stock.contract, code="S1", name="示例网点001",
                               site_type=stock.outlet)
    services.receive(warehouse=stock.main, part_type=stock.desktop, quantity=1)
    loan = services.lend_standby(site=site, warehouse=stock.main, part_type=stock.desktop,
                                 faulty_device="SN-123",
                                 due_back=timezone.localdate() + datetime.timedelta(days=3))
    issue = loan.issue_movement
    assert issue.kind == MovementKind.ISSUE and issue.reference_kind == ReferenceKind.STANDBY
    assert issue.reference_id == f"SB-{loan.pk}"
    assert StockBalance.objects.get(part_type=stock.desktop).on_hand == 0
    with pytest.raises(ConflictError):  # the only unit is out
        services.lend_standby(site=site, warehouse=stock.main, part_type=stock.desktop)
    services.return_standby(loan, condition=Condition.NEW)
    loan.refresh_from_db()
    assert loan.returned_at is not None and loan.return_movement.quantity == 1
    assert StockBalance.objects.get(part_type=stock.desktop).on_hand == 1
    with pytest.raises(ConflictError):
        services.return_standby(loan)


def test_spr04_standby_loans_do_not_count_against_caps(stock, cap) -> None:
    site = Site.objects.create(contract=stock.contract, code="S1", name="示例网点001",
                               site_type=stock.outlet)
    for _i in range(3):
        services.lend_standby(site=site, warehouse=stock.main, part_type=stock.battery)
    assert cap_states(stock.contract)[0].used == Decimal(0)


def test_spr04_site_of_another_contract_is_refused(stock, world) -> None:
    from weibao.sites.models import SiteType

    other_type = SiteType.objects.create(contract=world.b, code="x", name="x")
    site = Site.objects.create(contract=world.b, code="S1", name="乙方网点",
                               site_type=other_type)
    with pytest.raises(ServiceError):
        services.lend_standby(site=site, warehouse=stock.main, part_type=stock.desktop)
