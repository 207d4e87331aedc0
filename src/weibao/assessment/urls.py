"""UI routes of the assessment domain (考核与结算), mounted at ``/assessment/``.

The ledger, the assessments of a contract, an assessment with its lines, result and
settlement; the cockpit and the assessment report add their routes below."""

from django.urls import URLPattern, URLResolver, path

from weibao.assessment.views import actions, cockpit, pages

urlpatterns: list[URLPattern | URLResolver] = [
    path("", pages.LedgerView.as_view(), name="ledger"),
    path("breaches/<int:pk>/", pages.BreachView.as_view(), name="breach"),
    path("breaches/<int:pk>/evidence/", pages.BreachEvidenceView.as_view(),
         name="breach-evidence"),
    path("breaches/<int:pk>/<str:step>/", actions.BreachStepView.as_view(), name="breach-step"),
    path("assessments/", pages.AssessmentListView.as_view(), name="list"),
    path("assessments/<int:pk>/", pages.AssessmentView.as_view(), name="assessment"),
    path("assessments/<int:pk>/compute/", actions.ComputeView.as_view(), name="compute"),
    path("assessments/<int:pk>/submit-review/", actions.SubmitReviewView.as_view(),
         name="submit-review"),
    path("assessments/<int:pk>/confirm/", actions.ConfirmView.as_view(), name="confirm"),
    path("assessments/<int:pk>/finalise/", actions.FinaliseView.as_view(), name="finalise"),
    path("assessments/<int:pk>/lines/<int:line_pk>/evidence/",
         pages.LineEvidenceView.as_view(), name="line-evidence"),
    path("assessments/<int:pk>/lines/<int:line_pk>/proof/", pages.LineProofView.as_view(),
         name="line-proof"),
    path("assessments/<int:pk>/lines/<int:line_pk>/enter/", actions.EnterView.as_view(),
         name="enter"),
    path("assessments/<int:pk>/lines/<int:line_pk>/review/", actions.ReviewLineView.as_view(),
         name="review"),
    path("assessments/<int:pk>/lines/<int:line_pk>/decide/", actions.DecideLineView.as_view(),
         name="decide"),
    path("contracts/<int:contract_pk>/", pages.ContractAssessmentsView.as_view(),
         name="contract"),
    path("contracts/<int:contract_pk>/create/", actions.CreateView.as_view(), name="create"),
    path("contracts/<int:contract_pk>/penalty/", actions.ApplyPenaltyView.as_view(),
         name="penalty"),
    path("contracts/<int:contract_pk>/cockpit/", cockpit.CockpitView.as_view(), name="cockpit"),
    path("assessments/<int:pk>/report.<str:fmt>", cockpit.ReportView.as_view(), name="report"),
]
