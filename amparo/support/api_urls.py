"""The support part of /api/v1/ (included in amparo/urls.py under the "api" namespace)."""

from django.urls import URLPattern, URLResolver, path

from amparo.support import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("support/funds/", api.FundList.as_view(), name="support_funds"),
    path("support/requests/", api.RequestList.as_view(), name="support_requests"),
]
