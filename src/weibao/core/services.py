"""Writes of the core domain: organisations, users, the worker heartbeat."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.core.choices import Role
from weibao.core.errors import ServiceError
from weibao.core.models import Organisation, User, WorkerHeartbeat

__all__ = ["check_role", "record_heartbeat", "save_organisation", "save_user"]


def check_role(role: str, organisation: Organisation | None) -> None:
    """A person's role must fit their organisation: a vendor has no purchaser staff."""
    if role not in Role.values:
        raise ServiceError({"role": [_("Unknown role %(role)s.") % {"role": role}]})
    if role == Role.ADMINISTRATOR and organisation is None:
        return
    if organisation is None:
        raise ServiceError({"organisation": [_("This role needs an organisation.")]})
    if Role(role) not in Role.for_kind(organisation.kind):
        allowed = ", ".join(str(r.label) for r in Role.for_kind(organisation.kind))
        raise ServiceError(
            {"role": [_("An organisation of kind %(kind)s has the roles: %(allowed)s.")
                      % {"kind": organisation.get_kind_display(), "allowed": allowed}]}
        )


@transaction.atomic
def save_organisation(values: dict[str, Any], organisation: Organisation | None = None
                      ) -> Organisation:
    organisation = organisation or Organisation()
    if organisation.pk and "kind" in values and values["kind"] != organisation.kind:
        mismatched = organisation.users.exclude(role__in=[r.value for r in
                                                          Role.for_kind(values["kind"])])
        if mismatched.exists():
            raise ServiceError({"kind": [_("Users of this organisation hold roles that do not "
                                           "fit the new kind; change their roles first.")]})
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def save_user(values: dict[str, Any], *, password: str = "", user: User | None = None) -> User:
    user = user or User()
    check_role(values.get("role", user.role), values.get("organisation", user.organisation))
    for name, value in values.items():
        setattr(user, name, value)
    user.is_staff = user.role == Role.ADMINISTRATOR
    if password:
        user.set_password(password)
    elif not user.pk:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def record_heartbeat(name: str = "worker") -> WorkerHeartbeat:
    beat, _created = WorkerHeartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": timezone.now()}
    )
    return beat
