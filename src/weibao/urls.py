"""URL configuration: UI pages per app, the REST API under /api/, admin on trusted networks."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from weibao.core.urls import app_patterns

urlpatterns = [
    # The API first: phones and integrations call it most, and a request is matched against
    # the patterns in order.
    path("api/", include("weibao.api_urls")),
    path("", include("weibao.core.urls")),
    path("manage/", include((app_patterns, "core"), namespace="core")),
    path("contracts/", include(("weibao.contracts.urls", "contracts"), namespace="contracts")),
    path("calendars/", include(("weibao.calendars.urls", "calendars"), namespace="calendars")),
    path("sla/", include(("weibao.sla.urls", "sla"), namespace="sla")),
    path("sites/", include(("weibao.sites.urls", "sites"), namespace="sites")),
    path("assets/", include(("weibao.assets.urls", "assets"), namespace="assets")),
    path("spare-parts/", include(("weibao.spares.urls", "spares"), namespace="spares")),
    path("imports/", include(("weibao.imports.urls", "imports"), namespace="imports")),
    path("tickets/", include(("weibao.tickets.urls", "tickets"), namespace="tickets")),
    path("maintenance/", include(("weibao.maintenance.urls", "maintenance"),
                                 namespace="maintenance")),
    path("reports/", include(("weibao.reports.urls", "reports"), namespace="reports")),
    path("assessment/", include(("weibao.assessment.urls", "assessment"),
                                namespace="assessment")),
    path("staff/", include(("weibao.staff.urls", "staff"), namespace="staff")),
    path("emergency/", include(("weibao.emergency.urls", "emergency"), namespace="emergency")),
    path("security/", include(("weibao.security.urls", "security"), namespace="security")),
    path("notifications/", include(("weibao.notifications.urls", "notifications"),
                                   namespace="notifications")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
]

