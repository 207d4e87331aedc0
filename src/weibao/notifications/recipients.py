"""Who hears of an event: the contract's rules (spec ``notifications``) or the kind's
defaults, resolved to people — and never a person who cannot see the contract (PLT-01).

One :class:`Resolver` serves a batch of events and remembers what it looked up per contract,
so a fan-out of thousands of SLA warnings costs a few queries per contract, not per event."""

from __future__ import annotations

import datetime

from weibao.contracts.models import Contract, ContractParty
from weibao.core.models import User
from weibao.notifications.events import Event, get
from weibao.notifications.models import Escalation, RecipientRule

__all__ = ["Resolver", "rule_selectors"]

PEOPLE = ("assignee", "reporter", "subject")


def rule_selectors(rule: RecipientRule | Escalation) -> list[str]:
    """A spec rule as selectors (``role:…``, ``party:…``, ``assignee`` …)."""
    return ([f"role:{r}" for r in rule.roles] + [f"party:{p}" for p in rule.parties]
            + [f"organisation:{o}" for o in rule.organisations] + list(rule.recipients)
            + [f"user:{u}" for u in rule.users])


class Resolver:
    def __init__(self) -> None:
        self._rules: dict[int, list[RecipientRule]] = {}
        self._parties: dict[int, list[tuple[str, int]]] = {}
        self._users: dict[tuple[int, str], list[int]] = {}
        self._visible: dict[tuple[int, int], bool] = {}
        self._people: dict[int, User] = {}
        self._contracts: dict[int, Contract] = {}
        self._duty: dict[tuple[int, datetime.datetime], list[int]] = {}

    # ------------------------------------------------------------------ selectors
    def selectors(self, event: Event) -> list[str]:
        if event.selectors is not None:
            return list(event.selectors)
        if event.contract_id is not None:
            if event.contract_id not in self._rules:
                self._rules[event.contract_id] = list(
                    RecipientRule.objects.filter(contract_id=event.contract_id))
            matching = [rule for rule in self._rules[event.contract_id]
                        if event.kind in rule.events or "*" in rule.events]
            if matching:
                return sorted({s for rule in matching for s in rule_selectors(rule)})
        return list(get(event.kind).default_recipients)

    def _party_orgs(self, contract_id: int) -> list[tuple[str, int]]:
        if contract_id not in self._parties:
            self._parties[contract_id] = list(ContractParty.objects.filter(
                contract_id=contract_id).values_list("role", "organisation_id"))
        return self._parties[contract_id]

    def _select(self, contract_id: int | None, selector: str) -> list[int]:
        name, _sep, value = selector.partition(":")
        cache_key = (contract_id or 0, selector)
        if cache_key in self._users:
            return self._users[cache_key]
        users = User.objects.filter(is_active=True)
        orgs = [org for _role, org in self._party_orgs(contract_id)] if contract_id else []
        if name == "role":
            found = users.filter(role=value, organisation_id__in=orgs)
        elif name == "party":
            found = users.filter(organisation_id__in=[
                org for role, org in self._party_orgs(contract_id or 0) if role == value])
        elif name == "organisation":
            found = users.filter(organisation__code=value)
        elif name == "user":
            found = users.filter(username=value)
        else:
            found = users.none()
        ids = list(found.values_list("pk", flat=True))
        self._users[cache_key] = ids
        return ids

    def _on_duty(self, contract_id: int, at: datetime.datetime | None) -> list[int]:
        """STF-04: who is on duty for the contract when the event happened."""
        from django.utils import timezone

        from weibao.staff.selectors import on_duty

        # Shifts start and end on whole minutes: events of one minute share one lookup.
        when = (at or timezone.now()).replace(second=0, microsecond=0)
        key = (contract_id, when)
        if key not in self._duty:
            if contract_id not in self._contracts:
                self._contracts[contract_id] = Contract.objects.get(pk=contract_id)
            self._duty[key] = [user.pk for user in on_duty(self._contracts[contract_id], when)]
        return self._duty[key]

    # ------------------------------------------------------------------ scoping
    def can_see(self, user_id: int, contract_id: int | None) -> bool:
        """PLT-01 through the contracts' own scoping (``Contract.objects.visible_to``)."""
        if contract_id is None:
            return True
        key = (user_id, contract_id)
        if key not in self._visible:
            user = self.person(user_id)
            self._visible[key] = user is not None and Contract.objects.visible_to(
                user).filter(pk=contract_id).exists()
        return self._visible[key]

    def person(self, user_id: int) -> User | None:
        if user_id not in self._people:
            found = User.objects.filter(pk=user_id, is_active=True).first()
            if found is None:
                return None
            self._people[user_id] = found
        return self._people[user_id]

    def preload(self, user_ids: set[int]) -> None:
        missing = user_ids - set(self._people)
        if missing:
            for user in User.objects.filter(pk__in=missing, is_active=True).select_related(
                    "notification_preference"):
                self._people[user.pk] = user

    # ------------------------------------------------------------------ recipients
    def recipients(self, event: Event) -> list[int]:
        """The ids of the people to tell, each once, in id order."""
        found: set[int] = set()
        for selector in self.selectors(event):
            if selector in PEOPLE:
                found.update(event.people.get(selector, []))
            elif selector == "on_duty":
                if event.contract_id is not None:
                    found.update(self._on_duty(event.contract_id, event.at))
            else:
                found.update(self._select(event.contract_id, selector))
        self.preload(found)
        return sorted(pk for pk in found
                      if pk in self._people and self.can_see(pk, event.contract_id))

