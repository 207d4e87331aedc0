"""The compiled SLA policy is cached per process (SLA-01..08 are evaluated on every ticket
event): a re-imported spec is used at once in this process, a change written by another
process within ``WEIBAO_CACHE_RECHECK_SECONDS``, and the policy is not re-read in between."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.utils import timezone

from weibao.contracts.spec.importer import import_spec
from weibao.sla.models import SlaPolicy, SlaTarget
from weibao.sla.selectors import cached_contract_policy, forget_contract_policy
from weibao.sla.tests.test_spec_section import SERVICE_LEVELS, spec_with

pytestmark = pytest.mark.django_db


def respond_hours(policy: object) -> float:
    target = next(t for t in policy.targets if t.stage == "respond")  # type: ignore[attr-defined]
    return float(target.amount)


def test_a_reimported_spec_is_used_at_once_in_this_process(settings):
    settings.WEIBAO_CACHE_RECHECK_SECONDS = 3600
    contract = import_spec(spec_with(SERVICE_LEVELS)).contract
    assert respond_hours(cached_contract_policy(contract)) == 2
    levels = copy.deepcopy(SERVICE_LEVELS)
    levels["targets"][0]["within"]["amount"] = 4
    import_spec(spec_with(levels))
    assert respond_hours(cached_contract_policy(contract)) == 4


def test_within_the_interval_the_policy_is_not_read_again(settings, monkeypatch,
                                                          django_assert_num_queries):
    settings.WEIBAO_CACHE_RECHECK_SECONDS = 2
    clock = [5000.0]
    monkeypatch.setattr("weibao.core.stamped.time.monotonic", lambda: clock[0])
    contract = import_spec(spec_with(SERVICE_LEVELS)).contract
    forget_contract_policy(contract.pk)
    first = cached_contract_policy(contract)
    # Another process changes a target and moves the policy's timestamp (no signal here).
    SlaTarget.objects.filter(policy__contract=contract, stage__code="respond").update(amount=8)
    SlaPolicy.objects.filter(contract=contract).update(
        updated_at=timezone.now() + datetime.timedelta(seconds=1))
    clock[0] += 1.9
    with django_assert_num_queries(0):
        assert cached_contract_policy(contract) is first
    clock[0] += 0.2
    assert respond_hours(cached_contract_policy(contract)) == 8


def test_an_unchanged_stamp_keeps_the_compiled_policy(settings):
    settings.WEIBAO_CACHE_RECHECK_SECONDS = 0
    contract = import_spec(spec_with(SERVICE_LEVELS)).contract
    first = cached_contract_policy(contract)
    assert cached_contract_policy(contract) is first
