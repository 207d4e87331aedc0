"""UI routes of the deliverables domain (交付物), mounted at ``/reports/``."""

from django.urls import URLPattern, URLResolver, path

from weibao.reports.views import actions, pages

urlpatterns: list[URLPattern | URLResolver] = [
    path("", pages.SubmissionListView.as_view(), name="list"),
    path("calendar/", pages.CalendarView.as_view(), name="calendar"),
    path("deliverables/", pages.DeliverableListView.as_view(), name="deliverables"),
    path("submissions/<int:pk>/", pages.SubmissionView.as_view(), name="submission"),
    path("submissions/<int:pk>/files/<int:file_pk>/", pages.FileView.as_view(), name="file"),
    path("submissions/<int:pk>/jobs/<int:job_pk>/", pages.JobView.as_view(), name="job"),
    path("submissions/<int:pk>/generate/", actions.GenerateView.as_view(), name="generate"),
    path("submissions/<int:pk>/attach/", actions.AttachView.as_view(), name="attach"),
    path("submissions/<int:pk>/submit/", actions.SubmitView.as_view(), name="submit"),
    path("submissions/<int:pk>/accept/", actions.AcceptView.as_view(), name="accept"),
    path("submissions/<int:pk>/return/", actions.ReturnView.as_view(), name="return"),
]
