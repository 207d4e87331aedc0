"""UI routes of the sites app."""

from django.urls import URLPattern, URLResolver, path

from weibao.sites.views.areas import (
    AreaIndexView,
    ContractAreasView,
    RecordDeleteView,
    RecordEditView,
)
from weibao.sites.views.sites import (
    SiteBulkEditView,
    SiteCreateView,
    SiteDeleteView,
    SiteDetailView,
    SiteEditView,
    SiteListView,
)

KIND = "<str:kind>"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", SiteListView.as_view(), name="list"),
    path("bulk/", SiteBulkEditView.as_view(), name="bulk-edit"),
    path("areas/", AreaIndexView.as_view(), name="area-index"),
    path("contracts/<int:contract_pk>/new/", SiteCreateView.as_view(), name="create"),
    path("contracts/<int:contract_pk>/areas/", ContractAreasView.as_view(), name="areas"),
    path(f"contracts/<int:contract_pk>/{KIND}/new/", RecordEditView.as_view(),
         name="record-create"),
    path(f"contracts/<int:contract_pk>/{KIND}/<int:pk>/edit/", RecordEditView.as_view(),
         name="record-edit"),
    path(f"contracts/<int:contract_pk>/{KIND}/<int:pk>/delete/", RecordDeleteView.as_view(),
         name="record-delete"),
    path("<int:pk>/", SiteDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", SiteEditView.as_view(), name="edit"),
    path("<int:pk>/delete/", SiteDeleteView.as_view(), name="delete"),
]
