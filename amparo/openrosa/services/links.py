"""Making and revoking a desk's server addresses. The token is returned once, to be shown or
printed; only its hash is stored (core.tokens)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.core.tokens import hash_token
from amparo.network import services as network
from amparo.network.models import Desk
from amparo.openrosa.actions import Action
from amparo.openrosa.models import Link


def create_link(actor: User | str, desk: Desk) -> tuple[Link, str]:
    """A new address for `desk`: the link, and its raw token (never stored, never shown again)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        number = Link.objects.select_for_update().filter(desk=desk).count() + 1
        username = f"{desk.slug}-{number}"
        while Link.objects.filter(username=username).exists():
            number += 1
            username = f"{desk.slug}-{number}"
        link = Link.objects.create(desk=desk, username=username, token_hash=hash_token(token),
                                   created_by=actor if isinstance(actor, User) else None)
        record_audit(actor, Action.LINK_CREATED, link, scope=network.scope_of(desk.network))
    return link, token


def revoke_link(actor: User, link: Link) -> Link:
    """From now on the address answers 404: phones that used it must be given a new one."""
    with transaction.atomic():
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
            record_audit(actor, Action.LINK_REVOKED, link, scope=network.scope_of(link.desk.network))
    return link


def mark_used(link: Link) -> None:
    """Remember the day the address was last used (a day, so the desk sees a lost phone's link
    still in use, and nothing finer about when a report came)."""
    today = timezone.localdate()
    if link.last_used_on != today:
        Link.objects.filter(pk=link.pk).update(last_used_on=today)
        link.last_used_on = today
