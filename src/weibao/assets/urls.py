"""UI routes of the assets app."""

from django.urls import URLPattern, URLResolver, path

from weibao.assets.views.assets import (
    AssetCreateView,
    AssetDetailView,
    AssetEditView,
    AssetListView,
    BulkEditView,
)
from weibao.assets.views.certificates import (
    CertificateCreateView,
    CertificateDetailView,
    CertificateListView,
)
from weibao.assets.views.field import RelocateView, RelocationListView, SiteVerifyView
from weibao.assets.views.types import AssetTypeTreeView

urlpatterns: list[URLPattern | URLResolver] = [
    path("", AssetListView.as_view(), name="list"),
    path("new/", AssetCreateView.as_view(), name="create"),
    path("bulk-edit/", BulkEditView.as_view(), name="bulk-edit"),
    path("<int:pk>/", AssetDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", AssetEditView.as_view(), name="edit"),
    path("<int:pk>/relocate/", RelocateView.as_view(), name="relocate"),
    path("types/", AssetTypeTreeView.as_view(), name="types"),
    path("certificates/", CertificateListView.as_view(), name="certificates"),
    path("certificates/new/", CertificateCreateView.as_view(), name="certificate-create"),
    path("certificates/<int:pk>/", CertificateDetailView.as_view(), name="certificate-detail"),
    path("verify/<int:site_pk>/", SiteVerifyView.as_view(), name="verify"),
    path("relocations/", RelocationListView.as_view(), name="relocations"),
]
