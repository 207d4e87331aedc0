"""On duty, expiring certificates and roster compliance (STF-01, STF-02, STF-04)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from weibao.staff.choices import StaffRole
from weibao.staff.models import Certificate, Member
from weibao.staff.selectors import (
    RuleResult,
    StaffRule,
    certificates_expiring,
    compliance,
    contract_compliance,
    on_duty,
)
from weibao.staff.services import add_duty_shift
from weibao.testing.examples import at, example_setup

DAY = datetime.date(2026, 3, 2)
KYLIN = StaffRule(minimum=2, certificate="麒麟", label="with Kylin OS certificate")


def _members(contract, n: int, **kw):  # type: ignore[no-untyped-def]
    return [Member.objects.create(contract=contract, name=f"工程师{i}",
                                  starts_on=datetime.date(2026, 1, 1), **kw) for i in range(n)]


@pytest.mark.django_db
def test_on_duty_finds_the_night_shift_stf04() -> None:
    s = example_setup("000-shanghai-sbk-outlets.yaml", "d")
    add_duty_shift(s.contract, s.people["engineer"], at("2026-03-02 18:00"),
                   at("2026-03-03 08:00"))
    assert on_duty(s.contract, at("2026-03-03 02:00")) == [s.people["engineer"]]
    assert on_duty(s.contract, at("2026-03-03 08:00")) == []
    assert on_duty(s.contract, at("2026-03-02 17:59")) == []
    with pytest.raises(ValidationError):
        add_duty_shift(s.contract, s.people["engineer"], at("2026-03-03 08:00"),
                       at("2026-03-03 08:00"))


@pytest.mark.django_db
@pytest.mark.parametrize(("holders", "ok"), [(1, False), (2, True), (3, True)])
def test_seed000_kylin_rule_at_the_boundary_stf01(holders: int, ok: bool) -> None:
    """Seed 000 L84–87: ≥20 outlet engineers, ≥2 with a Kylin OS certificate."""
    s = example_setup("000-shanghai-sbk-outlets.yaml", "k")
    members = _members(s.contract, 20)
    for m in members[:holders]:
        Certificate.objects.create(member=m, name="麒麟操作系统认证",
                                   expires_on=datetime.date(2027, 1, 1))
    # an expired certificate does not count
    Certificate.objects.create(member=members[-1], name="麒麟操作系统认证",
                               expires_on=DAY - datetime.timedelta(days=1))
    team, kylin = compliance(s.contract, [StaffRule(minimum=20, label="engineers"), KYLIN],
                             DAY)
    assert team.ok and team.count == 20
    assert kylin.ok is ok and kylin.count == holders
    if holders == 1:
        assert str(kylin) == "≥2 with Kylin OS certificate: 1 — short by 1"


@pytest.mark.django_db
def test_residents_and_period_stf01() -> None:
    """Seed 001 L96–104: 2 resident engineers; a member who left does not count."""
    s = example_setup("001-changzhou-hrss-onsite.yaml", "r")
    _a, b = _members(s.contract, 2, resident=True)
    rule = StaffRule(minimum=2, resident=True, role=StaffRole.ENGINEER, label="resident")
    assert compliance(s.contract, [rule], DAY)[0].ok
    b.ends_on = DAY - datetime.timedelta(days=1)
    b.save()
    assert compliance(s.contract, [rule], DAY)[0].shortfall == 1


@pytest.mark.django_db
def test_certificates_expiring_within_n_days_stf02() -> None:
    s = example_setup("000-shanghai-sbk-outlets.yaml", "e")
    (m,) = _members(s.contract, 1)
    soon = Certificate.objects.create(member=m, name="A", expires_on=DAY + datetime.timedelta(30))
    Certificate.objects.create(member=m, name="B", expires_on=DAY + datetime.timedelta(31))
    Certificate.objects.create(member=m, name="C", expires_on=DAY - datetime.timedelta(1))
    assert list(certificates_expiring(30, DAY)) == [soon]
    assert list(certificates_expiring(30, DAY, s.contract)) == [soon]
    with pytest.raises(ValueError):
        certificates_expiring(-1, DAY)


@settings(max_examples=50)
@given(st.integers(0, 50), st.integers(0, 50))
def test_shortfall_arithmetic(minimum: int, count: int) -> None:
    r = RuleResult(StaffRule(minimum=minimum), count)
    assert r.shortfall == max(0, minimum - count)
    assert r.ok == (count >= minimum)


@pytest.mark.django_db
@pytest.mark.parametrize(("example", "expected"), [
    ("000-shanghai-sbk-outlets.yaml", [20, 2]),
    ("001-changzhou-hrss-onsite.yaml", [2, 1, 1]),
    ("002-shanghai-hrss-ca-integration.yaml", [23, 15, 1]),
    ("004-qingpu-egov-cloud.yaml", [1]),
])
def test_example_specs_carry_the_seed_rules_stf01(example: str, expected: list[int]) -> None:
    """The ``staffing`` section of each example (seed citations in the YAML) is imported and
    an empty team is short by each minimum."""
    s = example_setup(example, "x")
    results = contract_compliance(s.contract, DAY)
    assert [r.rule.minimum for r in results] == expected
    assert [r.shortfall for r in results] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("residents", "ok"), [(14, False), (15, True), (16, True)])
def test_seed002_resident_minimum_at_the_boundary_stf01(residents: int, ok: bool) -> None:
    """Seed 002 L8064–8066: a team of ≥23 with ≥15 resident."""
    s = example_setup("002-shanghai-hrss-ca-integration.yaml", "b")
    _members(s.contract, residents, resident=True)
    _members(s.contract, 23 - residents)
    team, resident, _pm = contract_compliance(s.contract, DAY)
    assert team.ok and team.count == 23
    assert resident.ok is ok


@pytest.mark.django_db
def test_spec_round_trip_stf01() -> None:
    from weibao.staff.spec import dump

    s = example_setup("004-qingpu-egov-cloud.yaml", "t")
    assert dump(s.contract) == {"rules": [{"label": "常驻现场工程师", "minimum": 1,
                                           "resident": True, "role": "engineer"}]}
