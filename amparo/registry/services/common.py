"""What every registry write shares: the audit scope of a desk."""

from __future__ import annotations

from amparo.network import services as network
from amparo.network.models import Desk


def desk_scope(desk: Desk) -> str:
    return network.scope_of(desk.network)
