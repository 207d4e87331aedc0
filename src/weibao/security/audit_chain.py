"""The tamper-evident audit log (PLT-03).

Every django-auditlog ``LogEntry`` is sealed when it is written (``post_save``, inside the
transaction that writes the entry when there is one): its :class:`AuditSeal` holds the SM3
digest (:func:`weibao.core.crypto.digest`) of the previous seal's digest and the entry's
content. Sealing locks the single :class:`AuditChainHead` row, so concurrent writers queue and
the chain never forks. :func:`verify_chain` recomputes every link and names the first broken
one: an entry changed by a raw SQL ``UPDATE``, a deleted entry or seal, an entry inserted
without a seal (``weibao audit verify``, the page ``/security/audit/``).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from auditlog.models import LogEntry
from django.db import transaction
from django.utils.translation import gettext as _

from weibao.core.crypto import digest
from weibao.security.models import AuditChainHead, AuditSeal

__all__ = ["ChainReport", "canonical", "connect", "seal", "verify_chain"]

ALGORITHM = "sm3"
_FIELDS = ("id", "content_type_id", "object_pk", "object_id", "object_repr", "serialized_data",
           "action", "changes_text", "changes", "actor_id", "cid", "remote_addr",
           "remote_port", "timestamp", "additional_data", "actor_email")
_JSON = ("serialized_data", "changes", "additional_data")
_TEXT = ("object_pk", "object_repr", "changes_text", "cid", "remote_addr", "actor_email")


def canonical(entry: Any) -> bytes:
    """The entry's content as the bytes its seal digests, the same whichever database."""
    values: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(entry, name, None)
        if name in _JSON and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        elif isinstance(value, datetime):
            value = value.isoformat(timespec="microseconds")
        elif value is not None and name in _TEXT:
            value = str(value)  # object_pk: an int on the instance, text in the database
        values[name] = value
    return json.dumps(values, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")


def _link(previous: str, entry: Any) -> str:
    return digest(previous.encode("ascii") + b"\n" + canonical(entry), ALGORITHM)


def seal(entry: Any) -> AuditSeal:
    """Chain ``entry`` to the last sealed one (in the current transaction, or its own)."""
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditChainHead.objects.create(pk=1)
            head = AuditChainHead.objects.select_for_update().get(pk=1)
        value = _link(head.digest, entry)
        row = AuditSeal.objects.create(entry_id=entry.pk, digest=value, previous=head.digest,
                                       algorithm=ALGORITHM)
        head.digest = value
        head.count += 1
        head.save(update_fields=["digest", "count"])
    return row


def _on_entry_saved(sender: Any, instance: LogEntry, created: bool = False, raw: bool = False,
                    **kwargs: Any) -> None:
    if created and not raw:
        seal(instance)


def connect() -> None:
    from django.db.models.signals import post_save

    post_save.connect(_on_entry_saved, sender=LogEntry, dispatch_uid="security.audit_seal")


@dataclass
class ChainReport:
    """The result of a verification: ``broken_at`` the first broken link (None: intact)."""

    checked: int = 0
    broken_at: int | None = None  # the entry id
    reason: str = ""
    unsealed: list[int] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.broken_at is None and not self.unsealed


def _seals(batch: int) -> Iterator[list[AuditSeal]]:
    last = 0
    while True:
        rows = list(AuditSeal.objects.filter(pk__gt=last).order_by("pk")[:batch])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def verify_chain(batch: int = 2000) -> ChainReport:
    """Recompute the chain from the first seal; stop at the first broken link."""
    report = ChainReport()
    previous = ""
    for rows in _seals(batch):
        entries = LogEntry.objects.in_bulk([row.entry_id for row in rows])
        for row in rows:
            entry = entries.get(row.entry_id)
            if row.previous != previous:
                report.broken_at, report.reason = row.entry_id, _(
                    "the link to the previous entry is broken (a seal was removed or changed)")
            elif entry is None:
                report.broken_at, report.reason = row.entry_id, _(
                    "the audit entry was deleted")
            elif _link(previous, entry) != row.digest:
                report.broken_at, report.reason = row.entry_id, _(
                    "the audit entry was changed after it was written")
            if report.broken_at is not None:
                return report
            previous = row.digest
            report.checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.digest != previous or head.count != report.checked):
        report.broken_at, report.reason = -1, _("the last sealed entries were removed")
        return report
    sealed = AuditSeal.objects.values("entry_id")
    report.unsealed = list(LogEntry.objects.exclude(pk__in=sealed).order_by("pk")
                           .values_list("pk", flat=True)[:100])
    if report.unsealed:
        report.reason = _("audit entries were written without a seal")
    return report
