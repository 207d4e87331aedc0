"""UI routes of the imports app (AST-10)."""

from django.urls import URLPattern, URLResolver, path

from weibao.imports.views import (
    ContractImportView,
    ImportIndexView,
    JobCommitView,
    JobListView,
    JobView,
    TemplateView,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("", ImportIndexView.as_view(), name="index"),
    path("template/<slug:key>.xlsx", TemplateView.as_view(), name="template"),
    path("<int:contract_pk>/", ContractImportView.as_view(), name="contract"),
    path("<int:contract_pk>/jobs/", JobListView.as_view(), name="jobs"),
    path("<int:contract_pk>/jobs/<int:pk>/", JobView.as_view(), name="job"),
    path("<int:contract_pk>/jobs/<int:pk>/commit/", JobCommitView.as_view(), name="commit"),
]
