"""Payment semantics (PAY-01, PAY-03): remainder milestones, the final price, and the dated
contract events (final assessment, acceptance, approved budget, accepted deliverable) that give
waiting milestones their amount and due date.

The seed contracts' own payment terms are read from ``examples/contracts`` (their contract,
parties and payment sections), so these tests check the example files against the seeds.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from rest_framework.test import APIClient

from weibao.conftest import World, login
from weibao.contracts.choices import AmountBasis, ContractEventKind, MilestoneTrigger
from weibao.contracts.models import Contract, ContractEvent, Invoice, Payment, PaymentMilestone
from weibao.contracts.selectors import final_price, milestone_amounts, milestone_schedule
from weibao.contracts.services import (
    MilestoneInput,
    record_contract_event,
    record_invoice,
    record_payment,
    save_milestone,
)
from weibao.contracts.spec.importer import import_spec
from weibao.contracts.spec.loader import load_yaml
from weibao.core.errors import ServiceError
from weibao.core.models import User
from weibao.testing.factories import ContractFactory, UserFactory
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)

D = Decimal
date = datetime.date
EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "contracts"

pytestmark = pytest.mark.django_db


def example_contract(name: str) -> Contract:
    """Import an example spec's contract, parties and payment terms (the other sections belong
    to other modules and do not change what is paid)."""
    data = load_yaml((EXAMPLES / name).read_text(encoding="utf-8"))
    keep = {"spec_version", "contract", "parties", "payment"}
    return import_spec({k: v for k, v in data.items() if k in keep}).contract


def clerk() -> User:
    return UserFactory(username="clerk")


def schedule(contract: Contract) -> dict[str, Any]:
    return {s.milestone.name: s for s in milestone_schedule(contract)}


def invoice_and_pay(contract: Contract, when: date) -> Decimal:
    """Invoice and pay every milestone in full; the total paid."""
    for state in milestone_schedule(contract):
        assert state.amount is not None, state.amount_pending
        invoice = record_invoice(state.milestone, number=f"FP-{state.milestone.sequence}",
                                 issued_on=when, amount=state.amount)
        record_payment(state.milestone, paid_on=when, amount=state.amount, invoice=invoice)
    return sum(Payment.objects.filter(milestone__contract=contract)
               .values_list("amount", flat=True), D(0))


# --- seed 001: score band × the whole contract amount ------------------------------------------

def test_pay03_001_score_80_pays_90_percent_of_the_whole_amount():
    """Seed 001 第一条四 (2) L80-92: "B、考核分数75分至85分（含85分），付合同额90%" — the factor
    applies to the whole 436,000 (not to the tail); 第四条 L165: the tail is what remains."""
    contract = example_contract("001-changzhou-hrss-onsite.yaml")
    tail = contract.milestones.get(name="尾款")
    assert tail.amount_basis == AmountBasis.FINAL_PRICE and tail.percent is None
    event = record_contract_event(contract, kind=ContractEventKind.FINAL_ASSESSMENT,
                                  occurred_on=date(2023, 2, 20), score=D("80"), actor=clerk())
    assert event.factor == D("90") and event.score == D("80")
    price = final_price(contract)
    assert price is not None and price.price == D("392400.00")  # 90 % of 436,000
    amounts = {s.milestone.name: s.amount for s in milestone_schedule(contract)}
    assert amounts == {"首付款": D("43600.00"), "进度款": D("174400.00"),
                       "尾款": D("392400.00") - D("43600.00") - D("174400.00")}
    assert invoice_and_pay(contract, date(2023, 3, 1)) == D("436000.00") * D("0.90")


def test_pay03_001_penalties_come_off_the_final_price():
    """PAY-03: final price = amount × factor − penalties; the tail = final price − paid."""
    contract = example_contract("001-changzhou-hrss-onsite.yaml")
    record_contract_event(contract, kind=ContractEventKind.FINAL_ASSESSMENT,
                          occurred_on=date(2023, 2, 20), factor=D("90"),
                          penalties=D("4360.00"), actor=clerk())
    assert schedule(contract)["尾款"].amount == D("392400.00") - D("4360.00") - D("218000.00")


def test_pay01_001_tail_waits_for_the_assessment_then_is_due_on_it():
    """Seed 001 第四条 L165: the tail is paid after the final assessment; before it is recorded
    the amount and the due date say what they wait for."""
    contract = example_contract("001-changzhou-hrss-onsite.yaml")
    tail = schedule(contract)["尾款"]
    assert tail.amount is None and tail.status == "pending"
    assert "final assessment" in tail.amount_pending
    assert tail.due_date is None and tail.waiting_for == "the final assessment"
    with pytest.raises(ServiceError) as info:
        record_invoice(tail.milestone, number="FP-9", issued_on=date(2023, 1, 5),
                       amount=D("1000"))
    assert "not known yet" in info.value.message_dict["amount"][0]
    record_contract_event(contract, kind=ContractEventKind.FINAL_ASSESSMENT,
                          occurred_on=date(2023, 2, 20), factor=D("100"), actor=clerk())
    tail = schedule(contract)["尾款"]
    assert tail.due_date == date(2023, 2, 20) and tail.waiting_for == ""
    assert tail.amount == D("218000.00")  # score > 85: 合同额全款


@pytest.mark.parametrize(("score", "factor"), [
    ("100", "100"), ("85.5", "100"), ("85", "90"), ("75.01", "90"), ("75", "80"),
    ("70", "70"), ("65", "60"), ("60.5", "60"), ("60", "50"), ("0", "50"),
])
def test_pay03_001_score_bands_include_their_upper_bound(score, factor):
    """Seed 001 第一条四 (2) L80-92: "B、考核分数75分至85分（含85分），付合同额90%" … "F、考核分数
    60分（含60分）以下，付合同额50%": each band includes its upper bound."""
    contract = example_contract("001-changzhou-hrss-onsite.yaml")
    event = record_contract_event(contract, kind=ContractEventKind.FINAL_ASSESSMENT,
                                  occurred_on=date(2023, 2, 20), score=D(score), actor=None)
    assert event.factor == D(factor)


