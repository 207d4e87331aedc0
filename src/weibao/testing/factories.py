"""factory-boy factories shared by every app's tests."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from weibao.contracts.choices import MilestoneTrigger, PartyRole
from weibao.contracts.models import Contract, ContractParty, PaymentMilestone
from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import Organisation, User

__all__ = ["ContractFactory", "MilestoneFactory", "OrganisationFactory", "UserFactory",
           "make_contract"]

PASSWORD = "correct horse battery staple"  # noqa: S105  (test accounts only)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试单位{n}")
    code = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganisationKind.PURCHASER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PURCHASER_STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: Any = None) -> None:
        if create:
            instance.save()


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    number = factory.Sequence(lambda n: f"TEST-{n:04d}")
    title = factory.Sequence(lambda n: f"测试维保合同{n}")
    amount = Decimal("1000000.00")
    signed_on = datetime.date(2025, 1, 10)
    start_date = datetime.date(2025, 1, 1)
    end_date = datetime.date(2025, 12, 31)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentMilestone

    contract = factory.SubFactory(ContractFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"付款{n}")
    percent = Decimal("50")
    trigger = MilestoneTrigger.ON_SIGNING


def make_contract(purchaser: Organisation, vendor: Organisation,
                  **extra: Any) -> Contract:
    """A contract with its purchaser and vendor parties (and any ``role=org`` extras)."""
    parties = {PartyRole.PURCHASER: purchaser, PartyRole.VENDOR: vendor}
    for role in (PartyRole.SUPERVISOR, PartyRole.SITE_OWNER):
        if role.value in extra:
            parties[role] = extra.pop(role.value)
    contract = ContractFactory(**extra)
    for role, org in parties.items():
        ContractParty.objects.create(contract=contract, organisation=org, role=role)
    return contract
