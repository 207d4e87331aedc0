"""UI routes of the ticket pages (see weibao/tickets/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from weibao.tickets.views.actions import TicketActionView
from weibao.tickets.views.alerts import SlaAlertListView
from weibao.tickets.views.bulk import TicketBulkAssignView
from weibao.tickets.views.phone import TicketBoardView, TicketMineView
from weibao.tickets.views.report import TicketCreateView
from weibao.tickets.views.tickets import TicketAttachmentView, TicketDetailView, TicketListView

urlpatterns: list[URLPattern | URLResolver] = [
    path("", TicketListView.as_view(), name="list"),
    path("new/", TicketCreateView.as_view(), name="create"),
    path("assign/", TicketBulkAssignView.as_view(), name="bulk-assign"),
    path("mine/", TicketMineView.as_view(), name="mine"),
    path("board/", TicketBoardView.as_view(), name="board"),
    path("alerts/", SlaAlertListView.as_view(), name="alerts"),
    path("<int:pk>/", TicketDetailView.as_view(), name="detail"),
    path("<int:pk>/do/<str:kind>/", TicketActionView.as_view(), name="action"),
    path("<int:pk>/attachments/<int:attachment_pk>/", TicketAttachmentView.as_view(),
         name="attachment"),
]
