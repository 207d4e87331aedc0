"""The roster of each of the user's contracts with its compliance (STF-01), and one member's
page: personal data masked by role, papers against the spec's requirements (STF-02/03)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from weibao.contracts.selectors import visible_contracts
from weibao.staff.forms import DocumentForm, PersonalDataForm
from weibao.staff.models import Member, MemberDocument, PersonalData, RequiredDocument
from weibao.staff.selectors import active_members, contract_compliance, due_days
from weibao.staff.services import personal
from weibao.staff.views.common import actor, chosen_contract
from weibao.utils.views import PermissionMixin, attempt, render_page

__all__ = ["CERTIFICATE_WARNING_DAYS", "DocumentFileView", "MemberView", "RosterView"]

#: A certificate expiring within this many days is flagged on the roster (STF-02).
CERTIFICATE_WARNING_DAYS = 60


class RosterView(PermissionMixin, View):
    """The team on ``?contract=<pk>`` (else the user's first contract) today, and the live
    compliance with each staffing rule of its spec (STF-01); phones masked by role."""

    permission_required = "staff.view_member"

    def get(self, request: HttpRequest) -> HttpResponse:
        contract, contracts = chosen_contract(request)
        today = timezone.localdate()
        members: list[Member] = []
        results = []
        if contract is not None:
            members = list(active_members(contract, today).select_related("user", "personal")
                           .prefetch_related("certificates"))
            results = contract_compliance(contract, today)
        access = personal.PersonalAccess(actor(request))
        rows = [_person(m, access) for m in members]
        return render_page(request, "staff/roster.html", {
            "contract": contract, "contracts": contracts, "rows": rows,
            "results": results, "today": today,
            "warn_before": today + datetime.timedelta(days=CERTIFICATE_WARNING_DAYS)})


def _person(member: Member, access: personal.PersonalAccess) -> dict[str, Any]:
    """A member with their ID number and phone as the user may see them (PLT-02)."""
    try:
        data: PersonalData | None = member.personal
    except PersonalData.DoesNotExist:
        data = None
    full = access(member)
    id_number = data.id_number if data else ""
    phone = data.phone if data else ""
    return {"member": member, "personal": data, "full": full,
            "id_number": id_number if full else personal.mask_id_number(id_number),
            "phone": phone if full else personal.mask_phone(phone)}


class MemberView(PermissionMixin, View):
    """One member: personal data, certificates, papers and what the spec still requires."""

    permission_required = "staff.view_member"

    def _member(self, request: HttpRequest, pk: int) -> Member:
        return get_object_or_404(
            Member.objects.filter(contract__in=visible_contracts(actor(request)))
            .select_related("contract", "user", "personal").prefetch_related("certificates"),
            pk=pk)

    def _render(self, request: HttpRequest, member: Member, *, data_form: Any = None,
                doc_form: Any = None, status: int = 200) -> HttpResponse:
        user = actor(request)
        row = _person(member, personal.PersonalAccess(user))
        keeper = row["full"] and user.has_perm("staff.change_personaldata")
        states = []
        documents: list[MemberDocument] = []
        if row["full"]:
            documents = list(member.documents.order_by("kind", "-signed_on"))
            required = list(RequiredDocument.objects.filter(contract=member.contract))
            states = personal.document_states(member, required, timezone.localdate(),
                                              due_days(member, required))
        if keeper and data_form is None:
            data = row["personal"]
            data_form = PersonalDataForm(initial={
                "id_number": data.id_number, "phone": data.phone,
                "education": data.education, "major": data.major,
                "years_experience": data.years_experience} if data else None)
        return render_page(request, "staff/member.html", {
            "member": member, "row": row, "documents": documents, "states": states,
            "data_form": data_form if keeper else None,
            "doc_form": (doc_form or DocumentForm()) if keeper else None}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self._member(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member, user = self._member(request, pk), actor(request)
        if request.POST.get("do") == "document":
            doc_form = DocumentForm(request.POST, request.FILES)
            if not doc_form.is_valid():
                return self._render(request, member, doc_form=doc_form, status=400)
            d = doc_form.cleaned_data
            _saved, status = attempt(doc_form, lambda: personal.add_document(
                member, user, kind=d["kind"], upload=d["file"], signed_on=d["signed_on"],
                covers_month=d["covers_month"], note=d["note"]))
            if status != 200:
                return self._render(request, member, doc_form=doc_form, status=status)
            messages.success(request, _("The document is filed."))
        else:
            data_form = PersonalDataForm(request.POST)
            if not data_form.is_valid():
                return self._render(request, member, data_form=data_form, status=400)
            d = data_form.cleaned_data
            _saved, status = attempt(data_form, lambda: personal.set_personal_data(
                member, user, id_number=d["id_number"], phone=d["phone"],
                education=d["education"], major=d["major"],
                years_experience=d["years_experience"]))
            if status != 200:
                return self._render(request, member, data_form=data_form, status=status)
            messages.success(request, _("The personal data is saved."))
        return HttpResponseRedirect(reverse("staff:member", args=[member.pk]))


class DocumentFileView(PermissionMixin, View):
    """A member's paper, for the purchaser and the member's organisation only (STF-02)."""

    permission_required = "staff.view_member"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        document = get_object_or_404(
            MemberDocument.objects.filter(
                member__contract__in=visible_contracts(actor(request))).select_related("member"),
            pk=pk)
        if not personal.may_see_personal(actor(request), document.member):
            raise Http404
        return FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=(document.file.name or "").rsplit("/", 1)[-1])
