"""The REST API: one router, namespace ``api``."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from weibao.assessment.api.urls import register_routes as register_assessment_routes
from weibao.assessment.api.urls import urlpatterns as assessment_urls
from weibao.assets.api.urls import register_routes as register_asset_routes
from weibao.calendars.api.urls import register_routes as register_calendar_routes
from weibao.contracts.api.views import (
    ContractSpecSchemaView,
    ContractSpecViewSet,
    ContractViewSet,
)
from weibao.core.api.views import OrganisationViewSet, UserViewSet
from weibao.emergency.api.urls import register_routes as register_emergency_routes
from weibao.emergency.api.urls import urlpatterns as emergency_urls
from weibao.imports.api.urls import register_routes as register_import_routes
from weibao.maintenance.api.urls import register_routes as register_maintenance_routes
from weibao.maintenance.api.urls import urlpatterns as maintenance_urls
from weibao.notifications.api.urls import register_routes as register_notification_routes
from weibao.reports.api.urls import register_routes as register_report_routes
from weibao.reports.api.urls import urlpatterns as report_urls
from weibao.security.tokens import ObtainTokenView
from weibao.sites.api.urls import register_routes as register_site_routes
from weibao.sla.api.views import SlaPreviewView
from weibao.spares.api.urls import register_routes as register_spare_routes
from weibao.staff.api.urls import register_routes as register_staff_routes
from weibao.tickets.api.urls import register_routes as register_ticket_routes
from weibao.tickets.api.urls import urlpatterns as ticket_step_urls

router = DefaultRouter()
# Tickets first: reports and their steps are most of the API's traffic, and routes are
# matched in order.
register_ticket_routes(router)
router.register("contracts", ContractViewSet, basename="contract")
router.register("contract-spec", ContractSpecViewSet, basename="contract-spec")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("users", UserViewSet, basename="user")
register_calendar_routes(router)
register_site_routes(router)
register_asset_routes(router)
register_spare_routes(router)
register_import_routes(router)
register_maintenance_routes(router)
register_report_routes(router)
register_assessment_routes(router)
register_emergency_routes(router)
register_staff_routes(router)
register_notification_routes(router)

urlpatterns = [
    path("contract-spec/schema.json", ContractSpecSchemaView.as_view(),
         name="contract-spec-schema"),
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("sla/preview", SlaPreviewView.as_view(), name="sla-preview"),
    path("", include((ticket_step_urls + maintenance_urls + report_urls + assessment_urls
                      + emergency_urls + router.urls, "api"),
                     namespace="api")),
]
