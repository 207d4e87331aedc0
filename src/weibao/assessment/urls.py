"""UI routes of the assessment domain (考核与结算), mounted at ``/assessment/``.

The ledger, the assessments of a contract, an assessment with its lines, result and
settlement; the cockpit and the assessment report add their routes below."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = [
]
