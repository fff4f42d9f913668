"""The support pages (included in amparo/urls.py under /support/)."""

from django.urls import URLPattern, URLResolver

app_name = "support"

urlpatterns: list[URLPattern | URLResolver] = []
