"""Pages of the emergency app (namespace ``emergency``), mounted at ``/emergency/``."""

from __future__ import annotations

from django.urls import URLPattern, path

from weibao.emergency.views import drills, incidents, periods, plans

urlpatterns: list[URLPattern] = [
    path("", plans.PlanListView.as_view(), name="plans"),
    path("plans/new/", plans.PlanCreateView.as_view(), name="plan-new"),
    path("plans/<int:pk>/", plans.PlanView.as_view(), name="plan"),
    path("drills/", drills.DrillCalendarView.as_view(), name="drills"),
    path("drills/<int:pk>/", drills.DrillView.as_view(), name="drill"),
    path("drills/<int:pk>/photos/", drills.DrillPhotoView.as_view(), name="drill-photo"),
    path("incidents/", incidents.IncidentListView.as_view(), name="incidents"),
    path("incidents/new/", incidents.IncidentCreateView.as_view(), name="incident-new"),
    path("incidents/<int:pk>/", incidents.IncidentView.as_view(), name="incident"),
    path("periods/", periods.PeriodListView.as_view(), name="periods"),
    path("periods/<int:pk>/", periods.PeriodView.as_view(), name="period"),
]
