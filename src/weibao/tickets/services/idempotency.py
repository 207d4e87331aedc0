"""Writes of ``Idempotency-Key`` records: a phone retrying on a bad network gets the first
answer again instead of creating a second ticket or repeating a step."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from weibao.tickets.models import IdempotencyRecord

__all__ = ["claim_idempotency_key", "remember_answer"]


def claim_idempotency_key(user: Any, key: str,
                          request: str) -> tuple[IdempotencyRecord, bool]:
    """The record of ``key`` for ``user`` and whether this call created it. Call it inside
    the transaction that does the work: the record commits with the work, or not at all, so
    a failed request leaves nothing and its retry runs again. A known key's record comes
    back locked, so a concurrent retry waits for the first answer."""
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(user=user, key=key, request=request), True
    except IntegrityError:
        return IdempotencyRecord.objects.select_for_update().get(user=user, key=key), False


def remember_answer(record: IdempotencyRecord, status_code: int, body: Any) -> None:
    """Keep the successful answer that every retry with the same key gets."""
    record.status_code, record.body = status_code, body
    record.save(update_fields=["status_code", "body"])
