from django.urls import path

from weibao.calendars.views.calendars import (
    CalendarCreateView,
    CalendarDayDeleteView,
    CalendarDayView,
    CalendarDetailView,
    CalendarEditView,
    CalendarHistoryView,
    CalendarListView,
)
from weibao.calendars.views.holidays import (
    HolidayDayPickView,
    HolidayDayView,
    HolidaySetDetailView,
    HolidaySetHistoryView,
    HolidaySetListView,
    HolidayYearView,
    MarkOfficialView,
    YearImportView,
)

# "new" and "holidays" are reserved calendar codes (models.calendars.RESERVED_CODES).
urlpatterns = [
    path("", CalendarListView.as_view(), name="list"),
    path("new/", CalendarCreateView.as_view(), name="create"),
    path("holidays/", HolidaySetListView.as_view(), name="holiday-set-list"),
    path("holidays/<slug:code>/", HolidaySetDetailView.as_view(), name="holiday-set"),
    path("holidays/<slug:code>/history/", HolidaySetHistoryView.as_view(),
         name="holiday-set-history"),
    path("holidays/<slug:code>/years/new/", YearImportView.as_view(), name="year-import"),
    path("holidays/<slug:code>/years/<int:year>/", HolidayYearView.as_view(),
         name="holiday-year"),
    path("holidays/<slug:code>/years/<int:year>/official/", MarkOfficialView.as_view(),
         name="year-official"),
    path("holidays/<slug:code>/days/", HolidayDayPickView.as_view(), name="holiday-day-pick"),
    path("holidays/<slug:code>/days/<str:day>/", HolidayDayView.as_view(), name="holiday-day"),
    path("<slug:code>/", CalendarDetailView.as_view(), name="detail"),
    path("<slug:code>/edit/", CalendarEditView.as_view(), name="edit"),
    path("<slug:code>/history/", CalendarHistoryView.as_view(), name="history"),
    path("<slug:code>/days/new/", CalendarDayView.as_view(), name="day-create"),
    path("<slug:code>/days/<str:day>/", CalendarDayView.as_view(), name="day-edit"),
    path("<slug:code>/days/<str:day>/delete/", CalendarDayDeleteView.as_view(),
         name="day-delete"),
]