def test_pay03_a_factor_that_contradicts_the_bands_is_refused():
    contract = example_contract("001-changzhou-hrss-onsite.yaml")
    with pytest.raises(ServiceError) as info:
        record_contract_event(contract, kind=ContractEventKind.FINAL_ASSESSMENT,
                              occurred_on=date(2023, 2, 20), score=D("80"), factor=D("100"),
                              actor=None)
    assert info.value.message_dict["factor"] == [
        "The contract's bands give 80 a factor of 90.00%, not 100%."]


def test_pay03_a_rating_the_contract_does_not_price_needs_the_factor_by_hand():
    """Seed 002 5.1 prices 优秀, 良好 and 一般 only; another result needs the factor entered."""
    contract = example_contract("002-shanghai-hrss-ca-integration.yaml")
    with pytest.raises(ServiceError) as info:
        record_contract_event(contract, kind=ContractEventKind.FINAL_ASSESSMENT,
                              occurred_on=date(2025, 12, 30), rating="较差", actor=None)
    assert "rating" in info.value.message_dict
    event = record_contract_event(contract, kind=ContractEventKind.FINAL_ASSESSMENT,
                                  occurred_on=date(2025, 12, 30), rating="较差",
                                  factor=D("80"), actor=None)
    assert event.factor == D("80") and event.rating == "较差"


# --- seed 002: budget remainder on the October report, 97 % for 一般 ----------------------------

def _record_002_year(contract: Contract, user: User) -> None:
    record_contract_event(contract, kind=ContractEventKind.APPROVED_BUDGET,
                          occurred_on=date(2025, 3, 20), year=2025, amount=D("10000000.00"),
                          actor=user)


def test_pay01_002_second_instalment_is_the_budget_minus_the_first_payment():
    """Seed 002 5.2 b L2310-2312: "支付当年已批复预算扣除第一笔支付金额的剩余金额"."""
    contract = example_contract("002-shanghai-hrss-ca-integration.yaml")
    second = schedule(contract)["第二期"]
    assert second.amount is None and second.amount_pending == (
        "waits for the approved budget of 2025")
    _record_002_year(contract, clerk())
    first, second = schedule(contract)["第一期"], schedule(contract)["第二期"]
    assert first.amount == D("5385099.50")  # 50 % of 中标金额 10,770,199.00
    assert second.amount == D("10000000.00") - first.amount


