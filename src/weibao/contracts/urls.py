from django.urls import path

from weibao.contracts.views.contracts import (
    ContractCreateView,
    ContractDetailView,
    ContractEditView,
    ContractListView,
)
from weibao.contracts.views.records import (
    RecordView,
    document_delete,
    document_download,
    event_delete,
)
from weibao.contracts.views.spec import SpecExportView, SpecImportView

urlpatterns = [
    path("", ContractListView.as_view(), name="list"),
    path("new/", ContractCreateView.as_view(), name="create"),
    path("import/", SpecImportView.as_view(), name="spec-import"),
    path("<int:contract_pk>/", ContractDetailView.as_view(), name="detail"),
    path("<int:contract_pk>/edit/", ContractEditView.as_view(), name="edit"),
    path("<int:contract_pk>/spec.yaml", SpecExportView.as_view(), name="spec-export"),
    path("<int:contract_pk>/documents/<int:pk>/download/", document_download,
         name="document-download"),
    path("<int:contract_pk>/documents/<int:pk>/delete/", document_delete, name="document-delete"),
    path("<int:contract_pk>/events/<int:pk>/delete/", event_delete, name="event-delete"),
    path("<int:contract_pk>/<slug:kind>/new/", RecordView.as_view(), name="record-create"),
    path("<int:contract_pk>/<slug:kind>/<int:pk>/", RecordView.as_view(), name="record-edit"),
]
