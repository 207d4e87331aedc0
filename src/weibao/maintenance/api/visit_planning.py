"""The manager's steps of visits (PM-01..07): a visit made by hand (``POST
/api/maintenance/visits/``, e.g. for an on_demand plan), ``move``, ``reassign`` and
``cancel``; each calls its service in ``weibao.maintenance.services.generation``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.assets.models import Asset
from weibao.maintenance.api.common import (
    actor,
    expected_version,
    vendor_engineer,
    visible_contract,
)
from weibao.maintenance.api.serializers import (
    CancelInput,
    MoveInput,
    ReassignInput,
    VisitCreateInput,
    VisitDetailSerializer,
    validated,
)
from weibao.maintenance.api.visits import ERRORS, IF_MATCH, VisitReadViewSet
from weibao.maintenance.models import MaintenancePlan
from weibao.maintenance.services import generation
from weibao.sites.models import Site

__all__ = ["VisitPlanning"]


class VisitPlanning(VisitReadViewSet):
    """Planning visits: the vendor's manager (``maintenance.plan_visit``)."""

    @extend_schema(request=VisitCreateInput, responses={201: VisitDetailSerializer, **ERRORS})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A visit made by hand: for an ``on_demand`` plan, or an extra one of any plan."""
        data = validated(VisitCreateInput, request.data)
        contract = visible_contract(request, data["contract"])
        errors: dict[str, str] = {}
        plan = MaintenancePlan.objects.filter(contract=contract, code=data["plan"]).first()
        if plan is None:
            errors["plan"] = _("%(value)s is not a plan of this contract.") % {
                "value": data["plan"]}
        site = None
        if data["site"]:
            site = Site.objects.filter(contract=contract, code=data["site"]).first()
            if site is None:
                errors["site"] = _("%(value)s is not a site of this contract.") % {
                    "value": data["site"]}
        asset = None
        if data["asset"] is not None:
            asset = Asset.objects.filter(contract=contract, pk=data["asset"]).first()
            if asset is None:
                errors["asset"] = _("This is not an asset of this contract.")
        assignee = None
        if data["assignee"]:
            assignee = vendor_engineer(contract, data["assignee"])
            if assignee is None:
                errors["assignee"] = _("%(name)s is not an engineer of this contract's "
                                       "vendor.") % {"name": data["assignee"]}
        if errors:
            raise ValidationError(errors)
        assert plan is not None
        visit = generation.create_visit(
            plan, actor(request), window_start=data["window_start"],
            window_end=data["window_end"], site=site, asset=asset, assignee=assignee,
            planned_for=data["planned_for"])
        response = self._answer(visit, status.HTTP_201_CREATED)
        response["Location"] = f"{request.path.rstrip('/')}/{visit.pk}/"
        return response

    @extend_schema(request=MoveInput, responses={200: VisitDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Plan the visit for another day within its window."""
        data = validated(MoveInput, request.data)
        visit = generation.move_visit(self.get_object(), actor(request),
                                      planned_for=data["planned_for"],
                                      expected_version=expected_version(request, data))
        return self._answer(visit)

    @extend_schema(request=ReassignInput, responses={200: VisitDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str | None = None) -> Response:
        """Give the visit to another engineer of the contract's vendor."""
        visit = self.get_object()
        data = validated(ReassignInput, request.data)
        assignee = vendor_engineer(visit.contract, data["assignee"])
        if assignee is None:
            raise ValidationError({"assignee": _(
                "%(name)s is not an engineer of this contract's vendor.")
                % {"name": data["assignee"]}})
        visit = generation.reassign_visit(visit, actor(request), assignee=assignee,
                                          expected_version=expected_version(request, data))
        return self._answer(visit)

    @extend_schema(request=CancelInput, responses={200: VisitDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel an open visit, with the reason."""
        data = validated(CancelInput, request.data)
        visit = generation.cancel_visit(self.get_object(), actor(request),
                                        reason=data["reason"],
                                        expected_version=expected_version(request, data))
        return self._answer(visit)
