"""The channels pages (included in amparo/urls.py under /channels/)."""

from django.urls import URLPattern, URLResolver

app_name = "channels"

urlpatterns: list[URLPattern | URLResolver] = []
