"""UI routes of the work a ticket produces (see weibao/tickets/urls.py): fault report,
satisfaction, return visits, requirement changes (TKT-06..08) and the knowledge base (TKT-09)."""

from django.urls import URLPattern, URLResolver, path

from weibao.tickets.views import knowledge, work

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/report/", work.ReportEditView.as_view(), name="report-edit"),
    path("<int:pk>/report/parts/", work.PartsIssueView.as_view(), name="report-parts"),
    path("<int:pk>/report/review/", work.ReportReviewView.as_view(), name="report-review"),
    path("<int:pk>/report.pdf", work.ReportPdfView.as_view(), name="report-pdf"),
    path("<int:pk>/satisfaction/", work.SatisfactionView.as_view(), name="satisfaction"),
    path("<int:pk>/return-visits/new/", work.ReturnVisitView.as_view(), name="return-visit"),
    path("<int:pk>/change/", work.ChangeView.as_view(), name="change"),
    path("<int:pk>/change/dispute/", work.ChangeDisputeView.as_view(), name="change-dispute"),
    path("<int:pk>/change/decide/", work.ChangeDecideView.as_view(), name="change-decide"),
    path("<int:pk>/knowledge/new/", knowledge.ArticleFromReportView.as_view(),
         name="article-from-report"),
    path("<int:pk>/knowledge/link/", knowledge.ArticleLinkView.as_view(), name="article-link"),
    path("summary/", work.WorkSummaryView.as_view(), name="work-summary"),
    path("knowledge/", knowledge.ArticleListView.as_view(), name="article-list"),
    path("knowledge/new/", knowledge.ArticleCreateView.as_view(), name="article-create"),
    path("knowledge/<int:pk>/", knowledge.ArticleDetailView.as_view(), name="article-detail"),
    path("knowledge/<int:pk>/edit/", knowledge.ArticleEditView.as_view(), name="article-edit"),
    path("knowledge/<int:pk>/delete/", knowledge.ArticleDeleteView.as_view(),
         name="article-delete"),
]
