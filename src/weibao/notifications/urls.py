"""Pages of the notifications app (namespace ``notifications``)."""

from __future__ import annotations

from django.urls import path

from weibao.notifications.views import (
    CentreView,
    ChannelEditView,
    ChannelListView,
    DeliveryLogView,
    OpenView,
    PreferenceView,
)

app_name = "notifications"

urlpatterns = [
    path("", CentreView.as_view(), name="centre"),
    path("<int:pk>/open/", OpenView.as_view(), name="open"),
    path("preferences/", PreferenceView.as_view(), name="preferences"),
    path("deliveries/", DeliveryLogView.as_view(), name="deliveries"),
    path("channels/", ChannelListView.as_view(), name="channels"),
    path("channels/new/", ChannelEditView.as_view(), name="channel-new"),
    path("channels/<int:pk>/", ChannelEditView.as_view(), name="channel"),
]
