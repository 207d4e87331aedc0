"""Emergency plans (EMG-01): the list with overdue reviews, a new plan, a plan's versions
with the form issuing the next one and the review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.core.models import User
from weibao.emergency.filtersets import PlanFilterSet
from weibao.emergency.forms import PlanForm, ReviewForm, VersionForm
from weibao.emergency.models import EmergencyPlan
from weibao.emergency.selectors import plan_versions, visible_plans
from weibao.emergency.services import plans as services
from weibao.emergency.tables import PlanTable
from weibao.emergency.views.common import (
    ContractFormView,
    ScopedObjectMixin,
    actor,
    attempt,
)
from weibao.utils.views import PermissionMixin, render_page

__all__ = ["PlanCreateView", "PlanListView", "PlanView"]


class PlanListView(PermissionMixin, SingleTableMixin, FilterView):
    """应急预案: one per system, the overdue reviews marked."""

    permission_required = "emergency.view_emergencyplan"
    filterset_class = PlanFilterSet
    table_class = PlanTable
    paginate_by = 50
    template_name = "emergency/plan_list.html"

    def get_queryset(self) -> QuerySet[EmergencyPlan]:
        return visible_plans(self.request.user).order_by("contract__number", "title", "pk")

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs


class PlanCreateView(ContractFormView):
    permission_required = "emergency.add_emergencyplan"
    form_class = PlanForm
    template_name = "emergency/plan_form.html"
    list_url = "emergency:plans"

    def create(self, request: HttpRequest, form: PlanForm, contract: Any,
               contracts: list[Any]) -> HttpResponse:
        data = form.cleaned_data
        plan, status = attempt(form, lambda: services.create_plan(
            contract, actor(request), title=data["title"], system=data["system"],
            review_due=data["review_due"]))
        if plan is None:
            return self.render_form(request, form, contract, contracts, status)
        return HttpResponseRedirect(reverse("emergency:plan", args=[plan.pk]))


class PlanView(ScopedObjectMixin, View):
    """A plan: its versions (the current one in full) and, for the vendor, the next
    version; for whoever may review, the review."""

    permission_required = "emergency.view_emergencyplan"
    object: EmergencyPlan

    def scoped(self, user: User) -> QuerySet[EmergencyPlan]:
        return visible_plans(user)

    def _render(self, request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
        user, plan = actor(request), self.object
        versions = list(plan_versions(plan))
        context = {
            "plan": plan, "versions": versions, "current": versions[0] if versions else None,
            "overdue": plan.review_overdue(timezone.localdate()),
            "version_form": forms.get("version_form") or (
                VersionForm(initial={"version": plan.version})
                if user.has_perm("emergency.add_emergencyplan", plan.contract) else None),
            "review_form": forms.get("review_form") or (
                ReviewForm(initial={"version": plan.version})
                if versions and user.has_perm("emergency.review_emergencyplan", plan.contract)
                else None),
        }
        return render_page(request, "emergency/plan.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user, plan = actor(request), self.object
        if request.POST.get("do") == "review":
            review = ReviewForm(request.POST)
            if not review.is_valid():
                return self._render(request, 400, review_form=review)
            done, status = attempt(review, lambda: services.record_review(
                plan, user, next_review=review.cleaned_data["next_review"],
                expected_version=review.cleaned_data["version"]))
            if done is None:
                return self._render(request, status, review_form=review)
            messages.success(request, _("The review is recorded."))
        else:
            form = VersionForm(request.POST, request.FILES)
            if not form.is_valid():
                return self._render(request, 400, version_form=form)
            version, status = attempt(form, lambda: services.issue_version(
                plan, user, form.sections(), document=form.cleaned_data.get("document"),
                expected_version=form.cleaned_data["version"]))
            if version is None:
                return self._render(request, status, version_form=form)
            messages.success(request, _("Version %(number)s is issued.")
                             % {"number": version.number})
        return HttpResponseRedirect(reverse("emergency:plan", args=[plan.pk]))