def test_pay01_002_second_instalment_is_due_10_working_days_after_the_october_report():
    """Seed 002 5.2 b L2310-2312: the October monthly report accepted (经甲方认可) and the invoice
    received, then 10 working days; the report is deliverable monthly-report-10."""
    contract = example_contract("002-shanghai-hrss-ca-integration.yaml")
    user = clerk()
    _record_002_year(contract, user)
    second = schedule(contract)["第二期"]
    assert second.milestone.trigger == MilestoneTrigger.AFTER_DELIVERABLE
    assert second.due_date is None
    assert second.waiting_for == "acceptance of deliverable monthly-report-10"
    record_contract_event(contract, kind=ContractEventKind.DELIVERABLE_ACCEPTED,
                          occurred_on=date(2025, 11, 5), deliverable="monthly-report-10",
                          actor=user)
    assert schedule(contract)["第二期"].waiting_for == "the invoice"
    record_invoice(second.milestone, number="FP-2", issued_on=date(2025, 11, 3),
                   amount=second.amount)
    # Wed 2025-11-05 + 10 working days (no holiday in November 2025) = Wed 2025-11-19
    assert schedule(contract)["第二期"].due_date == date(2025, 11, 19)


def test_pay01_due_date_counts_from_the_invoice_when_it_comes_last():
    """"…经甲方认可且甲方收到…发票后 10 个工作日内": from the later of the two."""
    contract = example_contract("002-shanghai-hrss-ca-integration.yaml")
    user = clerk()
    _record_002_year(contract, user)
    record_contract_event(contract, kind=ContractEventKind.DELIVERABLE_ACCEPTED,
                          occurred_on=date(2025, 11, 5), deliverable="monthly-report-10",
                          actor=user)
    second = schedule(contract)["第二期"]
    record_invoice(second.milestone, number="FP-2", issued_on=date(2025, 11, 10),
                   amount=second.amount)
    # Mon 2025-11-10 + 10 working days = Mon 2025-11-24
    assert schedule(contract)["第二期"].due_date == date(2025, 11, 24)


def test_pay03_002_rating_yiban_pays_97_percent_of_the_winning_amount_in_total():
    """Seed 002 5.1 L2294-2300 (and 第六章 六 L8007-8009): "一般的按中标金额的 97%支付" — the
    three instalments add up to 97 % of 中标金额; the tail (5.2 c L2314-2317) is what remains
    and is due 10 working days after final acceptance and the invoice."""
    contract = example_contract("002-shanghai-hrss-ca-integration.yaml")
    contract.signed_on = date(2025, 2, 28)
    contract.save()
    user = clerk()
    _record_002_year(contract, user)
    event = record_contract_event(contract, kind=ContractEventKind.FINAL_ASSESSMENT,
                                  occurred_on=date(2025, 12, 30), rating="一般", actor=user)
    assert event.factor == D("97")
    tail = schedule(contract)["合同尾款"]
    assert tail.amount == D("10447093.03") - D("10000000.00")  # 97 % of 10,770,199.00
    assert tail.waiting_for == "the final acceptance"
    total = invoice_and_pay(contract, date(2025, 12, 31))
    assert total == D("10770199.00") * D("0.97")  # exact to the fen: 10,447,093.03
    record_contract_event(contract, kind=ContractEventKind.FINAL_ACCEPTANCE,
                          occurred_on=date(2026, 1, 5), actor=user)
    # Mon 2026-01-05 + 10 working days = Mon 2026-01-19 (invoice 2025-12-31 came first)
    assert schedule(contract)["合同尾款"].due_date == date(2026, 1, 19)


# --- the events: recorded by a named user, audited, corrected, checked --------------------------

