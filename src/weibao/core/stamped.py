"""Process-local caches of values built from the database, kept under a *stamp* (a version
token or a timestamp the writers change in the same transaction as the data).

Reading the stamp is one small query; a hot path (a ticket created, a stage re-evaluated)
reads several such caches, so each stamp is read again at most every
``settings.WEIBAO_CACHE_RECHECK_SECONDS`` per process (0 reads it on every call). A change
made in this process expires the entry at once (:meth:`StampedCache.expire`); one made in
another process is seen within that interval.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings

__all__ = ["StampedCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass
class _Entry(Generic[V]):
    stamp: object
    value: V
    checked: float


class StampedCache(Generic[K, V]):
    """``get(key, build)`` answers the value built for ``key`` while its stamp is unchanged.

    ``read_stamp(key)`` reads the current stamp from the database; ``build()`` makes the
    value when the stamp differs from the one it was built under."""

    def __init__(self, read_stamp: Callable[[K], object]) -> None:
        self._read_stamp = read_stamp
        self._entries: dict[K, _Entry[V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K, build: Callable[[], V]) -> V:
        now = time.monotonic()
        recheck = float(getattr(settings, "WEIBAO_CACHE_RECHECK_SECONDS", 0))
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and now - entry.checked < recheck:
            return entry.value
        stamp = self._read_stamp(key)
        if entry is not None and entry.stamp == stamp:
            entry.checked = now
            return entry.value
        value = build()
        with self._lock:
            self._entries[key] = _Entry(stamp=stamp, value=value, checked=now)
        return value

    def expire(self, key: K | None = None) -> None:
        """Forget ``key`` (all keys when None): the next ``get`` reads the stamp again."""
        with self._lock:
            if key is None:
                self._entries.clear()
            else:
                self._entries.pop(key, None)
