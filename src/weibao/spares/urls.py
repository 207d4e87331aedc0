"""UI routes of the spares app (under /spare-parts/)."""

from django.urls import URLPattern, URLResolver, path

from weibao.spares.views import (
    BudgetView,
    ComplianceView,
    MovementListView,
    RecordMovementView,
    SparesIndexView,
    StandbyView,
    StockView,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("", SparesIndexView.as_view(), name="index"),
    path("movements/", MovementListView.as_view(), name="movements"),
    path("<int:contract_pk>/", ComplianceView.as_view(), name="compliance"),
    path("<int:contract_pk>/stock/", StockView.as_view(), name="stock"),
    path("<int:contract_pk>/budget/", BudgetView.as_view(), name="budget"),
    path("<int:contract_pk>/standby/", StandbyView.as_view(), name="standby"),
    path("<int:contract_pk>/record/<slug:kind>/", RecordMovementView.as_view(), name="record"),
]
