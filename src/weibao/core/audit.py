"""PLT-03: every create/update/delete of core objects is written to the audit log."""

import contextlib
from collections.abc import Iterator
from typing import Any

from auditlog.registry import auditlog

from weibao.core.models import Organisation, User

auditlog.register(Organisation)
auditlog.register(User, exclude_fields=["password", "last_login"], mask_fields=["phone"])


def audit_action(action: int) -> str:
    """The audit action in the user's language."""
    from auditlog.models import LogEntry
    from django.utils.translation import gettext as _

    return {
        LogEntry.Action.CREATE: _("created"),
        LogEntry.Action.UPDATE: _("changed"),
        LogEntry.Action.DELETE: _("deleted"),
        LogEntry.Action.ACCESS: _("viewed"),
    }.get(action, str(action))


@contextlib.contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Attribute the audit entries written inside to ``actor``.

    Within a request the audit middleware has already opened a context: fill in its actor
    (token-authenticated API calls are authenticated after the middleware ran). Outside a
    request (commands, tasks) open a context of our own.
    """
    from auditlog.context import auditlog_value, set_actor

    current = auditlog_value.get(None)
    if current is not None:
        if current.get("actor") is None and actor is not None:
            current["actor"] = actor
        yield
        return
    with set_actor(actor):
        yield
