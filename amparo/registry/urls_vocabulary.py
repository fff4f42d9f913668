"""Vocabulary pages (coordinators). Filled in by the vocabulary work."""

urlpatterns: list = []
