"""Payment rules (PAY-01 milestones and their due dates, PAY-02 invoice before payment).

Every refused call raises ServiceError naming the field and writes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry

from weibao.contracts.choices import BondStatus, MilestoneTrigger, OffsetUnit, TriggerEvent
from weibao.contracts.models import (
    Contract,
    Invoice,
    Payment,
    PaymentMilestone,
    PerformanceBond,
)
from weibao.contracts.selectors import milestone_amounts, milestone_schedule
from weibao.contracts.services import (
    MilestoneInput,
    record_bond,
    record_invoice,
    record_payment,
    save_milestone,
)
from weibao.core.errors import ServiceError
from weibao.testing.factories import ContractFactory

D = Decimal
date = datetime.date

pytestmark = pytest.mark.django_db


def ms(percent: str | int = 50, trigger: str = MilestoneTrigger.ON_SIGNING,
       **extra: Any) -> MilestoneInput:
    return MilestoneInput(name=extra.pop("name", "付款"), percent=D(str(percent)),
                          trigger=trigger, **extra)


def counts() -> tuple[int, ...]:
    return (PaymentMilestone.objects.count(), Invoice.objects.count(),
            Payment.objects.count(), PerformanceBond.objects.count(), LogEntry.objects.count())


def refused(call: Any, field: str) -> ServiceError:
    """Run ``call``; it must raise ServiceError on ``field`` and write nothing."""
    before = counts()
    with pytest.raises(ServiceError) as info:
        call()
    assert field in info.value.message_dict, info.value.message_dict
    assert counts() == before
    return info.value


@pytest.fixture
def contract() -> Contract:
    return ContractFactory(amount=D("1000000.00"), signed_on=date(2025, 1, 10),
                           start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))


# --- PAY-01: milestones ------------------------------------------------------------------------

def test_pay01_milestone_percents_cannot_exceed_100_in_total(contract):
    save_milestone(contract, ms(60))
    save_milestone(contract, ms(40))
    error = refused(lambda: save_milestone(contract, ms("0.01")), "percent")
    assert "100.01" in error.message_dict["percent"][0]


def test_pay01_editing_a_milestone_excludes_its_own_percent(contract):
    first = save_milestone(contract, ms(60))
    save_milestone(contract, ms(40))
    save_milestone(contract, ms(60, name="改名"), milestone=first)  # still 100 in total
    refused(lambda: save_milestone(contract, ms(61), milestone=first), "percent")
    first.refresh_from_db()
    assert first.percent == 60 and first.name == "改名"


@pytest.mark.parametrize("percent", ["0", "-5", "100.01"])
def test_pay01_percent_must_be_in_0_to_100(contract, percent):
    refused(lambda: save_milestone(contract, ms(percent)), "percent")


def test_pay01_by_date_needs_a_due_date(contract):
    refused(lambda: save_milestone(contract, ms(trigger=MilestoneTrigger.BY_DATE)), "due_date")
    save_milestone(contract, ms(trigger=MilestoneTrigger.BY_DATE, due_date=date(2025, 11, 30)))


def test_pay01_after_event_needs_the_event(contract):
    refused(lambda: save_milestone(contract, ms(
        trigger=MilestoneTrigger.AFTER_EVENT, offset_amount=10,
        offset_unit=OffsetUnit.WORKING_DAYS)), "event")


def test_pay01_after_event_needs_the_period(contract):
    refused(lambda: save_milestone(contract, ms(
        trigger=MilestoneTrigger.AFTER_EVENT, event=TriggerEvent.SIGNING)), "offset_amount")
    # months after the event alone are a period ("after six months of service")
    save_milestone(contract, ms(trigger=MilestoneTrigger.AFTER_EVENT,
                                event=TriggerEvent.SERVICE_START, event_delay_months=6))


def test_pay01_a_period_needs_its_unit(contract):
    refused(lambda: save_milestone(contract, ms(
        trigger=MilestoneTrigger.AFTER_EVENT, event=TriggerEvent.SIGNING, offset_amount=10)),
        "offset_unit")


def test_pay01_unknown_trigger_is_refused(contract):
    refused(lambda: save_milestone(contract, ms(trigger="whenever")), "trigger")


def test_pay01_milestones_are_numbered_in_order(contract):
    assert [save_milestone(contract, ms(p)).sequence for p in (10, 40, 50)] == [1, 2, 3]


def test_pay01_milestone_amounts_split_exactly_to_the_fen():
    """1,000,000.01 × 33.33 % = 333,300.0033 → 333,300.00 (twice); the last milestone takes the
    remainder 1,000,000.01 − 666,600.00 = 333,400.01 so the three add up exactly."""
    contract = ContractFactory(amount=D("1000000.01"))
    for percent in ("33.33", "33.33", "33.34"):
        save_milestone(contract, ms(percent))
    amounts = list(milestone_amounts(contract).values())
    assert amounts == [D("333300.00"), D("333300.00"), D("333400.01")]
    assert sum(amounts) == contract.amount
    assert [s.amount for s in milestone_schedule(contract)] == amounts


def test_pay01_split_rounds_half_up_and_keeps_no_remainder_below_100_percent():
    contract = ContractFactory(amount=D("0.05"))
    save_milestone(contract, ms(50))
    assert list(milestone_amounts(contract).values()) == [D("0.03")]  # 0.025 → 0.03


# --- invoices ----------------------------------------------------------------------------------

def test_pay02_invoices_cannot_exceed_the_milestone_amount(contract):
    milestone = save_milestone(contract, ms(30))  # 300,000.00
    record_invoice(milestone, number="FP-1", issued_on=date(2025, 2, 1), amount=D("200000"))
    refused(lambda: record_invoice(milestone, number="FP-2", issued_on=date(2025, 2, 2),
                                   amount=D("100000.01")), "amount")
    record_invoice(milestone, number="FP-2", issued_on=date(2025, 2, 2), amount=D("100000"))
    assert milestone.invoices.count() == 2


def test_pay02_invoice_rules(contract):
    milestone = save_milestone(contract, ms(30))
    refused(lambda: record_invoice(milestone, number="FP-0", issued_on=date(2025, 2, 1),
                                   amount=D("0")), "amount")
    refused(lambda: record_invoice(milestone, number="  ", issued_on=date(2025, 2, 1),
                                   amount=D("1")), "number")
    record_invoice(milestone, number="FP-1", issued_on=date(2025, 2, 1), amount=D("1"))
    refused(lambda: record_invoice(milestone, number="FP-1", issued_on=date(2025, 2, 1),
                                   amount=D("1")), "number")


# --- PAY-02: payments --------------------------------------------------------------------------

@pytest.fixture
def invoiced(contract) -> tuple[PaymentMilestone, Invoice]:
    milestone = save_milestone(contract, ms(50))  # 500,000.00
    invoice = record_invoice(milestone, number="FP-1", issued_on=date(2025, 3, 1),
                             amount=D("500000.00"))
    return milestone, invoice


def test_pay02_a_payment_needs_an_invoice(invoiced):
    milestone, _invoice = invoiced
    refused(lambda: record_payment(milestone, paid_on=date(2025, 3, 5), amount=D("500000")),
            "invoice")


def test_pay02_the_payment_equals_the_invoice(invoiced):
    milestone, invoice = invoiced
    refused(lambda: record_payment(milestone, paid_on=date(2025, 3, 5), amount=D("499999.99"),
                                   invoice=invoice), "amount")


def test_pay02_a_payment_cannot_precede_its_invoice(invoiced):
    milestone, invoice = invoiced
    refused(lambda: record_payment(milestone, paid_on=date(2025, 2, 28), amount=D("500000"),
                                   invoice=invoice), "paid_on")
    record_payment(milestone, paid_on=date(2025, 3, 1), amount=D("500000"), invoice=invoice)


def test_pay02_an_invoice_is_paid_once(invoiced):
    milestone, invoice = invoiced
    record_payment(milestone, paid_on=date(2025, 3, 5), amount=D("500000"), invoice=invoice)
    refused(lambda: record_payment(milestone, paid_on=date(2025, 3, 6), amount=D("500000"),
                                   invoice=invoice), "invoice")
    assert Payment.objects.count() == 1


def test_pay02_the_invoice_must_belong_to_the_milestone(contract, invoiced):
    _milestone, invoice = invoiced
    other = save_milestone(contract, ms(50))
    refused(lambda: record_payment(other, paid_on=date(2025, 3, 5), amount=D("500000"),
                                   invoice=invoice), "invoice")


def test_pay02_milestone_without_invoice_requirement_still_caps_payments(contract):
    milestone = save_milestone(contract, ms(10, requires_invoice=False))  # 100,000.00
    record_payment(milestone, paid_on=date(2025, 3, 5), amount=D("60000"))
    refused(lambda: record_payment(milestone, paid_on=date(2025, 3, 6), amount=D("40000.01")),
            "amount")
    record_payment(milestone, paid_on=date(2025, 3, 6), amount=D("40000"))


# --- schedule: statuses and due dates ----------------------------------------------------------

def test_pay01_schedule_status_goes_open_invoiced_part_paid_paid(contract):
    milestone = save_milestone(contract, ms(10))  # 100,000.00

    def status() -> str:
        [state] = milestone_schedule(contract)
        return state.status

    assert status() == "open"
    first = record_invoice(milestone, number="FP-1", issued_on=date(2025, 3, 1), amount=D("40000"))
    second = record_invoice(milestone, number="FP-2", issued_on=date(2025, 3, 1),
                            amount=D("60000"))
    assert status() == "invoiced"
    record_payment(milestone, paid_on=date(2025, 3, 2), amount=D("40000"), invoice=first)
    [state] = milestone_schedule(contract)
    assert (state.status, state.paid, state.outstanding) == ("part_paid", D("40000"),
                                                             D("60000"))
    record_payment(milestone, paid_on=date(2025, 3, 3), amount=D("60000"), invoice=second)
    [state] = milestone_schedule(contract)
    assert (state.status, state.outstanding) == ("paid", D("0"))
    assert not state.is_overdue(date(2099, 1, 1))


def _due(contract: Contract, data: MilestoneInput) -> datetime.date | None:
    milestone = save_milestone(contract, data)
    return next(s.due_date for s in milestone_schedule(contract) if s.milestone == milestone)


def test_pay01_due_date_by_date(contract):
    assert _due(contract, ms(trigger=MilestoneTrigger.BY_DATE,
                             due_date=date(2025, 11, 30))) == date(2025, 11, 30)


def test_pay01_due_date_on_signing(contract):
    assert _due(contract, ms(trigger=MilestoneTrigger.ON_SIGNING)) == date(2025, 1, 10)


def test_pay01_due_date_15_working_days_after_signing_skips_national_day_2025():
    """[001] 10 % within 15 working days of signing. Signed Fri 2025-09-26. The State Council
    notice for 2025 (国办发明电〔2024〕12号): National Day + Mid-Autumn off 1–8 October, worked
    on Sun 28 September and Sat 11 October. Working days: 28, 29, 30 Sep (3); 9, 10, 11 Oct
    (6); 13–17 Oct (11); 20, 21, 22, 23 Oct (15) → Thursday 2025-10-23."""
    contract = ContractFactory(signed_on=date(2025, 9, 26), start_date=date(2025, 9, 26),
                               end_date=date(2026, 9, 25))
    due = _due(contract, ms(10, offset_amount=15, offset_unit=OffsetUnit.WORKING_DAYS))
    assert due == date(2025, 10, 23)


def test_pay01_working_day_deadlines_follow_a_corrected_calendar_day():
    """CAL-01: payment deadlines count in the national calendar an administrator corrects,
    not in a copy of the package's data. Making Mon 2025-10-20 a day off moves the 15th
    working day after 2025-09-26 from Thu 23 to Fri 24 October."""
    from weibao.calendars.models import HolidaySet
    from weibao.calendars.services.holidays import correct_holiday_day

    contract = ContractFactory(signed_on=date(2025, 9, 26), start_date=date(2025, 9, 26),
                               end_date=date(2026, 9, 25))
    milestone = ms(10, offset_amount=15, offset_unit=OffsetUnit.WORKING_DAYS)
    correct_holiday_day(HolidaySet.objects.get(code="cn"), date(2025, 10, 20), kind="holiday",
                        name="城市特别休息日")
    assert _due(contract, milestone) == date(2025, 10, 24)


def test_pay01_working_day_deadline_beyond_the_entered_years_is_unknown(db):
    """A deadline in a year nobody has entered is "not yet known", never a guess."""
    from weibao.contracts.selectors import working_days_after

    assert working_days_after(date(2025, 9, 26), 15) == date(2025, 10, 23)
    assert working_days_after(date(2099, 1, 1), 3) is None


def test_pay01_due_date_30_working_days_after_six_months_of_service(contract):
    """[001] 40 % within 30 working days after 6 months of service: start 2025-01-01 + 6 months
    = Tue 2025-07-01; July/August 2025 have no holidays, so 30 weekdays later is 2025-08-12."""
    due = _due(contract, ms(40, trigger=MilestoneTrigger.AFTER_EVENT,
                            event=TriggerEvent.SERVICE_START, event_delay_months=6,
                            offset_amount=30, offset_unit=OffsetUnit.WORKING_DAYS))
    assert due == date(2025, 8, 12)


def test_pay01_due_date_in_calendar_days_and_months(contract):
    assert _due(contract, ms(10, trigger=MilestoneTrigger.AFTER_EVENT, event=TriggerEvent.SIGNING,
                             offset_amount=30, offset_unit=OffsetUnit.CALENDAR_DAYS)
                ) == date(2025, 2, 9)
    assert _due(contract, ms(10, trigger=MilestoneTrigger.AFTER_EVENT,
                             event=TriggerEvent.SERVICE_END, offset_amount=1,
                             offset_unit=OffsetUnit.MONTHS)) == date(2026, 1, 31)


def test_pay01_months_are_clamped_to_the_month_end():
    contract = ContractFactory(signed_on=date(2025, 1, 31), start_date=date(2025, 1, 31),
                               end_date=date(2025, 12, 31))
    assert _due(contract, ms(10, trigger=MilestoneTrigger.AFTER_EVENT, event=TriggerEvent.SIGNING,
                             event_delay_months=1)) == date(2025, 2, 28)


def test_pay01_after_bond_is_due_only_once_the_bond_is_received(contract):
    milestone = save_milestone(contract, ms(50, trigger=MilestoneTrigger.AFTER_BOND,
                                            offset_amount=10,
                                            offset_unit=OffsetUnit.WORKING_DAYS))
    bond = record_bond(contract, percent=D("10"))
    assert milestone_schedule(contract)[0].due_date is None
    record_bond(contract, percent=D("10"), status=BondStatus.RECEIVED,
                received_on=date(2025, 3, 3), bond=bond)
    # Mon 2025-03-03 + 10 working days (no holidays in March 2025) = Mon 2025-03-17
    assert milestone_schedule(contract)[0].due_date == date(2025, 3, 17)
    assert milestone.pk == milestone_schedule(contract)[0].milestone.pk


def test_pay01_working_days_beyond_the_calendar_data_are_unknown_not_guessed():
    contract = ContractFactory(signed_on=date(2099, 1, 5), start_date=date(2099, 1, 1),
                               end_date=date(2099, 12, 31))
    assert _due(contract, ms(10, offset_amount=5, offset_unit=OffsetUnit.WORKING_DAYS)) is None


def test_pay01_overdue_only_when_unpaid_and_past_due(contract):
    save_milestone(contract, ms(trigger=MilestoneTrigger.BY_DATE, due_date=date(2025, 6, 30)))
    [state] = milestone_schedule(contract)
    assert not state.is_overdue(date(2025, 6, 30))
    assert state.is_overdue(date(2025, 7, 1))


# --- bond --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("amount", "percent", "expected"), [
    ("1663800.00", "10", "166380.00"),
    ("1000000.01", "3.33", "33300.00"),
    ("0.05", "50", "0.03"),
])
def test_pay01_bond_amount_is_the_percent_of_the_contract(amount, percent, expected):
    contract = ContractFactory(amount=D(amount))
    assert record_bond(contract, percent=D(percent)).amount == D(expected)


def test_pay01_bond_rules(contract):
    refused(lambda: record_bond(contract, percent=D("0")), "percent")
    refused(lambda: record_bond(contract, percent=D("10"), status=BondStatus.RECEIVED),
            "received_on")
    refused(lambda: record_bond(contract, percent=D("10"), status=BondStatus.RETURNED,
                                received_on=date(2025, 3, 1)), "returned_on")
    refused(lambda: record_bond(contract, percent=D("10"), status=BondStatus.RETURNED,
                                received_on=date(2025, 3, 1), returned_on=date(2025, 2, 1)),
            "returned_on")


# --- invariants that later edits must keep -----------------------------------------------------

def test_pay02_lowering_a_milestone_below_its_invoices_is_refused(invoiced):
    milestone, _invoice = invoiced  # 50 % = 500,000.00, invoiced 500,000.00
    refused(lambda: save_milestone(milestone.contract, ms(10), milestone=milestone), "percent")
    milestone.refresh_from_db()
    assert milestone.percent == 50


def test_pay02_lowering_the_contract_amount_below_payments_is_refused(invoiced):
    from weibao.contracts.services import update_contract

    milestone, invoice = invoiced
    record_payment(milestone, paid_on=date(2025, 3, 5), amount=D("500000"), invoice=invoice)
    contract = milestone.contract
    refused(lambda: update_contract(contract, {"amount": D("100000.00")}), "amount")
    contract.refresh_from_db()
    assert contract.amount == D("1000000.00")
