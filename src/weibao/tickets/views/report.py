"""报修: the report form (TKT-01). Site staff and purchaser staff report through the portal
(channel web); vendor staff log a report taken by phone, with the reporter and the time."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from weibao.contracts.models import Contract
from weibao.contracts.selectors import visible_contracts
from weibao.sites.models import Site
from weibao.tickets import services
from weibao.tickets.forms import ReportForm
from weibao.tickets.services.attachments import add_attachment
from weibao.tickets.views.common import actor
from weibao.utils.files import remove_files_on_error
from weibao.utils.views import PermissionMixin, add_service_errors, render_page

__all__ = ["TicketCreateView"]


def _pk(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class TicketCreateView(PermissionMixin, View):
    permission_required = "tickets.add_ticket"

    def _contracts(self) -> QuerySet[Contract]:
        return visible_contracts(self.request.user).filter(ticket_types__isnull=False) \
            .distinct().order_by("number")

    def _form(self, data: Any, files: Any = None, initial: Any = None) -> ReportForm:
        source = data if data is not None else (initial or {})
        contracts = self._contracts()
        contract = None
        contract_pk = _pk(source.get("contract"))
        if contract_pk is not None:
            contract = contracts.filter(pk=contract_pk).first()
        elif data is None and len(contracts) == 1:
            contract = contracts[0]
        site = None
        site_pk = _pk(source.get("site"))
        if contract is not None and site_pk is not None:
            site = Site.objects.visible_to(self.request.user).filter(
                contract=contract, pk=site_pk).first()
        initial = dict(initial or {})
        if contract is not None:
            initial["contract"] = contract.pk
        form = ReportForm(data, files, user=actor(self.request), contracts=contracts,
                          contract=contract, site=site, initial=initial)
        # Choosing the contract or the site reloads the form (HTMX) with that contract's types,
        # sites and assets, keeping what was typed.
        for name in ("contract", "site"):
            form.fields[name].widget.attrs.update({
                "hx-get": reverse("tickets:create"), "hx-trigger": "change",
                "hx-target": "#report-form", "hx-swap": "outerHTML",
                "hx-include": "#report-form"})
        return form

    def _render(self, form: ReportForm, status: int = 200) -> HttpResponse:
        return render_page(self.request, "tickets/ticket_form.html", {"form": form},
                           partial="tickets/partials/report_form.html", status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {k: v for k, v in request.GET.items() if v}
        initial.setdefault("scope", "small")
        return self._render(self._form(None, initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            user = actor(request)
            try:
                with remove_files_on_error(), transaction.atomic():
                    ticket = services.create_ticket(services.TicketInput(
                        contract=data["contract"], ticket_type=data["ticket_type"],
                        title=data["title"], description=data.get("description", ""),
                        channel=form.chosen_channel, scope=data["scope"], site=data.get("site"),
                        assets=list(data.get("assets") or []),
                        reporter_name=data.get("reporter_name", ""),
                        reporter_phone=data.get("reporter_phone", ""),
                        reported_at=form.reported_time), actor=user)
                    if data.get("attachment"):
                        add_attachment(ticket, data["attachment"], user)
            except ValidationError as exc:
                add_service_errors(form, _attachment_errors(exc))
            else:
                messages.success(request, _("Ticket %(number)s reported.")
                                 % {"number": ticket.number})
                return HttpResponseRedirect(reverse("tickets:detail", args=[ticket.pk]))
        return self._render(form, status=400)


def _attachment_errors(error: ValidationError) -> ValidationError:
    """The upload check names its field ``file``; on this form it is ``attachment``."""
    if hasattr(error, "error_dict") and "file" in error.message_dict:
        by_field = dict(error.message_dict)
        by_field["attachment"] = by_field.pop("file")
        return ValidationError(by_field)
    return error
