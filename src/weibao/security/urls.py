from django.urls import path

from weibao.security import views

app_name = "security"
urlpatterns = [
    path("two-step/", views.TotpSetupView.as_view(), name="totp"),
    path("two-step/code/", views.TotpLoginView.as_view(), name="totp-login"),
    path("sign-ins/", views.MyLoginHistoryView.as_view(), name="my-logins"),
    path("sign-ins/all/", views.LoginHistoryView.as_view(), name="logins"),
    path("audit/", views.AuditChainView.as_view(), name="audit"),
    path("lockouts/", views.LockoutListView.as_view(), name="lockouts"),
    path("lockouts/<int:pk>/unlock/", views.UnlockView.as_view(), name="unlock"),
]
