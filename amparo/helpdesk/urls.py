"""The helpdesk pages (included in amparo/urls.py under /helpdesk/)."""

from django.urls import URLPattern, URLResolver

app_name = "helpdesk"

urlpatterns: list[URLPattern | URLResolver] = []
