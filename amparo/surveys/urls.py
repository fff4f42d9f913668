"""The surveys pages (included in amparo/urls.py under /surveys/)."""

from django.urls import URLPattern, URLResolver

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = []
