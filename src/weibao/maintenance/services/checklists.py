"""Rules shared by doing a visit and correcting its sheet: who may act on a visit, the
locked visit with its optimistic version, and the validation of checklist answers by item
kind (PM-01, PM-02, AST-08). ``visits`` and ``sheets`` call these; nothing else should."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from weibao.core.choices import Role
from weibao.maintenance.choices import ItemKind, VisitStatus
from weibao.maintenance.models import ChecklistItem, Visit, VisitResult
from weibao.maintenance.services.errors import StaleVisit, VisitConflict

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["CLOCK_TOLERANCE", "CleanAnswer", "clean_answers", "display_value", "is_answered",
           "is_manager_of", "locked_visit", "require_performer", "require_workable"]

#: A phone's clock may run a little ahead of the server's.
CLOCK_TOLERANCE = datetime.timedelta(minutes=5)


def locked_visit(visit: Visit | int, expected_version: int | None) -> Visit:
    """The visit locked for this transaction (``select_for_update``), refused when someone
    changed it since the caller read ``expected_version``."""
    pk = visit.pk if isinstance(visit, Visit) else visit
    locked = (Visit.objects.select_for_update(of=("self",))
              .select_related("plan__checklist", "site", "asset", "contract")
              .get(pk=pk))
    if expected_version is not None and locked.version != expected_version:
        raise StaleVisit(
            _("Someone changed this visit in the meantime (version %(current)s, you had "
              "%(expected)s); reload it and try again.")
            % {"current": locked.version, "expected": expected_version},
            version=locked.version)
    return locked


def is_manager_of(actor: User, visit: Visit) -> bool:
    """A vendor manager (or an administrator) of the visit's contract."""
    if getattr(actor, "is_administrator", False):
        return True
    return actor.role == Role.VENDOR_MANAGER and visit.contract.is_visible_to(actor)


def require_performer(actor: User, visit: Visit) -> None:
    """Carrying out a visit: the role may (``perform_visit``) on this contract, and the actor
    is its engineer — the assignee, anyone of the plan's roles while it is unassigned — or a
    vendor manager of the contract."""
    if not actor.has_perm("maintenance.perform_visit", visit):
        raise PermissionDenied(_("Your role may not carry out visits of this contract."))
    if is_manager_of(actor, visit):
        return
    if visit.assignee_id is not None and visit.assignee_id != actor.pk:
        raise PermissionDenied(_("This visit is assigned to another engineer."))
    roles = visit.plan.performer_roles or []
    if visit.assignee_id is None and roles and actor.role not in roles:
        raise PermissionDenied(_("This plan's visits are done by other roles."))


def require_workable(visit: Visit) -> None:
    """Results, photos, parts and tickets are recorded after check-in and before submission.
    A visit whose window closed while the engineer worked (missed) may still be finished."""
    if visit.status == VisitStatus.IN_PROGRESS or (
            visit.status == VisitStatus.MISSED and visit.checked_in_at is not None):
        return
    if visit.status in (VisitStatus.PLANNED, VisitStatus.MISSED):
        message = _("Check in at the visit before recording it.")
    elif visit.status == VisitStatus.DONE:
        message = _("The visit is done and its sheet is signed; correct the sheet instead.")
    else:
        message = _("The visit is %(status)s.") % {"status": VisitStatus(visit.status).label}
    raise VisitConflict(message, version=visit.version)


@dataclass(frozen=True)
class CleanAnswer:
    """One validated answer, with the item's text, kind and order copied (the snapshot)."""

    item: ChecklistItem
    value: Any
    abnormal: bool
    note: str


def _decimal(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _range_text(item: ChecklistItem) -> str:
    low, high = _decimal(item.min_value), _decimal(item.max_value)
    unit = f" {item.unit}" if item.unit else ""
    if low and high:
        return f"{low}–{high}{unit}"
    if low:
        return f"≥ {low}{unit}"
    return f"≤ {high}{unit}"


def _number(item: ChecklistItem, value: Any) -> tuple[Any, bool]:
    if isinstance(value, bool):
        raise ValueError
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(item)s: “%(value)s” is not a number.")
                              % {"item": item.text, "value": value}) from None
    if not number.is_finite():
        raise ValidationError(_("%(item)s: “%(value)s” is not a number.")
                              % {"item": item.text, "value": value})
    if ((item.min_value is not None and number < item.min_value)
            or (item.max_value is not None and number > item.max_value)):
        raise ValidationError(
            _("%(item)s: %(value)s is outside the allowed range %(range)s.")
            % {"item": item.text, "value": _decimal(number), "range": _range_text(item)})
    abnormal = ((item.normal_min is not None and number < item.normal_min)
                or (item.normal_max is not None and number > item.normal_max))
    stored: Any = int(number) if number == number.to_integral_value() else float(number)
    return stored, abnormal


def _choice_values(choices: list[Any]) -> list[str]:
    values = []
    for choice in choices or []:
        if isinstance(choice, dict):
            values.append(str(choice.get("value", choice.get("code", ""))))
        else:
            values.append(str(choice))
    return values


