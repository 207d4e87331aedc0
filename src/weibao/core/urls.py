from django.contrib.auth import views as auth_views
from django.urls import path

from weibao.core.views.admin_pages import (
    OrganisationEditView,
    OrganisationListView,
    UserEditView,
    UserListView,
)
from weibao.core.views.filters import delete_saved_filter, save_saved_filter
from weibao.core.views.home import healthz, home
from weibao.core.views.search import search
from weibao.security.views import LoginView

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("search/", search, name="search"),
    path("filters/", save_saved_filter, name="saved-filter-save"),
    path("filters/<int:pk>/delete/", delete_saved_filter, name="saved-filter-delete"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
]

app_patterns = [
    path("organisations/", OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/new/", OrganisationEditView.as_view(), name="organisation-create"),
    path("organisations/<int:pk>/", OrganisationEditView.as_view(), name="organisation-edit"),
    path("users/", UserListView.as_view(), name="user-list"),
    path("users/new/", UserEditView.as_view(), name="user-create"),
    path("users/<int:pk>/", UserEditView.as_view(), name="user-edit"),
]
