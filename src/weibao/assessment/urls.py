"""UI routes of the assessment domain (考核与结算), mounted at ``/assessment/``.

The ledger, the assessments of a contract, an assessment with its lines, result and
settlement; the cockpit and the assessment report add their routes below."""

from django.urls import URLPattern, URLResolver, path

from weibao.assessment.views import cockpit

urlpatterns: list[URLPattern | URLResolver] = [
    path("contracts/<int:contract_pk>/cockpit/", cockpit.CockpitView.as_view(), name="cockpit"),
    path("assessments/<int:pk>/report.<str:fmt>", cockpit.ReportView.as_view(), name="report"),
]
