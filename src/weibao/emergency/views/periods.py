"""Major periods (EMG-04): the list with a form for a new one, and one period with its
on-site duty and its security reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.core.models import User
from weibao.emergency.filtersets import PeriodFilterSet
from weibao.emergency.forms import DutyForm, PeriodForm, PeriodReportForm
from weibao.emergency.models import MajorPeriod
from weibao.emergency.selectors import visible_periods
from weibao.emergency.services import periods as services
from weibao.emergency.tables import PeriodTable
from weibao.emergency.views.common import ScopedObjectMixin, actor, attempt, chosen_contract
from weibao.utils.views import PermissionMixin, render_page

__all__ = ["PeriodListView", "PeriodView"]


class PeriodListView(PermissionMixin, SingleTableMixin, FilterView):
    permission_required = "emergency.view_majorperiod"
    filterset_class = PeriodFilterSet
    table_class = PeriodTable
    paginate_by = 50
    template_name = "emergency/period_list.html"

    def get_queryset(self) -> QuerySet[MajorPeriod]:
        return visible_periods(self.request.user).order_by("-starts_on", "pk")

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        contract, contracts = chosen_contract(self.request)
        if contract is not None and self.request.user.has_perm("emergency.add_majorperiod",
                                                               contract):
            context["form"] = kwargs.get("form") or PeriodForm()
            context["contracts"] = contracts
            context["contract"] = contract
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        contract, _contracts = chosen_contract(request)
        form = PeriodForm(request.POST)
        if contract is not None and form.is_valid():
            data = form.cleaned_data
            period, _status = attempt(form, lambda: services.create_period(
                contract, actor(request), name=data["name"], kind=data["kind"],
                starts_on=data["starts_on"], ends_on=data["ends_on"], notes=data["notes"]))
            if period is not None:
                return HttpResponseRedirect(reverse("emergency:period", args=[period.pk]))
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return HttpResponseRedirect(reverse("emergency:periods"))


class PeriodView(ScopedObjectMixin, View):
    permission_required = "emergency.view_majorperiod"
    object: MajorPeriod

    def scoped(self, user: User) -> QuerySet[MajorPeriod]:
        return visible_periods(user)

    def _render(self, request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
        period, user = self.object, actor(request)
        plans = user.has_perm("emergency.add_dutyassignment", period.contract)
        return render_page(request, "emergency/period.html", {
            "period": period,
            "duties": list(period.duties.select_related("user").order_by("day", "shift", "pk")),
            "reports": list(period.reports.select_related("filed_by")),
            "duty_form": forms.get("duty_form") or (
                DutyForm(contract=period.contract, initial={"day": period.starts_on})
                if plans else None),
            "can_remove": user.has_perm("emergency.delete_dutyassignment", period.contract),
            "report_form": forms.get("report_form") or (
                PeriodReportForm() if user.has_perm("emergency.add_periodreport",
                                                    period.contract) else None),
        }, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        period, user, do = self.object, actor(request), request.POST.get("do", "")
        if do == "remove":
            duty = get_object_or_404(period.duties.all(), pk=request.POST.get("duty"))
            form = PeriodReportForm()
            done, _status = attempt(form, lambda: services.remove_duty(duty, user) or True)
            if done is None:
                for error in form.non_field_errors():
                    messages.error(request, str(error))
        elif do == "duty":
            duty_form = DutyForm(request.POST, contract=period.contract)
            if not duty_form.is_valid():
                return self._render(request, 400, duty_form=duty_form)
            data = duty_form.cleaned_data
            done, status = attempt(duty_form, lambda: services.assign_duty(
                period, user, person=data["person"], day=data["day"], shift=data["shift"],
                place=data["place"]))
            if done is None:
                return self._render(request, status, duty_form=duty_form)
        else:
            report_form = PeriodReportForm(request.POST, request.FILES)
            if not report_form.is_valid():
                return self._render(request, 400, report_form=report_form)
            data = report_form.cleaned_data
            done, status = attempt(report_form, lambda: services.file_period_report(
                period, user, title=data["title"], content=data["content"],
                document=data.get("document")))
            if done is None:
                return self._render(request, status, report_form=report_form)
        messages.success(request, _("Saved."))
        return HttpResponseRedirect(reverse("emergency:period", args=[period.pk]))