def _pass_fail(item: ChecklistItem, value: Any) -> tuple[Any, bool]:
    if isinstance(value, str) and value.strip().lower() in ("pass", "true", "1", "yes"):
        value = True
    elif isinstance(value, str) and value.strip().lower() in ("fail", "false", "0", "no"):
        value = False
    if not isinstance(value, bool):
        raise ValidationError(_("%(item)s: answer pass or fail.") % {"item": item.text})
    return value, value is False


def _asset_lines(item: ChecklistItem, value: Any, visit: Visit) -> tuple[Any, bool]:
    from weibao.assets.choices import VerificationResult
    from weibao.assets.models import Asset

    if not isinstance(value, list):
        raise ValidationError(_("%(item)s: list each asset with its result.")
                              % {"item": item.text})
    ids = [line.get("asset") for line in value if isinstance(line, dict)]
    if len(ids) != len(value):
        raise ValidationError(_("%(item)s: list each asset with its result.")
                              % {"item": item.text})
    known = {a.pk: a for a in Asset.objects.filter(contract_id=visit.contract_id,
                                                   pk__in=[i for i in ids if isinstance(i, int)])}
    lines, abnormal = [], False
    for line in value:
        asset = known.get(line.get("asset"))
        on_site = asset is not None and (
            (visit.site_id is not None and asset.site_id == visit.site_id)
            or asset.pk == visit.asset_id)
        if asset is None or not on_site:
            raise ValidationError(_("%(item)s: asset %(asset)s is not recorded at this site.")
                                  % {"item": item.text, "asset": line.get("asset")})
        result, note = line.get("result"), str(line.get("note") or "").strip()
        if result not in VerificationResult.values:
            raise ValidationError(_("%(item)s: %(asset)s needs a result: present, missing or "
                                    "mismatch.") % {"item": item.text, "asset": asset})
        if result == VerificationResult.MISMATCH and not note:
            raise ValidationError(_("%(item)s: describe how %(asset)s differs from the "
                                    "record.") % {"item": item.text, "asset": asset})
        abnormal = abnormal or result != VerificationResult.PRESENT
        lines.append({"asset": asset.pk, "label": str(asset), "code": asset.code,
                      "result": result, "note": note})
    return lines, abnormal


def _clean_value(item: ChecklistItem, value: Any, visit: Visit) -> tuple[Any, bool]:
    if value is None or (isinstance(value, str) and not value.strip()
                         and item.kind != ItemKind.TEXT):
        return None, False
    if item.kind == ItemKind.PASS_FAIL:
        return _pass_fail(item, value)
    if item.kind == ItemKind.NUMBER:
        try:
            return _number(item, value)
        except ValueError:
            raise ValidationError(_("%(item)s: “%(value)s” is not a number.")
                                  % {"item": item.text, "value": value}) from None
    if item.kind == ItemKind.CHOICE:
        text = str(value)
        if text not in _choice_values(item.choices):
            raise ValidationError(_("%(item)s: “%(value)s” is not one of the choices "
                                    "(%(choices)s).")
                                  % {"item": item.text, "value": text,
                                     "choices": "、".join(_choice_values(item.choices))})
        return text, text in _choice_values(item.abnormal_choices)
    if item.kind == ItemKind.ASSET_VERIFICATION:
        return _asset_lines(item, value, visit)
    if item.kind == ItemKind.PHOTO:
        return (str(value).strip() or None), False
    return str(value).strip(), False


def clean_answers(visit: Visit, answers: dict[str, dict[str, Any]]) -> list[CleanAnswer]:
    """Validate ``answers`` (item code → ``{"value": …, "note": …}``) against the visit's
    checklist; every problem is reported at once, keyed by item code."""
    items = {item.code: item for item in visit.plan.checklist.items.all()}
    errors: dict[str, list[str]] = {}
    cleaned = []
    for code, answer in answers.items():
        item = items.get(code)
        if item is None:
            errors.setdefault(code, []).append(
                _("Unknown checklist item %(code)s.") % {"code": code})
            continue
        if not isinstance(answer, dict):
            answer = {"value": answer}
        try:
            value, abnormal = _clean_value(item, answer.get("value"), visit)
        except ValidationError as error:
            errors.setdefault(code, []).extend(error.messages)
            continue
        cleaned.append(CleanAnswer(item, value, abnormal, str(answer.get("note") or "").strip()))
    if errors:
        raise ValidationError(errors)
    return cleaned


def is_answered(result: VisitResult | None) -> bool:
    if result is None or result.value is None:
        return False
    return not (isinstance(result.value, str | list) and not result.value)


def display_value(kind: str, value: Any) -> str:
    """How an answer reads on the sheet and in the change table (Chinese, as the sheet)."""
    if value is None or value == "":
        return "—"
    if kind == ItemKind.PASS_FAIL:
        return _("pass") if value else _("fail")
    if kind == ItemKind.ASSET_VERIFICATION and isinstance(value, list):
        from weibao.assets.choices import VerificationResult

        return "；".join(
            f"{line.get('label', line.get('asset'))}: "
            f"{VerificationResult(line['result']).label}"
            + (f"（{line['note']}）" if line.get("note") else "") for line in value)
    return str(value)
