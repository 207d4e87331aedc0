"""Files written inside a transaction that later rolls back must not stay on disk."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from django.core.files.storage import Storage

__all__ = ["file_reader", "remove_files_on_error", "track_new_file"]

_tracked: ContextVar[list[tuple[Storage, str]] | None] = ContextVar("weibao_new_files",
                                                                     default=None)


def track_new_file(storage: Storage, name: str) -> None:
    """Remember a file just written, so an enclosing ``remove_files_on_error`` can delete it."""
    files = _tracked.get()
    if files is not None:
        files.append((storage, name))


@contextlib.contextmanager
def remove_files_on_error() -> Iterator[None]:
    """Wrap a transaction that may write files: if it raises, the files it wrote are deleted."""
    outer = _tracked.get()
    mine: list[tuple[Storage, str]] = []
    token = _tracked.set(mine)
    try:
        yield
    except BaseException:
        for storage, name in mine:
            storage.delete(name)
        raise
    finally:
        _tracked.reset(token)
    if outer is not None:  # an enclosing block may still fail: hand the files on
        outer.extend(mine)


def file_reader(field: Any) -> Callable[[], bytes]:
    """A function reading a stored file field's bytes when called (not before)."""
    def read() -> bytes:
        with field.open("rb") as handle:
            return bytes(handle.read())
    return read
