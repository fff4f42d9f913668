"""What every registry write shares: the audit scope of a desk and the labels of sealed fields."""

from __future__ import annotations

from amparo.network import services as network
from amparo.network.models import Desk


def desk_scope(desk: Desk) -> str:
    return network.scope_of(desk.network)


def label(model: str, name: str) -> str:
    """The associated-data label of a sealed field, e.g. "registry.incident.narrative"."""
    return f"registry.{model}.{name}"
