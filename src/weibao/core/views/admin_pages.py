"""Organisation and user management pages for administrators (vendor managers may read
organisations)."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.core.filtersets import OrganisationFilterSet, UserFilterSet
from weibao.core.forms import OrganisationForm, UserForm
from weibao.core.models import Organisation, User
from weibao.core.services import save_organisation, save_user
from weibao.core.tables import OrganisationTable, UserTable
from weibao.utils.views import PermissionMixin, add_service_errors, render_page

__all__ = ["OrganisationEditView", "OrganisationListView", "UserEditView", "UserListView"]


class _ListView(PermissionMixin, SingleTableMixin, FilterView):
    template_name = "core/object_list.html"
    paginate_by = 25
    title = ""
    create_url = ""
    create_permission = ""

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["core/partials/object_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        if self.request.user.has_perm(self.create_permission):
            context["create_url"] = reverse(self.create_url)
        return context


class OrganisationListView(_ListView):
    permission_required = "core.view_organisation"
    create_permission = "core.add_organisation"
    filterset_class = OrganisationFilterSet
    table_class = OrganisationTable
    create_url = "core:organisation-create"

    @property
    def title(self) -> str:  # type: ignore[override]
        return _("Organisations")

    def get_queryset(self) -> QuerySet[Organisation]:
        queryset = Organisation.objects.annotate(
            contract_count=Count("contract_parties")).order_by("name")
        user = self.request.user
        if not getattr(user, "is_administrator", False):
            # Only the organisations met in the user's own contracts (PLT-01).
            from weibao.contracts.selectors import visible_contracts

            queryset = queryset.filter(
                contract_parties__contract__in=visible_contracts(user)
            ).distinct()
        return queryset


class UserListView(_ListView):
    permission_required = "core.view_user"
    create_permission = "core.add_user"
    filterset_class = UserFilterSet
    table_class = UserTable
    create_url = "core:user-create"

    @property
    def title(self) -> str:  # type: ignore[override]
        return _("Users")

    def get_queryset(self) -> QuerySet[User]:
        return User.objects.select_related("organisation")


class _EditView(PermissionMixin, View):
    model: type[Organisation] | type[User]
    form_class: type[OrganisationForm] | type[UserForm]
    list_url = ""

    def get_object(self) -> Any:
        pk = self.kwargs.get("pk")
        return get_object_or_404(self.model, pk=pk) if pk else None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            opts = self.model._meta
            action = "change" if kwargs.get("pk") else "add"
            self.permission_required = f"{opts.app_label}.{action}_{opts.model_name}"
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form: Any, obj: Any) -> HttpResponse:
        entries = (LogEntry.objects.get_for_object(obj).select_related("actor")[:50]
                   if obj is not None else [])
        return render_page(self.request, "core/object_form.html", {
            "form": form, "object": obj, "title": str(obj) if obj else _("New"),
            "list_url": reverse(self.list_url), "model_name": self.model._meta.verbose_name,
            "entries": entries,
        })

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object()
        return self.render_form(self.form_class(instance=obj), obj)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object()
        form = self.form_class(request.POST, instance=obj)
        if form.is_valid():
            try:
                self.save(form, obj)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(reverse(self.list_url))
        return self.render_form(form, obj)

    def save(self, form: Any, obj: Any) -> None:
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if self.model is User:
            save_user(values, password=form.cleaned_data.get("password", ""), user=obj)
        else:
            save_organisation(values, obj)


class OrganisationEditView(_EditView):
    model = Organisation
    form_class = OrganisationForm
    list_url = "core:organisation-list"


class UserEditView(_EditView):
    model = User
    form_class = UserForm
    list_url = "core:user-list"
