"""Emergency plans (应急预案, EMG-01 [002 §9.1.1 1]): one per system, kept current through
versions ("在运维期内及时更新"), each review recorded with the next review date."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.assets.choices import AssetCategory
from weibao.assets.models import Asset
from weibao.contracts.models import Contract
from weibao.core.errors import ServiceError
from weibao.emergency.models import EmergencyPlan, PlanVersion
from weibao.emergency.services.common import EmergencyConflict, lock_current, require, text

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["SECTIONS", "create_plan", "issue_version", "record_review"]

#: The sections a version carries (002 §9.1.1 1).
SECTIONS = ("organisation", "prevention", "response_levels", "disposal", "recovery")


def _check_review_due(value: datetime.date | None, today: datetime.date) -> None:
    if value is not None and value < today:
        raise ServiceError({"review_due": [_("The next review must not be in the past.")]})


@transaction.atomic
def create_plan(contract: Contract, user: User, *, title: str, system: Asset | None = None,
                review_due: datetime.date | None = None) -> EmergencyPlan:
    """A new plan of one of the contract's information systems (or of the whole contract)."""
    require(user, "emergency.add_emergencyplan", contract,
            _("Your role may not write emergency plans of this contract."))
    Contract.objects.select_for_update().filter(pk=contract.pk).exists()
    name = text(title, "title", _("Give the plan a title."))
    if system is not None:
        if system.contract_id != contract.pk or (
                system.asset_type.category != AssetCategory.INFORMATION_SYSTEM):
            raise ServiceError({"system": [_("Choose an information system of this "
                                             "contract.")]})
        if EmergencyPlan.objects.filter(contract=contract, system=system).exists():
            raise ServiceError({"system": [_("%(system)s already has an emergency plan: "
                                             "issue a new version of it instead.")
                                           % {"system": system}]})
    _check_review_due(review_due, timezone.localdate())
    return EmergencyPlan.objects.create(contract=contract, system=system, title=name[:200],
                                        review_due=review_due)


@transaction.atomic
def issue_version(plan: EmergencyPlan | int, user: User, data: dict[str, Any], *,
                  document: Any = None, expected_version: int | None = None) -> PlanVersion:
    """Issue the next version: the document and/or the sections; at least the disposal
    procedure or the document must be there. Issuing counts as a review."""
    locked = lock_current(EmergencyPlan, plan, expected_version)
    require(user, "emergency.add_emergencyplan", locked.contract,
            _("Your role may not write emergency plans of this contract."))
    values = {key: (data.get(key) or "").strip() for key in SECTIONS}
    if not document and not values["disposal"]:
        raise ServiceError({"disposal": [_("Attach the plan's document or write at least "
                                           "its disposal procedure.")]})
    today = timezone.localdate()
    review_due = data.get("review_due")
    _check_review_due(review_due, today)
    locked.current_version += 1
    version = PlanVersion(contract=locked.contract, plan=locked,
                          number=locked.current_version, issued_on=today, issued_by=user,
                          note=(data.get("note") or "").strip()[:300], **values)
    if document:
        version.document = document
    version.save()
    locked.last_reviewed_on = today
    if review_due is not None:
        locked.review_due = review_due
    locked.version += 1
    locked.save(update_fields=["current_version", "last_reviewed_on", "review_due", "version",
                               "updated_at"])
    return version


@transaction.atomic
def record_review(plan: EmergencyPlan | int, user: User, *, next_review: datetime.date,
                  expected_version: int | None = None) -> EmergencyPlan:
    """The plan was reviewed and stays as it is until ``next_review``."""
    locked = lock_current(EmergencyPlan, plan, expected_version)
    require(user, "emergency.review_emergencyplan", locked.contract,
            _("Your role may not review emergency plans of this contract."))
    if locked.current_version == 0:
        raise EmergencyConflict(_("Issue a first version before reviewing the plan."),
                                version=locked.version)
    today = timezone.localdate()
    if next_review is None or next_review <= today:
        raise ServiceError({"next_review": [_("The next review must be after today.")]})
    locked.last_reviewed_on, locked.review_due = today, next_review
    locked.version += 1
    locked.save(update_fields=["last_reviewed_on", "review_due", "version", "updated_at"])
    return locked
