"""Pages of the staff app (namespace ``staff``)."""

from __future__ import annotations

from django.urls import path

from weibao.staff.views import RosterView

app_name = "staff"

urlpatterns = [
    path("", RosterView.as_view(), name="roster"),
]
