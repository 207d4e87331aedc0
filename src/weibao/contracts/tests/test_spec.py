"""Contract spec: validation with paths and bilingual messages, all-or-nothing import,
idempotent upsert, export round trip (CON-01..03, CON-06, PAY-01, PAY-02)."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from weibao.contracts.models import Contract, ContractDocument, PaymentMilestone
from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.exporter import export_data, export_text
from weibao.contracts.spec.importer import import_spec, import_text
from weibao.contracts.spec.loader import dump_yaml, load_yaml
from weibao.contracts.spec.validate import spec_errors, validate_text
from weibao.core.models import Organisation

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "contracts"

BASE: dict[str, Any] = {
    "spec_version": 1,
    "contract": {
        "number": "SPEC-001",
        "title": "测试合同",
        "amount": Decimal("1663800.00"),
        "signed_on": "2025-01-10",
        "period": {"start": "2025-01-01", "end": "2025-12-31"},
    },
    "parties": [
        {"role": "purchaser",
         "organisation": {"name": "测试甲方", "code": "t-purchaser", "kind": "purchaser"},
         "contacts": [{"name": "张示例", "phone": "13800000001"}]},
        {"role": "vendor",
         "organisation": {"name": "测试乙方", "code": "t-vendor", "kind": "vendor"}},
    ],
    "payment": {
        "milestones": [
            {"name": "首付款", "percent": 50, "trigger": {"kind": "after_bond"}},
            {"name": "尾款", "percent": 50, "trigger": {"kind": "by_date", "date": "2025-11-30"}},
        ],
        "bond": {"percent": 10, "form": "支票或贷记凭证"},
    },
    "documents": [{"type": "bid_winning_notice", "title": "中标通知书"}],
    "amendments": [{"sequence": 1, "title": "补充协议", "signed_on": "2025-06-01"}],
}


def spec(**changes: Any) -> dict[str, Any]:
    """BASE with dotted-path changes, e.g. spec(**{"contract.amount": -1})."""
    data = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        target: Any = data
        parts = [int(p) if p.isdigit() else p for p in dotted.split(".")]
        for part in parts[:-1]:
            target = target[part]
        if value is DELETE:
            del target[parts[-1]]
        else:
            target[parts[-1]] = value
    return data


DELETE = object()

# (changes, expected path, expected English message fragment)
MALFORMED = [
    ({"payment.milestones.1.percent": 120}, "payment.milestones[1].percent",
     "120 is greater than 100"),
    ({"contract.amount": -5}, "contract.amount", "-5 is less than 0"),
    ({"contract.number": DELETE}, "contract.number", "required but missing"),
    ({"contract.period.start": "2025-13-01"}, "contract.period.start", "is not a date"),
    ({"contract.period.end": "2024-12-31"}, "contract.period.end", "is before the start"),
    ({"paymnet": {}}, "paymnet", "unknown key"),
    ({"parties.0.role": "buyer"}, "parties[0].role", "is not one of"),
    ({"parties.1.role": "purchaser"}, "parties", "needs exactly one vendor party"),
    ({"payment.milestones.1.percent": 40}, "payment.milestones",
     "add up to 90, not 100"),
    ({"payment.milestones.1.trigger": {"kind": "by_date"}},
     "payment.milestones[1].trigger.date", "needs date"),
    ({"contract.amount": Decimal("1663800.005")}, "contract.amount", "not exact to the fen"),
    ({"documents.0.type": "contract"}, "documents[0].type", "is not one of"),
    ({"amendments.0.signed_on": "2024-06-01"}, "amendments[0].signed_on",
     "before the contract's signing date"),
    ({"spec_version": 2}, "spec_version", "must be 1"),
    ({"parties.0.organisation.code": "Bad Code"}, "parties[0].organisation.code",
     "does not match the pattern"),
    ({"contract.title": 42}, "contract.title", "is not of type string"),
    # PAY-01, PAY-03: remainders
    ({"payment.milestones.1": {"name": "尾款", "remainder": "final_price", "percent": 50,
                               "trigger": {"kind": "after_assessment"}}},
     "payment.milestones[1].percent", "a remainder has no percent"),
    ({"payment.milestones.0": {"name": "尾款", "remainder": "final_price",
                               "trigger": {"kind": "after_assessment"}}},
     "payment.milestones[0]", "must be the last milestone"),
    ({"payment.milestones.1": {"name": "第二期", "remainder": "approved_budget",
                               "trigger": {"kind": "on_signing"}}},
     "payment.milestones[1].remainder", "needs a later final-price remainder"),
    ({"payment.milestones.1": {"name": "第二期", "trigger": {"kind": "on_signing"}}},
     "payment.milestones[1].percent", "required but missing"),
    ({"payment.milestones.1.budget_year": 2025}, "payment.milestones[1].budget_year",
     "belongs to remainder: approved_budget only"),
    ({"payment.milestones.1.trigger": {"kind": "after_deliverable"}},
     "payment.milestones[1].trigger.deliverable", "needs deliverable"),
    ({"payment.milestones.1": {"name": "尾款", "remainder": "final_price",
                               "scaled_by_assessment": True,
                               "trigger": {"kind": "after_assessment"}}},
     "payment.milestones[1].scaled_by_assessment", "old spelling of remainder"),
    ({"payment.milestones.0.percent": 101}, "payment.milestones[0].percent",
     "greater than 100"),
    ({"payment.final_price": {"factor_by_score": [{"above": 85, "factor": 100},
                                                  {"above": 60, "factor": 50}]}},
     "payment.final_price.factor_by_score[1].above", "takes every lower score"),
    ({"payment.final_price": {"factor_by_score": [{"above": 75, "factor": 90},
                                                  {"above": 85, "factor": 100},
                                                  {"factor": 50}]}},
     "payment.final_price.factor_by_score[1].above", "from the highest score down"),
    ({"payment.final_price": {"factor_by_rating": [{"rating": "一般", "factor": 97},
                                                   {"rating": "一般", "factor": 90}]}},
     "payment.final_price.factor_by_rating[1].rating", "appears more than once"),
    ({"payment.final_price": {"factor_by_score": [{"factor": 50}],
                              "factor_by_rating": [{"rating": "一般", "factor": 97}]}},
     "payment.final_price.factor_by_rating", "by score or by rating, not both"),
]


@pytest.mark.parametrize(("changes", "path", "fragment"), MALFORMED,
                         ids=[m[1] + ":" + m[2][:20] for m in MALFORMED])
@pytest.mark.django_db
def test_malformed_spec_is_rejected_with_its_path_and_writes_nothing(changes, path, fragment):
    data = spec(**changes)
    errors = spec_errors(data)
    messages = [e.message("en") for e in errors]
    assert any(m.startswith(f"{path}: ") and fragment in m for m in messages), messages
    with pytest.raises(SpecInvalid):
        import_spec(data)
    assert Contract.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_messages_are_bilingual():
    [error] = spec_errors(spec(**{"payment.milestones.1.percent": 120}))
    assert error.message("en") == "payment.milestones[1].percent: 120 is greater than 100"
    chinese = error.message("zh-hans")
    assert chinese.startswith("payment.milestones[1].percent: ")
    assert "120" in chinese and "100" in chinese
    assert "greater" not in chinese  # really translated


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(SpecInvalid) as info:
        validate_text("spec_version: 1\ncontract: [unclosed\n")
    assert "line" in info.value.messages("en")[0]


def test_file_must_be_a_mapping():
    with pytest.raises(SpecInvalid) as info:
        validate_text("- just\n- a list\n")
    assert "mapping" in info.value.messages("en")[0]


def test_yaml_numbers_are_exact_decimals_and_dates_stay_text():
    data = load_yaml("a: 1663800.10\nb: 2025-01-01\nc: 7\n")
    assert data == {"a": Decimal("1663800.10"), "b": "2025-01-01", "c": 7}
    assert load_yaml(dump_yaml(data)) == data


@pytest.mark.django_db
def test_import_creates_everything_and_reimport_changes_nothing():
    """CON-01..03, CON-06, PAY-01: the whole contract from one file; idempotent upsert."""
    first = import_spec(spec())
    assert first.created
    contract = first.contract
    assert contract.amount == Decimal("1663800.00")
    assert [p.role for p in contract.parties.order_by("role")] == ["purchaser", "vendor"]
    assert contract.parties.get(role="purchaser").contacts.get().name == "张示例"
    assert list(contract.milestones.values_list("percent", flat=True)) == [50, 50]
    assert contract.bonds.get().amount == Decimal("166380.00")
    assert contract.documents.get().title == "中标通知书"
    assert contract.amendments.get().sequence == 1

    from auditlog.models import LogEntry

    entries = LogEntry.objects.count()
    again = import_spec(spec())
    assert not again.created and again.contract.pk == contract.pk
    assert LogEntry.objects.count() == entries, "an identical re-import must write nothing"


@pytest.mark.django_db
def test_reimport_updates_in_place():
    contract = import_spec(spec()).contract
    milestone_ids = list(contract.milestones.values_list("pk", flat=True))
    changed = spec(**{"contract.title": "改名", "payment.milestones.0.percent": 70,
                      "payment.milestones.1.percent": 30, "amendments": []})
    import_spec(changed)
    contract.refresh_from_db()
    assert contract.title == "改名"
    assert list(contract.milestones.values_list("pk", flat=True)) == milestone_ids
    assert list(contract.milestones.values_list("percent", flat=True)) == [70, 30]
    assert contract.amendments.count() == 0


@pytest.mark.django_db
def test_a_section_absent_from_the_file_is_left_as_it_is():
    """A file without `amendments` (e.g. written before amendments were recorded in the UI)
    must not delete the amendments recorded since."""
    contract = import_spec(spec()).contract
    without = spec(**{"amendments": DELETE, "documents": DELETE})
    import_spec(without)
    assert contract.amendments.count() == 1
    assert contract.documents.count() == 1


@pytest.mark.django_db
def test_failed_reimport_leaves_the_previous_state():
    """All or nothing: a broken reference found while writing rolls everything back."""
    contract = import_spec(spec()).contract
    broken = spec(**{"contract.title": "不应写入", "contract.previous_number": "NOPE-1"})
    with pytest.raises(SpecInvalid) as info:
        import_spec(broken)
    assert info.value.errors[0].path == "contract.previous_number"
    contract.refresh_from_db()
    assert contract.title == "测试合同"


@pytest.mark.django_db
def test_milestone_with_payments_cannot_be_removed_by_a_spec():
    from weibao.contracts.services import record_invoice

    contract = import_spec(spec()).contract
    second = contract.milestones.get(sequence=2)
    record_invoice(second, number="FP-1", issued_on=contract.start_date, amount=Decimal("10"))
    shorter = spec(**{"payment.milestones": [
        {"name": "全款", "percent": 100, "trigger": {"kind": "on_signing"}}]})
    with pytest.raises(SpecInvalid) as info:
        import_spec(shorter)
    assert info.value.errors[0].path == "payment.milestones"
    assert PaymentMilestone.objects.filter(contract=contract).count() == 2


@pytest.mark.django_db
def test_uploaded_documents_survive_a_reimport(tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from weibao.contracts.services import upload_document

    settings.MEDIA_ROOT = tmp_path
    contract = import_spec(spec()).contract
    upload_document(contract, doc_type="integrity_agreement", title="廉洁协议",
                    upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 test"))
    import_spec(spec())
    assert ContractDocument.objects.filter(contract=contract, title="廉洁协议").exists()
    assert "廉洁协议" in [d["title"] for d in export_data(contract)["documents"]]


@pytest.mark.django_db
def test_organisation_code_clash_is_reported():
    Organisation.objects.create(name="别的单位", code="t-vendor", kind="vendor")
    with pytest.raises(SpecInvalid) as info:
        import_spec(spec())
    assert info.value.errors[0].path == "parties[1].organisation.code"
    assert Contract.objects.count() == 0


@pytest.mark.django_db
def test_renewal_links_previous_year():
    """CON-02: a renewal names the previous year's contract."""
    import_spec(spec())
    renewal = spec(**{"contract.number": "SPEC-002", "contract.previous_number": "SPEC-001",
                      "contract.period": {"start": "2026-01-01", "end": "2026-12-31"},
                      "contract.signed_on": "2026-01-05",
                      "amendments": []})
    contract = import_spec(renewal).contract
    assert contract.previous is not None and contract.previous.number == "SPEC-001"
    assert export_data(contract)["contract"]["previous_number"] == "SPEC-001"


