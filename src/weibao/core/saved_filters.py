"""Saved filters of the lists (issue 16): a user keeps a list's filters under a name and finds
them as chips above that list, whatever browser they sign in with."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from weibao.core.models import SavedFilter, User

__all__ = ["MAX_PER_LIST", "delete_filter", "filters_for", "save_filter"]

#: A user keeps at most this many filters per list.
MAX_PER_LIST = 20
#: Parameters that are not filters: paging, sorting stay out; exporting never.
_NOT_FILTERS = {"page", "export", "csrfmiddlewaretoken"}


def _clean_query(query: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(query.lstrip("?"), keep_blank_values=False)
             if k not in _NOT_FILTERS and v not in ("", "unknown")]
    return urlencode(pairs)


@transaction.atomic
def save_filter(user: User, *, path: str, name: str, query: str) -> SavedFilter:
    """Keep ``query``'s filters of the list at ``path`` under ``name`` (the same name again
    replaces them)."""
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the filter a name.")
    elif len(name) > 40:
        errors["name"] = _("A filter's name has at most 40 characters.")
    try:
        if not path.startswith("/"):
            raise Resolver404
        resolve(path)
    except Resolver404:
        errors["path"] = _("This is not a list of weibao.")
    cleaned = _clean_query(query)
    if len(cleaned) > 2000:
        errors["query"] = _("These filters are too long to keep.")
    if errors:
        raise ValidationError(errors)
    User.objects.select_for_update().filter(pk=user.pk).first()
    mine = SavedFilter.objects.filter(user=user, path=path)
    if not mine.filter(name=name).exists() and mine.count() >= MAX_PER_LIST:
        raise ValidationError({"name": _("You keep at most %(n)s filters per list; remove "
                                         "one first.") % {"n": MAX_PER_LIST}})
    saved, _created = SavedFilter.objects.update_or_create(
        user=user, path=path, name=name, defaults={"query": cleaned})
    return saved


def delete_filter(user: User, pk: int) -> bool:
    """Remove one of the user's saved filters (another user's is never touched)."""
    deleted, _rows = SavedFilter.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)


def filters_for(user: User, path: str) -> list[SavedFilter]:
    if not user.is_authenticated:
        return []
    return list(SavedFilter.objects.filter(user=user, path=path))
