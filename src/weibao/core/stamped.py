"""Process-local caches of reference data read on hot paths (a ticket created, a stage
re-evaluated): calendars, SLA policies, API tokens, contracts' ticket types.

* :class:`StampedCache` keeps a value under a *stamp* (a version token or a timestamp the
  writers change in the same transaction as the data) and reads the stamp again at most every
  ``settings.WEIBAO_CACHE_RECHECK_SECONDS``.
* :class:`TimedCache` keeps a value for that long, for data without a stamp.

Either way a change made in this process expires the entries at once (``expire``, called by
the writer or a model signal); one made in another process is seen within the interval
(0 reads the database on every call, as the test suite does). A value built inside a
transaction that is later rolled back can be served by this process until the interval ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings
from django.db.models import Model

__all__ = ["StampedCache", "TimedCache", "expire_on_write", "recheck_seconds"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def recheck_seconds() -> float:
    return float(getattr(settings, "WEIBAO_CACHE_RECHECK_SECONDS", 0))


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
        recheck = recheck_seconds()
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


class TimedCache(Generic[K, V]):
    """``get(key, build)`` answers the value built for ``key`` less than the recheck interval
    ago; ``build()`` returning None is not kept (a miss asks the database every time). At most
    ``size`` keys are kept; the oldest go first."""

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._entries: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K, build: Callable[[], V | None]) -> V | None:
        recheck = recheck_seconds()
        now = time.monotonic()
        if recheck > 0:
            with self._lock:
                entry = self._entries.get(key)
            if entry is not None and now - entry[0] < recheck:
                return entry[1]
        value = build()
        if value is not None and recheck > 0:
            with self._lock:
                self._entries.pop(key, None)
                if len(self._entries) >= self._size:
                    self._entries.pop(next(iter(self._entries)))
                self._entries[key] = (now, value)
        return value

    def expire(self, key: K | None = None) -> None:
        """Forget ``key`` (all keys when None)."""
        with self._lock:
            if key is None:
                self._entries.clear()
            else:
                self._entries.pop(key, None)


def expire_on_write(receiver: Callable[..., None], *models: type[Model]) -> None:
    """Call ``receiver`` (a signal receiver that expires a cache) whenever a row of one of
    ``models`` is saved or deleted in this process."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(receiver, sender=model, weak=False, dispatch_uid=(
                f"{receiver.__module__}.{receiver.__name__}:{model._meta.label}:{name}"))