def _example_files() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml"))


def test_there_are_four_example_specs():
    assert len(_example_files()) == 4


@pytest.mark.parametrize("path", _example_files(), ids=lambda p: p.name)
@pytest.mark.django_db
def test_example_spec_round_trips(path: Path):
    """The four seed contracts: valid, imported, exported and re-imported unchanged."""
    text = path.read_text(encoding="utf-8")
    original = validate_text(text)
    contract = import_text(text).contract
    exported = export_text(contract)
    assert validate_text(exported) == _normalise(original)
    again = import_text(exported)
    assert again.contract.pk == contract.pk and not again.created
    assert export_text(again.contract) == exported


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    """What export writes for a file: defaults made explicit, numbers as Decimal."""
    out = copy.deepcopy(data)
    contract = out["contract"]
    contract.setdefault("status", "signed")
    contract.setdefault("currency", "CNY")
    contract.setdefault("no_subcontracting", False)
    contract["amount"] = Decimal(str(contract["amount"])).quantize(Decimal("0.01"))
    for field in ("internal_number", "signed_at", "procurement_note", "notes"):
        if contract.get(field) == "":
            del contract[field]
    payment = out.get("payment")
    if payment:
        for m in payment["milestones"]:
            if m.pop("scaled_by_assessment", False):  # the old spelling, written as remainder
                m = {"name": m.pop("name"), "remainder": "final_price",
                     **{k: v for k, v in m.items() if k != "percent"}}
            if "percent" in m:
                m["percent"] = Decimal(str(m["percent"])).normalize()
            if m["trigger"].get("and_invoice") is False:
                del m["trigger"]["and_invoice"]
            if m.get("requires_invoice") is True:
                del m["requires_invoice"]
            if m.get("condition") == "":
                del m["condition"]
            if m["trigger"].get("after_months") == 0:
                del m["trigger"]["after_months"]
        if "bond" in payment:
            payment["bond"]["percent"] = Decimal(str(payment["bond"]["percent"])).normalize()
    return out


