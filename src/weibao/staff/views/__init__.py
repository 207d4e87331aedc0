"""Pages of the staff app."""

from weibao.staff.views.attendance import AttendanceView, CheckInView
from weibao.staff.views.changes import ChangeDecisionView, ChangeListView
from weibao.staff.views.duty import DutyView
from weibao.staff.views.team import DocumentFileView, MemberView, RosterView

__all__ = ["AttendanceView", "ChangeDecisionView", "ChangeListView", "CheckInView",
           "DocumentFileView", "DutyView", "MemberView", "RosterView"]
