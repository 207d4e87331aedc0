"""The event registry (事件登记) and publishing.

An app registers its event kinds with :func:`register` (label and default recipients); its
services call :func:`publish` inside their transaction, and the event is handed to the
background worker only once the transaction has committed (``transaction.on_commit``): a
rolled-back change tells no one, and the request never waits for a channel.

Recipient selectors (the defaults here and the contract spec's rules): ``role:<role>``,
``party:<purchaser|vendor|supervisor|site_owner>``, ``organisation:<code>``,
``user:<username>``, and the people of the event — ``assignee``, ``reporter``, ``on_duty``,
``subject``.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

__all__ = ["Event", "EventKind", "get", "kinds", "publish", "register"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventKind:
    kind: str
    label: Any
    default_recipients: tuple[str, ...]


_KINDS: dict[str, EventKind] = {}


def register(kind: str, label: Any, *default_recipients: str) -> EventKind:
    """Register an event kind (idempotent: the last registration wins)."""
    entry = EventKind(kind, label, tuple(default_recipients))
    _KINDS[kind] = entry
    return entry


def kinds() -> list[EventKind]:
    return sorted(_KINDS.values(), key=lambda k: k.kind)


def get(kind: str) -> EventKind:
    if kind not in _KINDS:
        raise KeyError(f"unregistered notification event {kind!r}")
    return _KINDS[kind]


@dataclass
class Event:
    """One occurrence, as the worker receives it (plain data: it is queued)."""

    kind: str
    key: str
    contract_id: int | None
    subject: str
    body: str = ""
    link: str = ""
    urgent: bool = False
    people: dict[str, list[int]] = field(default_factory=dict)
    at: datetime.datetime | None = None
    # Recipients named by the publisher (an escalation step) instead of the contract's rules.
    selectors: list[str] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "contract_id": self.contract_id,
                "subject": self.subject, "body": self.body, "link": self.link,
                "urgent": self.urgent, "people": self.people, "at": self.at,
                "selectors": self.selectors}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        return cls(**data)


def build(kind: str, *, key: str, contract: Any, subject: Any, body: Any = "", link: str = "",
          urgent: bool = False, people: Mapping[str, Iterable[int | None]] | None = None,
          at: datetime.datetime | None = None, selectors: list[str] | None = None) -> Event:
    """The event with its texts rendered in the site's default language (Chinese): the
    worker and the channels have no request to take a language from."""
    get(kind)
    contract_id = getattr(contract, "pk", contract)
    with translation.override(settings.LANGUAGE_CODE):
        subject_text, body_text = str(subject)[:200], str(body)
    return Event(kind=kind, key=f"{kind}:{key}"[:120], contract_id=contract_id,
                 subject=subject_text, body=body_text, link=link[:300], urgent=urgent,
                 people={name: [pk for pk in ids if pk] for name, ids in (people or {}).items()},
                 at=at or timezone.now(), selectors=selectors)


def publish(kind: str, **fields: Any) -> Event:
    """Raise an event: queued for the worker after the current transaction commits."""
    event = build(kind, **fields)
    publish_events([event])
    return event


def publish_events(events: list[Event]) -> None:
    if not events:
        return
    payload = [event.as_dict() for event in events]

    def enqueue() -> None:
        from weibao.notifications.tasks import fan_out_events

        fan_out_events(payload)

    # robust: a queue that cannot be reached is logged; the committed change stands.
    transaction.on_commit(enqueue, robust=True)
