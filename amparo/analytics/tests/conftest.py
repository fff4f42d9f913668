"""Fixtures of the analytics tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def publish(db):
    """Run the public-table job, as a registry write would: test data is written straight into
    the tables, and visitors' pages read only what the job published."""
    from amparo.analytics.services.public import refresh_public_tables

    def run() -> None:
        assert refresh_public_tables() == "computed"

    return run


@pytest.fixture(autouse=True)
def _runs_not_spaced(monkeypatch):
    """Tests run the job several times in a row: no waiting between runs (one test checks it)."""
    from amparo.analytics.services import public

    monkeypatch.setattr(public, "MIN_SECONDS_BETWEEN_RUNS", 0.0)
