"""The analytics part of /api/v1/ (included in amparo/urls.py under the "api" namespace)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
