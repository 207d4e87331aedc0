"""Pages of the staff app (namespace ``staff``)."""

from __future__ import annotations

from django.urls import path

from weibao.staff import views

app_name = "staff"

urlpatterns = [
    path("", views.RosterView.as_view(), name="roster"),
    path("members/<int:pk>/", views.MemberView.as_view(), name="member"),
    path("documents/<int:pk>/", views.DocumentFileView.as_view(), name="document"),
    path("check-in/", views.CheckInView.as_view(), name="check-in"),
    path("attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("changes/", views.ChangeListView.as_view(), name="changes"),
    path("changes/<int:pk>/", views.ChangeDecisionView.as_view(), name="change"),
    path("duty/", views.DutyView.as_view(), name="duty"),
]
