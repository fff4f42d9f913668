"""The protection pages (included in amparo/urls.py under /protection/)."""

from django.urls import URLPattern, URLResolver

app_name = "protection"

urlpatterns: list[URLPattern | URLResolver] = []
