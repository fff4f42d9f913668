"""Vocabulary pages (coordinators), under /registry/vocabulary/ in the "registry" namespace."""

from django.urls import path

from amparo.vocabulary import views

urlpatterns = [
    path("", views.vocabulary_index, name="vocabulary"),
    path("export.csv", views.vocabulary_export, name="vocabulary_export"),
    path("import/", views.vocabulary_import, name="vocabulary_import"),
    path("terms/<int:term_id>/", views.term_edit, name="term_edit"),
    path("terms/<int:term_id>/retire/", views.term_retire, name="term_retire"),
    path("terms/<int:term_id>/restore/", views.term_restore, name="term_restore"),
    path("<slug:kind>/", views.vocabulary_kind, name="vocabulary_kind"),
    path("<slug:kind>/new/", views.term_create, name="term_create"),
]
