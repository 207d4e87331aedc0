"""Pages of the emergency app (namespace ``emergency``)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
