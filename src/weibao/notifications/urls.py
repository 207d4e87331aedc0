"""Pages of the notifications app (namespace ``notifications``)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
