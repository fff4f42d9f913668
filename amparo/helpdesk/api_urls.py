"""The helpdesk part of /api/v1/ (included in amparo/urls.py under the "api" namespace)."""

from django.urls import URLPattern, URLResolver, path

from amparo.helpdesk import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("helpdesk/guides/", api.GuideList.as_view(), name="helpdesk_guides"),
]