def test_pay03_recording_the_assessment_again_corrects_it_and_is_audited():
    contract = ContractFactory()
    save_milestone(contract, MilestoneInput(name="首付款", percent=D("50"),
                                            trigger=MilestoneTrigger.ON_SIGNING))
    save_milestone(contract, MilestoneInput(name="尾款", percent=None,
                                            amount_basis=AmountBasis.FINAL_PRICE,
                                            trigger=MilestoneTrigger.AFTER_ASSESSMENT))
    user = clerk()
    first = record_contract_event(contract, kind=ContractEventKind.FINAL_ASSESSMENT,
                                  occurred_on=date(2025, 12, 20), factor=D("80"), actor=user)
    again = record_contract_event(contract, kind=ContractEventKind.FINAL_ASSESSMENT,
                                  occurred_on=date(2025, 12, 21), factor=D("90"), actor=user)
    assert again.pk == first.pk and ContractEvent.objects.count() == 1
    assert again.entered_by == user and again.get_source_display() == "Entered by hand"
    assert milestone_amounts(contract)[contract.milestones.get(name="尾款").pk] == D("400000.00")
    entries = LogEntry.objects.get_for_object(again)
    assert entries.count() == 2
    assert entries.first().additional_data == {"contract_id": contract.pk}


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"kind": ContractEventKind.FINAL_ASSESSMENT}, "factor"),
    ({"kind": ContractEventKind.FINAL_ASSESSMENT, "factor": D("120")}, "factor"),
    ({"kind": ContractEventKind.FINAL_ASSESSMENT, "factor": D("90"),
      "penalties": D("900000.01")}, "penalties"),
    ({"kind": ContractEventKind.APPROVED_BUDGET, "amount": D("100")}, "year"),
    ({"kind": ContractEventKind.APPROVED_BUDGET, "year": 2025}, "amount"),
    ({"kind": ContractEventKind.DELIVERABLE_ACCEPTED, "deliverable": "十月月报"}, "deliverable"),
    ({"kind": ContractEventKind.FINAL_ACCEPTANCE, "occurred_on": date(2999, 1, 1)},
     "occurred_on"),
    ({"kind": "rumour"}, "kind"),
])
def test_pay03_event_rules(kwargs, field):
    contract = ContractFactory()
    kwargs = {"occurred_on": date(2025, 12, 20), **kwargs}
    with pytest.raises(ServiceError) as info:
        record_contract_event(contract, actor=None, **kwargs)
    assert field in info.value.message_dict, info.value.message_dict
    assert ContractEvent.objects.count() == 0


def test_pay02_an_assessment_that_lowers_an_invoiced_tail_below_its_invoice_is_refused():
    contract = ContractFactory()
    save_milestone(contract, MilestoneInput(name="首付款", percent=D("50"),
                                            trigger=MilestoneTrigger.ON_SIGNING))
    tail = save_milestone(contract, MilestoneInput(name="尾款", percent=None,
                                                   amount_basis=AmountBasis.FINAL_PRICE,
                                                   trigger=MilestoneTrigger.AFTER_ASSESSMENT))
    user = clerk()
    record_contract_event(contract, kind=ContractEventKind.FINAL_ASSESSMENT,
                          occurred_on=date(2025, 12, 20), factor=D("100"), actor=user)
    record_invoice(tail, number="FP-T", issued_on=date(2025, 12, 22), amount=D("500000.00"))
    with pytest.raises(ServiceError) as info:
        record_contract_event(contract, kind=ContractEventKind.FINAL_ASSESSMENT,
                              occurred_on=date(2025, 12, 20), factor=D("90"), actor=user)
    assert "factor" in info.value.message_dict
    assert ContractEvent.objects.get().factor == D("100")


def test_pay03_a_final_price_below_what_was_paid_shows_the_overpayment():
    contract = ContractFactory()
    save_milestone(contract, MilestoneInput(name="首付款", percent=D("70"),
                                            trigger=MilestoneTrigger.ON_SIGNING))
    save_milestone(contract, MilestoneInput(name="尾款", percent=None,
                                            amount_basis=AmountBasis.FINAL_PRICE,
                                            trigger=MilestoneTrigger.AFTER_ACCEPTANCE))
    record_contract_event(contract, kind=ContractEventKind.FINAL_ASSESSMENT,
                          occurred_on=date(2025, 12, 20), factor=D("50"), actor=None)
    tail = schedule(contract)["尾款"]
    assert tail.amount == D("-200000.00") and tail.status == "overpaid"
    assert tail.is_settled  # nothing more to pay: not listed as due


# --- milestone rules -------------------------------------------------------------------------

def test_pay03_final_price_remainder_must_be_the_last_milestone():
    contract = ContractFactory()
    save_milestone(contract, MilestoneInput(name="尾款", percent=None,
                                            amount_basis=AmountBasis.FINAL_PRICE,
                                            trigger=MilestoneTrigger.AFTER_ASSESSMENT))
    with pytest.raises(ServiceError) as info:
        save_milestone(contract, MilestoneInput(name="又一笔", percent=D("10"),
                                                trigger=MilestoneTrigger.ON_SIGNING))
    assert "amount_basis" in info.value.message_dict
    assert PaymentMilestone.objects.count() == 1


