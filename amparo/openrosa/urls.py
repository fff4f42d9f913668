"""The openrosa pages (included in amparo/urls.py under /openrosa/)."""

from django.urls import URLPattern, URLResolver

app_name = "openrosa"

urlpatterns: list[URLPattern | URLResolver] = []
