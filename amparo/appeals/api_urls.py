"""The appeals part of /api/v1/ (included in amparo/urls.py under the "api" namespace)."""

from django.urls import path

from amparo.appeals import api

urlpatterns: list = [
    path("appeals/", api.AppealList.as_view(), name="appeals"),
    path("appeals/<int:public_id>/", api.AppealDetail.as_view(), name="appeal"),
]
