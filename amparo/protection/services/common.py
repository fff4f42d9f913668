"""What every protection write shares."""

from __future__ import annotations

from amparo.network import services as network
from amparo.network.models import Desk


class Refused(Exception):
    """A write refused, with the reason in words she can act on."""


def desk_scope(desk: Desk) -> str:
    return network.scope_of(desk.network)