def test_published_reference_matches_the_schema():
    """docs/contract-spec-reference.md is generated from the schema; regenerate it with
    `weibao contract schema --markdown > docs/contract-spec-reference.md`."""
    from weibao.contracts.spec.reference import render_markdown
    from weibao.contracts.spec.registry import build_schema

    published = (EXAMPLES.parents[1] / "docs" / "contract-spec-reference.md").read_text("utf-8")
    assert published == render_markdown(build_schema())


def test_schema_is_served_at_the_documented_url(client):
    from weibao.contracts.spec.registry import build_schema

    response = client.get("/api/contract-spec/schema.json")
    assert response.status_code == 200
    assert response.json() == build_schema()


@pytest.mark.django_db
def test_pay03_old_scaled_by_assessment_reads_as_the_final_price_remainder():
    """Files written before remainders stay valid: ``scaled_by_assessment: true`` on the last
    milestone (its percent counting toward the 100) is read, and exported, as
    ``remainder: final_price`` — the factor applies to the whole amount [001 第一条四]."""
    old = spec(**{"payment.milestones.1.scaled_by_assessment": True})
    assert spec_errors(old) == []
    contract = import_spec(old).contract
    tail = contract.milestones.get(sequence=2)
    assert tail.amount_basis == "final_price" and tail.percent is None
    exported = export_data(contract)["payment"]["milestones"][1]
    assert exported["remainder"] == "final_price"
    assert "percent" not in exported and "scaled_by_assessment" not in exported


def test_pay03_remainder_spec_syntax_is_valid():
    data = spec(**{"payment.milestones": [
        {"name": "第一期", "percent": 50,
         "trigger": {"kind": "after_event", "event": "signing", "and_invoice": True,
                     "within": {"amount": 10, "unit": "working_days"}}},
        {"name": "第二期", "remainder": "approved_budget", "budget_year": 2025,
         "trigger": {"kind": "after_deliverable", "deliverable": "monthly-report-10",
                     "and_invoice": True, "within": {"amount": 10, "unit": "working_days"}}},
        {"name": "合同尾款", "remainder": "final_price",
         "trigger": {"kind": "after_acceptance", "and_invoice": True,
                     "within": {"amount": 10, "unit": "working_days"}}},
    ]})
    assert spec_errors(data) == []