@pytest.mark.parametrize(("data", "field"), [
    (MilestoneInput(name="尾款", percent=D("10"), amount_basis=AmountBasis.FINAL_PRICE,
                    trigger=MilestoneTrigger.AFTER_ASSESSMENT), "percent"),
    (MilestoneInput(name="首付款", percent=None, trigger=MilestoneTrigger.ON_SIGNING), "percent"),
    (MilestoneInput(name="第二期", percent=None, amount_basis=AmountBasis.FINAL_PRICE,
                    budget_year=2025, trigger=MilestoneTrigger.ON_SIGNING), "budget_year"),
    (MilestoneInput(name="第二期", percent=D("10"),
                    trigger=MilestoneTrigger.AFTER_DELIVERABLE), "deliverable"),
])
def test_pay01_milestone_amount_rules(data, field):
    contract = ContractFactory()
    with pytest.raises(ServiceError) as info:
        save_milestone(contract, data)
    assert field in info.value.message_dict, info.value.message_dict


# --- the contract page and the API -----------------------------------------------------------

@pytest.fixture
def waiting(world: World) -> World:
    """Contract A: 50 % on signing, then the final-price remainder after acceptance."""
    save_milestone(world.a, MilestoneInput(name="首付款", percent=D("50"),
                                           trigger=MilestoneTrigger.ON_SIGNING))
    save_milestone(world.a, MilestoneInput(name="尾款", percent=None,
                                           amount_basis=AmountBasis.FINAL_PRICE,
                                           trigger=MilestoneTrigger.AFTER_ACCEPTANCE))
    return world


def test_pay03_payments_tab_shows_pending_amounts_and_what_they_wait_for(client, waiting):
    login(client, waiting.users["manager"])
    page = client.get(f"/contracts/{waiting.a.pk}/?tab=payments").content.decode()
    assert "waits for the final assessment (factor and penalties)" in page
    assert "waits for the final acceptance" in page
    assert "Record event" not in page  # the vendor does not record the purchaser's events
    login(client, waiting.users["purchaser"])
    form = client.get(f"/contracts/{waiting.a.pk}/event/new/")
    assert form.status_code == 200
    assert "Contract event (entered by hand)" in form.content.decode()
    assert client.get(f"/contracts/{waiting.a.pk}/milestone/new/").status_code == 200
    response = client.post(f"/contracts/{waiting.a.pk}/event/new/", {
        "kind": "final_assessment", "occurred_on": "2025-12-20", "factor": "95",
        "penalties": "1000", "note": "考核得分 92"})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(f"/contracts/{waiting.a.pk}/?tab=payments").content.decode()
    assert "Record event" in page and "Entered by hand" in page and "purchaser" in page
    assert "¥949,000.00" in page  # 95 % of 1,000,000 − 1,000: the final price
    assert "¥449,000.00" in page  # the tail: 949,000 − 500,000


