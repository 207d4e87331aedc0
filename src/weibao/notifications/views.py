"""Pages of the notifications app: the notification centre (mark read, mark all read), the
person's preferences, and the administrators' delivery log with its dead letters."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from weibao.core.models import User
from weibao.notifications import services
from weibao.notifications.choices import DeliveryStatus
from weibao.notifications.forms import ChannelForm, PreferenceForm
from weibao.notifications.models import Channel, Delivery, Notification, Preference
from weibao.utils.views import PermissionMixin, add_service_errors, render_page

__all__ = ["CentreView", "ChannelEditView", "ChannelListView", "DeliveryLogView", "OpenView",
           "PreferenceView"]


class CentreView(PermissionMixin, View):
    """通知中心: the signed-in person's notifications, newest first; ``?unread=1`` filters."""

    permission_required = "notifications.view_notification"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = cast(User, request.user)
        rows = Notification.objects.filter(recipient=user).select_related("contract")
        unread_only = request.GET.get("unread") == "1"
        if unread_only:
            rows = rows.filter(read_at__isnull=True)
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        return render_page(request, "notifications/centre.html", {
            "page": page, "unread_only": unread_only,
            "unread": Notification.objects.filter(recipient=user,
                                                  read_at__isnull=True).count()})

    def post(self, request: HttpRequest) -> HttpResponse:
        user = cast(User, request.user)
        if request.POST.get("do") == "all":
            services.mark_all_read(user)
        else:
            ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
            services.mark_read(user, ids)
        return redirect(request.get_full_path())


class OpenView(PermissionMixin, View):
    """Open one notification: mark it read and go to what it is about."""

    permission_required = "notifications.view_notification"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = cast(User, request.user)
        row = get_object_or_404(Notification, pk=pk, recipient=user)
        services.mark_read(user, [row.pk])
        if row.link and url_has_allowed_host_and_scheme(row.link, allowed_hosts=None):
            return HttpResponseRedirect(row.link)
        return redirect("notifications:centre")


class PreferenceView(PermissionMixin, View):
    permission_required = "notifications.change_preference"

    def _initial(self, user: User) -> dict[str, Any]:
        preference = Preference.objects.filter(user=user).first() or Preference(user=user)
        from weibao.notifications.events import kinds

        initial: dict[str, Any] = {
            "quiet_start": preference.quiet_start, "quiet_end": preference.quiet_end,
            "quiet_non_working_days": preference.quiet_non_working_days,
            "digest_hour": preference.digest_hour}
        for kind in kinds():
            initial[PreferenceForm.field_name(kind.kind)] = preference.channels_for(kind.kind)
        return initial

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PreferenceForm(initial=self._initial(cast(User, request.user)))
        return render_page(request, "notifications/preferences.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        user = cast(User, request.user)
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.save_preferences(
                    user, channels=form.channels(), quiet_start=form.cleaned_data["quiet_start"],
                    quiet_end=form.cleaned_data["quiet_end"],
                    quiet_non_working_days=form.cleaned_data["quiet_non_working_days"],
                    digest_hour=form.cleaned_data["digest_hour"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("notifications:preferences")
        return render_page(request, "notifications/preferences.html", {"form": form},
                           status=400)


class DeliveryLogView(PermissionMixin, View):
    """Every delivery with its attempts and last error; failures and dead letters can be sent
    again. Administrators only (``retry_delivery``)."""

    permission_required = "notifications.retry_delivery"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = Delivery.objects.select_related("channel", "contract")
        status = request.GET.get("status", "")
        if status in DeliveryStatus.values:
            rows = rows.filter(status=status)
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        counts = dict(Delivery.objects.values_list("status").annotate(n=Count("pk"))
                      .values_list("status", "n"))
        return render_page(request, "notifications/deliveries.html", {
            "page": page, "status": status,
            "statuses": [(value, label, counts.get(value, 0))
                         for value, label in DeliveryStatus.choices]})

    def post(self, request: HttpRequest) -> HttpResponse:
        pk = request.POST.get("id", "")
        delivery = get_object_or_404(Delivery, pk=int(pk) if pk.isdigit() else 0)
        try:
            services.retry_delivery(cast(User, request.user), delivery)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The delivery is sent again."))
        return redirect(request.get_full_path())


class ChannelListView(PermissionMixin, View):
    """The channels (administrators): kind, what they serve, the masked address."""

    permission_required = "notifications.change_channel"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = Channel.objects.select_related("contract", "organisation").order_by(
            "contract__number", "organisation__name", "name")
        return render_page(request, "notifications/channels.html", {"channels": rows})


class ChannelEditView(PermissionMixin, View):
    """Add (no ``pk``) or change a channel through ``services.save_channel``."""

    permission_required = "notifications.change_channel"

    def _channel(self, pk: int | None) -> Channel | None:
        return get_object_or_404(Channel, pk=pk) if pk is not None else None

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        channel = self._channel(pk)
        initial: dict[str, Any] = {}
        if channel is not None:
            initial = {"name": channel.name, "kind": channel.kind,
                       "contract": channel.contract_id, "organisation": channel.organisation_id,
                       "events": channel.events, "rate_per_minute": channel.rate_per_minute,
                       "active": channel.active}
        return render_page(request, "notifications/channel_form.html",
                           {"form": ChannelForm(initial=initial), "channel": channel})

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        channel = self._channel(pk)
        form = ChannelForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_channel(
                    cast(User, request.user), name=data["name"], kind=data["kind"],
                    contract=data["contract"], organisation=data["organisation"],
                    address=data["address"], secret=data["secret"] or None,
                    events=list(data["events"]), rate_per_minute=data["rate_per_minute"],
                    active=data["active"], channel=channel)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The channel is saved."))
                return redirect("notifications:channels")
        return render_page(request, "notifications/channel_form.html",
                           {"form": form, "channel": channel}, status=400)
