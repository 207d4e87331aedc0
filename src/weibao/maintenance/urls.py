"""UI routes of the maintenance domain (巡检), mounted at ``/maintenance/``."""

from django.urls import URLPattern, URLResolver, path

from weibao.maintenance.views import planning, sheets, visits

urlpatterns: list[URLPattern | URLResolver] = [
    path("", planning.VisitListView.as_view(), name="list"),
    path("today/", visits.TodayView.as_view(), name="today"),
    path("calendar/", planning.CalendarView.as_view(), name="calendar"),
    path("coverage/", planning.CoverageView.as_view(), name="coverage"),
    path("sheets.<str:kind>", sheets.MonthSheetsView.as_view(), name="month-sheets"),
    path("plans/", planning.PlanListView.as_view(), name="plans"),
    path("plans/<int:pk>/", planning.PlanDetailView.as_view(), name="plan"),
    path("checklists/<int:pk>/", planning.ChecklistDetailView.as_view(), name="checklist"),
    path("events/", planning.MajorEventsView.as_view(), name="events"),
    path("areas/", planning.EngineerAreasView.as_view(), name="areas"),
    path("visits/<int:pk>/", visits.VisitView.as_view(), name="visit"),
    path("visits/<int:pk>/check-in/", visits.CheckInView.as_view(), name="check-in"),
    path("visits/<int:pk>/parts/", visits.PartsView.as_view(), name="parts"),
    path("visits/<int:pk>/items/<str:code>/ticket/", visits.OpenTicketView.as_view(),
         name="open-ticket"),
    path("visits/<int:pk>/manage/", sheets.VisitManageView.as_view(), name="manage"),
    path("visits/<int:pk>/sheet/", sheets.SheetView.as_view(), name="sheet"),
    path("sheets/<int:pk>.pdf", sheets.SheetPdfView.as_view(), name="sheet-pdf"),
]
