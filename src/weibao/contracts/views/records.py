"""Pages that record something on a contract: parties, contacts, milestones, bond, invoices,
payments, contract events, documents and amendments. Each parses a form and calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from weibao.contracts import services
from weibao.contracts.forms import (
    AmendmentForm,
    BondForm,
    ContactForm,
    ContractEventForm,
    DocumentForm,
    InvoiceForm,
    MilestoneForm,
    PartyForm,
    PaymentForm,
)
from weibao.contracts.models import Contract, ContractDocument
from weibao.contracts.services import MilestoneInput
from weibao.core.models import User
from weibao.utils.files import remove_files_on_error
from weibao.utils.views import ContractScopedMixin, add_service_errors, render_page

__all__ = ["RecordView", "document_delete", "document_download", "event_delete"]


def _milestone_input(data: dict[str, Any]) -> MilestoneInput:
    nullable = {"due_date", "percent", "budget_year"}
    return MilestoneInput(**{k: v for k, v in data.items() if v is not None or k in nullable})


def _save_party(contract: Contract, data: dict[str, Any], obj: Any, user: User) -> Any:
    details = {k: data[k] for k in ("address", "postcode", "phone", "fax", "bank_name",
                                     "bank_account")}
    return services.save_party(contract, organisation=data["organisation"], role=data["role"],
                               details=details, party=obj)


def _save_contact(contract: Contract, data: dict[str, Any], obj: Any, user: User) -> Any:
    party = obj.party if obj else get_object_or_404(contract.parties, pk=data["party_pk"])
    return services.save_contact(party, name=data["name"], phone=data["phone"],
                                 email=data["email"], title=data["title"], contact=obj)


def _save_milestone(contract: Contract, data: dict[str, Any], obj: Any, user: User) -> Any:
    return services.save_milestone(contract, _milestone_input(data), milestone=obj)


def _save_bond(contract: Contract, data: dict[str, Any], obj: Any, user: User) -> Any:
    return services.record_bond(contract, bond=obj, **data)


def _save_invoice(contract: Contract, data: dict[str, Any], obj: Any, user: User) -> Any:
    milestone = data.pop("milestone")
    return services.record_invoice(milestone, **data)


def _save_payment(contract: Contract, data: dict[str, Any], obj: Any, user: User) -> Any:
    milestone = data.pop("milestone")
    return services.record_payment(milestone, **data)


def _save_event(contract: Contract, data: dict[str, Any], obj: Any, user: User) -> Any:
    # Recording the same kind (year, deliverable) again corrects it: the service upserts.
    return services.record_contract_event(contract, actor=user, **data)


def _save_document(contract: Contract, data: dict[str, Any], obj: Any, user: User) -> Any:
    return services.upload_document(contract, doc_type=data["doc_type"], title=data["title"],
                                    upload=data["file"], actor=user, notes=data["notes"])


def _save_amendment(contract: Contract, data: dict[str, Any], obj: Any, user: User) -> Any:
    document = None
    if data.get("file"):
        document = services.upload_document(
            contract, doc_type="amendment", title=data["title"], upload=data["file"], actor=user
        )
    return services.save_amendment(contract, title=data["title"], signed_on=data["signed_on"],
                                   summary=data["summary"], document=document, amendment=obj)


# kind -> (form, permission codename, related name, service, tab, title)
RECORDS: dict[str, tuple[type[forms.BaseForm], str, str, Callable[..., Any], str, Any]] = {
    "party": (PartyForm, "contractparty", "parties", _save_party, "overview",
              gettext_lazy("Party")),
    "contact": (ContactForm, "contact", "", _save_contact, "overview", gettext_lazy("Contact")),
    "milestone": (MilestoneForm, "paymentmilestone", "milestones", _save_milestone, "payments",
                  gettext_lazy("Payment milestone")),
    "bond": (BondForm, "performancebond", "bonds", _save_bond, "payments",
             gettext_lazy("Performance bond")),
    "invoice": (InvoiceForm, "invoice", "", _save_invoice, "payments", gettext_lazy("Invoice")),
    "payment": (PaymentForm, "payment", "", _save_payment, "payments", gettext_lazy("Payment")),
    "event": (ContractEventForm, "contractevent", "events", _save_event, "payments",
              gettext_lazy("Contract event (entered by hand)")),
    "document": (DocumentForm, "contractdocument", "", _save_document, "documents",
                 gettext_lazy("Document")),
    "amendment": (AmendmentForm, "amendment", "amendments", _save_amendment, "amendments",
                  gettext_lazy("Amendment")),
}


class RecordView(ContractScopedMixin, View):
    """``/contracts/<id>/<kind>/new/`` and ``/contracts/<id>/<kind>/<pk>/``."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if kwargs["kind"] not in RECORDS:
            raise Http404
        self.form_class, model, self.related, self.service, self.tab, self.title = RECORDS[
            kwargs["kind"]]
        action = "change" if kwargs.get("pk") else "add"
        self.permission_required = f"contracts.{action}_{model}"
        return super().dispatch(request, *args, **kwargs)

    def get_object(self) -> Any:
        pk = self.kwargs.get("pk")
        if not pk:
            return None
        if not self.related:
            raise Http404
        return get_object_or_404(getattr(self.contract, self.related), pk=pk)

    def make_form(self, data: Any = None, files: Any = None) -> forms.BaseForm:
        kwargs: dict[str, Any] = {}
        if issubclass(self.form_class, forms.ModelForm):
            kwargs["instance"] = self.get_object()
        if self.form_class in (InvoiceForm, PaymentForm):
            kwargs["contract"] = self.contract
        return self.form_class(data, files, **kwargs)

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        return render_page(self.request, "contracts/record_form.html", {
            "form": form, "contract": self.contract, "title": self.title,
            "back": self.back_url(), "multipart": form.is_multipart(),
        }, status=status)

    def back_url(self) -> str:
        return reverse("contracts:detail", args=[self.contract.pk]) + f"?tab={self.tab}"

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.make_form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(self.permission_required, self.contract):
            raise PermissionDenied
        form = self.make_form(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if kwargs["kind"] == "contact":
                data["party_pk"] = request.GET.get("party") or request.POST.get("party")
            try:
                # Several services (file + amendment): all or none, files included.
                with remove_files_on_error(), transaction.atomic():
                    self.service(self.contract, data, self.get_object(), request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(self.back_url())
        return self.render_form(form, status=400)


class _DocumentMixin(ContractScopedMixin):
    kwargs: dict[str, Any]

    def document(self) -> ContractDocument:
        return get_object_or_404(self.contract.documents, pk=self.kwargs["pk"])


class DocumentDownloadView(_DocumentMixin, View):
    """Files are served only through this check, never from a public media URL."""

    permission_required = "contracts.view_contractdocument"

    def get(self, request: HttpRequest, **kwargs: Any) -> FileResponse:
        document = self.document()
        if not document.file:
            raise Http404
        return FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=(document.file.name or "").rsplit("/", 1)[-1])


class DocumentDeleteView(_DocumentMixin, View):
    permission_required = "contracts.delete_contractdocument"

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            services.delete_document(self.document())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Document deleted."))
        return HttpResponseRedirect(
            reverse("contracts:detail", args=[self.contract.pk]) + "?tab=documents")


class EventDeleteView(ContractScopedMixin, View):
    permission_required = "contracts.delete_contractevent"

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        event = get_object_or_404(self.contract.events, pk=self.kwargs["pk"])
        try:
            services.delete_contract_event(event)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Event withdrawn."))
        return HttpResponseRedirect(
            reverse("contracts:detail", args=[self.contract.pk]) + "?tab=payments")


event_delete = EventDeleteView.as_view()
document_download = DocumentDownloadView.as_view()
document_delete = DocumentDeleteView.as_view()
