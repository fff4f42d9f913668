"""The support part of /api/v1/ (included in amparo/urls.py under the "api" namespace)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
