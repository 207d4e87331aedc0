"""Attendance of resident staff (STF-04): the phone check-in page and the monthly attendance
of a contract, with leave, corrections by the vendor manager and their confirmation by the
purchaser."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from weibao.contracts.selectors import visible_contracts
from weibao.staff.choices import ATTENDED, CorrectionStatus
from weibao.staff.forms import CheckInForm, CorrectionForm, LeaveForm
from weibao.staff.models import AttendanceCorrection, AttendanceDay, Member
from weibao.staff.services import attendance as services
from weibao.staff.views.common import actor, chosen_contract
from weibao.utils.views import PermissionMixin, attempt, render_page

__all__ = ["AttendanceView", "CheckInView"]


class CheckInView(PermissionMixin, View):
    """签到: the signed-in user's resident posts today, with check-in and check-out buttons."""

    def _posts(self, request: HttpRequest) -> list[dict[str, Any]]:
        today = timezone.localdate()
        members = list(Member.objects.filter(user=actor(request), resident=True,
                                             starts_on__lte=today)
                       .exclude(ends_on__lt=today).select_related("contract"))
        days = {d.member_id: d for d in AttendanceDay.objects.filter(member__in=members,
                                                                     day=today)}
        return [{"member": m, "day": days.get(m.pk)} for m in members]

    def get(self, request: HttpRequest) -> HttpResponse:
        return render_page(request, "staff/check_in.html", {
            "posts": self._posts(request), "form": CheckInForm(),
            "today": timezone.localdate()})

    def post(self, request: HttpRequest) -> HttpResponse:
        member = get_object_or_404(Member, pk=request.POST.get("member") or 0,
                                   user=actor(request))
        form = CheckInForm(request.POST)
        form.is_valid()
        try:
            if request.POST.get("do") == "out":
                services.check_out(member, actor(request))
                messages.success(request, _("Checked out."))
            else:
                services.check_in(member, actor(request),
                                  location=form.cleaned_data.get("location", ""))
                messages.success(request, _("Checked in."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("staff:check-in"))


def _month(request: HttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat((request.GET.get("month") or "") + "-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


class AttendanceView(PermissionMixin, View):
    """出勤率 of a month: each resident's due and attended working days and rate, the days not
    attended (with a correction form for the vendor manager), leave, and the corrections
    awaiting the purchaser."""

    permission_required = "staff.view_attendanceday"

    def _render(self, request: HttpRequest, *, leave_form: Any = None,
                status: int = 200) -> HttpResponse:
        contract, contracts = chosen_contract(request)
        month = _month(request)
        user = actor(request)
        context: dict[str, Any] = {"contract": contract, "contracts": contracts,
                                   "month": month, "report": None}
        if contract is not None:
            report = services.monthly_attendance(contract, month.year, month.month)
            end = (month + datetime.timedelta(days=32)).replace(day=1)
            context.update({
                "report": report,
                "missed": list(AttendanceDay.objects.filter(
                    member__contract=contract, day__gte=month, day__lt=end)
                    .exclude(status__in=ATTENDED).select_related("member", "substitute")
                    .order_by("day", "member__name")),
                "pending": list(AttendanceCorrection.objects.filter(
                    day__member__contract=contract, status=CorrectionStatus.PENDING)
                    .select_related("day", "day__member", "requested_by")),
                "can_correct": user.has_perm("staff.add_attendancecorrection"),
                "can_confirm": user.has_perm("staff.confirm_attendancecorrection"),
                "correction_form": CorrectionForm(),
                "leave_form": (leave_form or LeaveForm(contract=contract))
                if user.has_perm("staff.add_leave") else None,
                "previous": (month - datetime.timedelta(days=1)).strftime("%Y-%m"),
                "next": end.strftime("%Y-%m")})
        return render_page(request, "staff/attendance.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        user, do = actor(request), request.POST.get("do")
        scoped = visible_contracts(user)
        try:
            if do == "correct":
                form = CorrectionForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Choose the corrected status and give a reason."))
                day = get_object_or_404(AttendanceDay, pk=form.cleaned_data["day"],
                                        member__contract__in=scoped)
                services.request_correction(day, user, status_to=form.cleaned_data["status_to"],
                                            reason=form.cleaned_data["reason"])
                messages.success(request, _("The correction awaits the purchaser."))
            elif do in ("confirm", "reject"):
                correction = get_object_or_404(AttendanceCorrection,
                                               pk=request.POST.get("correction") or 0,
                                               day__member__contract__in=scoped)
                services.decide_correction(correction, user, confirm=do == "confirm")
                messages.success(request, _("The correction is decided."))
            elif do == "leave":
                contract, _contracts = chosen_contract(request)
                if contract is None:
                    raise PermissionDenied
                leave_form = LeaveForm(request.POST, contract=contract)
                if not leave_form.is_valid():
                    return self._render(request, leave_form=leave_form, status=400)
                d = leave_form.cleaned_data
                _saved, code = attempt(leave_form, lambda: services.add_leave(
                    d["member"], user, starts_on=d["starts_on"], ends_on=d["ends_on"],
                    substitute=d["substitute"], reason=d["reason"]))
                if code != 200:
                    return self._render(request, leave_form=leave_form, status=code)
                messages.success(request, _("The leave is recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        query = request.GET.urlencode()
        return HttpResponseRedirect(reverse("staff:attendance") + (f"?{query}" if query else ""))
