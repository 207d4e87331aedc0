from django.urls import path

from weibao.sla.views import PreviewView

urlpatterns = [
    path("preview/", PreviewView.as_view(), name="preview"),
]
