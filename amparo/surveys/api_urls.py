"""The surveys part of /api/v1/ (included in amparo/urls.py under the "api" namespace)."""

from django.urls import URLPattern, URLResolver, path

from amparo.surveys import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("surveys/", api.SurveyList.as_view(), name="surveys"),
]
