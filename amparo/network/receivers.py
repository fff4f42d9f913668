"""Network's answers to accounts' signals: a closed account keeps no role and no key ring."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from amparo.accounts.models import User
from amparo.accounts.services import DeactivationRefused
from amparo.accounts.signals import account_deactivated
from amparo.network import services
from amparo.network.models import Membership


@receiver(account_deactivated)
def _end_roles(sender: Any, user: User, actor: services.Actor, **kwargs: Any) -> None:
    """End every active role of the account, leaving its key rings (a new epoch each); refuse
    if she is the last who can open a desk's or network's records."""
    for membership in Membership.objects.active().filter(user=user):
        try:
            services.end_membership(actor, membership)
        except services.LastKeyHolderError as exc:
            raise DeactivationRefused(" ".join(exc.messages)) from exc
