"""Fixtures of the appeals tests."""

from __future__ import annotations

import importlib

import pytest


@pytest.fixture
def outcomes(vocabulary):
    """The outcome terms, even after a transactional test emptied the tables (as `vocabulary`
    does for the rest of the shipped vocabulary)."""
    from django.apps import apps

    from amparo.vocabulary.models import Term

    if not Term.objects.filter(kind=Term.Kind.OUTCOME).exists():
        importlib.import_module("amparo.vocabulary.migrations.0003_appeal_outcomes").ship(apps, None)