def test_pay03_api_records_an_event_and_answers_amounts_and_waiting(waiting):
    api = APIClient()
    url = f"/api/contracts/{waiting.a.pk}"
    api.force_authenticate(waiting.users["manager"])
    rows = api.get(f"{url}/milestones/").json()
    tail = rows[1]
    assert tail["amount"] is None and tail["status"] == "pending"
    assert tail["amount_pending"] == "waits for the final assessment (factor and penalties)"
    assert tail["waiting_for"] == "the final acceptance"
    assert tail["milestone"]["amount_basis"] == "final_price"
    body = {"kind": "final_acceptance", "occurred_on": "2025-12-28"}
    assert api.post(f"{url}/events/", body, format="json").status_code == 403
    api.force_authenticate(waiting.users["purchaser"])
    response = api.post(f"{url}/events/", {"kind": "final_assessment",
                                           "occurred_on": "2025-12-20", "factor": "120"},
                        format="json")
    assert response.status_code == 400 and "factor" in str(response.json())
    response = api.post(f"{url}/events/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["entered_by"] == "purchaser"
    assert response.json()["source"] == "manual"
    tail = api.get(f"{url}/milestones/").json()[1]
    assert tail["due_date"] == "2025-12-28" and tail["waiting_for"] == ""
    assert [e["kind"] for e in api.get(f"{url}/events/").json()] == ["final_acceptance"]
    api.force_authenticate(waiting.users["outsider"])
    assert api.get(f"{url}/events/").status_code == 404
    api.force_authenticate(waiting.users["engineer"])
    assert api.get(f"{url}/events/").status_code == 403
    assert Invoice.objects.count() == 0


def test_pay03_api_adds_a_remainder_milestone_without_a_percent(world: World):
    api = APIClient()
    api.force_authenticate(world.users["manager"])
    url = f"/api/contracts/{world.a.pk}/milestones/"
    first = {"name": "第一期", "percent": "50", "trigger": "on_signing"}
    assert api.post(url, first, format="json").status_code == 201
    response = api.post(url, {"name": "第二期", "trigger": "on_signing"}, format="json")
    assert response.status_code == 400 and "percent" in str(response.json())
    tail = {"name": "尾款", "amount_basis": "final_price", "trigger": "after_deliverable",
            "deliverable": "year-end-report", "offset_amount": 10,
            "offset_unit": "working_days"}
    response = api.post(url, tail, format="json")
    assert response.status_code == 201, response.json()
    row = response.json()[1]
    assert row["milestone"]["percent"] is None and row["amount"] is None
    assert row["waiting_for"] == "acceptance of deliverable year-end-report"
    assert row["rule"] == ("within 10 working days, after deliverable year-end-report is "
                           "accepted")


def test_pay03_api_and_page_give_the_factor_from_the_score(client):
    """Seed 001 第一条四 (2) L84: score 80 → 90 % of 436,000, through the API; the contract
    page shows the bands and the final price."""
    contract = example_contract("001-changzhou-hrss-onsite.yaml")
    purchaser = UserFactory(username="cz-purchaser", role="purchaser_staff",
                            organisation=contract.purchaser.organisation)  # type: ignore[union-attr]
    api = APIClient()
    api.force_authenticate(purchaser)
    response = api.post(f"/api/contracts/{contract.pk}/events/", {
        "kind": "final_assessment", "occurred_on": "2023-02-20", "score": "80"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["factor"] == "90.00" and response.json()["score"] == "80.00"
    rows = api.get(f"/api/contracts/{contract.pk}/milestones/").json()
    assert sum(D(r["amount"]) for r in rows) == D("392400.00")
    login(client, purchaser)
    page = client.get(f"/contracts/{contract.pk}/?tab=payments").content.decode()
    assert "&gt; 85 → 100%" in page and "lower → 50%" in page
    assert "¥436,000.00 × 90% − ¥0.00 = <strong>¥392,400.00</strong>" in page


def test_pay03_an_event_recorded_by_mistake_is_withdrawn_unless_payments_depend_on_it(
        client, waiting):
    user = waiting.users["purchaser"]
    acceptance = record_contract_event(waiting.a, kind=ContractEventKind.FINAL_ACCEPTANCE,
                                       occurred_on=date(2025, 12, 28), actor=user)
    api = APIClient()
    api.force_authenticate(waiting.users["manager"])
    url = f"/api/contracts/{waiting.a.pk}/events/{acceptance.pk}/"
    assert api.delete(url).status_code == 403
    api.force_authenticate(user)
    assert api.delete(url).status_code == 204
    assert schedule(waiting.a)["尾款"].waiting_for == "the final acceptance"
    assessment = record_contract_event(waiting.a, kind=ContractEventKind.FINAL_ASSESSMENT,
                                       occurred_on=date(2025, 12, 20), factor=D("100"),
                                       actor=user)
    tail = schedule(waiting.a)["尾款"]
    record_invoice(tail.milestone, number="FP-T", issued_on=date(2025, 12, 22),
                   amount=tail.amount)
    login(client, user)
    response = client.post(f"/contracts/{waiting.a.pk}/events/{assessment.pk}/delete/",
                           follow=True)
    assert ("The amount of milestone 尾款 would not be known any more (it waits for the final "
            "assessment (factor and penalties)), but 500000") in response.content.decode()
    assert ContractEvent.objects.filter(pk=assessment.pk).exists()
