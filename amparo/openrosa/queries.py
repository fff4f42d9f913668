"""Reads the OpenRosa pages and endpoints share."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.crypto import constant_time_compare

from amparo.core.tokens import hash_token
from amparo.network.models import Desk
from amparo.openrosa.models import Link


def link_for_token(token: str) -> Link | None:
    """The active link this token opens, or None (unknown, or revoked)."""
    if not token or len(token) > 200:
        return None
    return Link.objects.active().select_related("desk__network", "desk__ring").filter(
        token_hash=hash_token(token)).first()


def link_for_login(username: str, password: str) -> Link | None:
    """The active link with this user name whose token is `password`, or None. Call it only
    through accounts.gates.check_secret (counted, and refused when tried too often)."""
    link = Link.objects.active().select_related("desk__network", "desk__ring").filter(username=username).first()
    if link is None or not constant_time_compare(link.token_hash, hash_token(password)):
        return None
    return link


def active_links(desk: Desk) -> QuerySet[Link]:
    return Link.objects.active().filter(desk=desk).select_related("created_by")


def links(desk: Desk) -> QuerySet[Link]:
    """Every link of the desk, revoked ones included."""
    return Link.objects.filter(desk=desk)
