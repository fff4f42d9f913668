"""Analytics listens to the registry (a floor below it): the staff statistics' summaries follow
every write of incidents in the writing transaction (docs/analytics.md, "Rollups")."""

from __future__ import annotations

from typing import Any

from amparo.analytics.services import rollups
from amparo.registry.signals import incidents_changed


def incidents_written(sender: Any, ids: list[int], **kwargs: Any) -> None:
    rollups.apply(ids)


def connect() -> None:
    incidents_changed.connect(incidents_written, dispatch_uid="analytics.rollups")
