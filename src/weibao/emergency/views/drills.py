"""Drills (EMG-02): the drill calendar (by the month each is due) and one drill's record,
written on the phone with its photos."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from weibao.core.models import User
from weibao.emergency.choices import DrillStatus
from weibao.emergency.filtersets import DrillFilterSet
from weibao.emergency.forms import DrillForm, PhotoForm
from weibao.emergency.models import Drill
from weibao.emergency.selectors import drill_detail, drill_months, visible_drills
from weibao.emergency.services import drills as services
from weibao.emergency.views.common import ScopedObjectMixin, actor, attempt
from weibao.utils.views import PermissionMixin, render_page

__all__ = ["DrillCalendarView", "DrillPhotoView", "DrillView"]

#: The calendar shows at most this many drills; the filters narrow it.
CALENDAR_LIMIT = 500


class DrillCalendarView(PermissionMixin, View):
    """演练日历: the drills by the month their window ends, with the shared filters."""

    permission_required = "emergency.view_drill"

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = DrillFilterSet(request.GET or None, request=request,
                                   queryset=visible_drills(actor(request)).order_by(
                                       "window_end", "system__name", "pk"))
        drills = list(filterset.qs[:CALENDAR_LIMIT])
        return render_page(request, "emergency/drill_calendar.html", {
            "filter": filterset, "months": drill_months(drills),
            "truncated": len(drills) == CALENDAR_LIMIT})


class DrillView(ScopedObjectMixin, View):
    """One drill on the phone: what it is, the record form while it is open, the photos."""

    permission_required = "emergency.view_drill"
    object: Drill

    def scoped(self, user: User) -> QuerySet[Drill]:
        return drill_detail(user)

    def _render(self, request: HttpRequest, form: DrillForm | None = None,
                status: int = 200) -> HttpResponse:
        drill, user = self.object, actor(request)
        can_record = (drill.status in (DrillStatus.SCHEDULED, DrillStatus.MISSED)
                      and user.has_perm("emergency.record_drill", drill.contract))
        if can_record and form is None:
            form = DrillForm(contract=drill.contract, initial={
                "planned_on": drill.planned_on, "scenario": drill.scenario,
                "script": drill.script, "training": drill.training,
                "participants": list(drill.participants.all()),
                "other_participants": drill.other_participants, "held_at": drill.held_at,
                "record": drill.record, "summary": drill.summary, "version": drill.version})
        return render_page(request, "emergency/drill.html", {
            "drill": drill, "form": form if can_record else None,
            "photo_form": PhotoForm() if can_record else None,
            "photos": list(drill.photos.all()), "participants": list(drill.participants.all()),
        }, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        drill = self.object
        form = DrillForm(request.POST, request.FILES, contract=drill.contract)
        if not form.is_valid():
            return self._render(request, form, 400)
        complete = request.POST.get("do") == "complete"
        saved, status = attempt(form, lambda: services.save_drill(
            drill, actor(request), form.values(),
            participants=list(form.cleaned_data["participants"]),
            summary_file=form.cleaned_data.get("summary_file"), complete=complete,
            expected_version=form.cleaned_data["version"]))
        if saved is None:
            return self._render(request, form, status)
        messages.success(request, _("The drill is recorded as held.") if complete
                         else _("The drill is saved."))
        return HttpResponseRedirect(reverse("emergency:drill", args=[drill.pk]))


class DrillPhotoView(ScopedObjectMixin, View):
    permission_required = "emergency.record_drill"
    object: Drill

    def scoped(self, user: User) -> QuerySet[Drill]:
        return visible_drills(user)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            done, _status = attempt(form, lambda: services.add_photo(
                self.object, actor(request), form.cleaned_data["image"],
                form.cleaned_data.get("caption", "")))
            if done is not None:
                messages.success(request, _("The photo is added."))
                return HttpResponseRedirect(reverse("emergency:drill", args=[pk]))
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return HttpResponseRedirect(reverse("emergency:drill", args=[pk]))
