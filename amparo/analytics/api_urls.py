"""The analytics part of /api/v1/ (included in amparo/urls.py under the "api" namespace)."""

from django.urls import path

from amparo.analytics import api

urlpatterns: list = [
    path("stats/incidents", api.stats_incidents, name="stats_incidents"),
]
