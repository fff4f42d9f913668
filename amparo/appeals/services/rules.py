"""What every write to an appeal checks first: who may do it, and the refusal it raises.

Checked here, not only in the views, because the API and commands call the same services:
documenters of the appeal's desk draft, edit, translate, add updates, responses and the
outcome; coordinators of its network approve (never what they wrote themselves: four eyes)
and stop."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.appeals.models import Appeal
from amparo.network import permissions
from amparo.network import services as network
from amparo.network.models import Network


class AppealRefused(Exception):
    """The step is not allowed: the message says why, in words for the person who tried."""


def scope(appeal_or_network: Appeal | Network) -> str:
    """The audit scope of an appeal: its network's."""
    target = appeal_or_network.network if isinstance(appeal_or_network, Appeal) else appeal_or_network
    return network.scope_of(target)


def must_document(user: User, appeal: Appeal) -> None:
    if not permissions.is_documenter_of(user, appeal.desk):
        raise AppealRefused(_("Only the desk's documenters can do this."))


def must_coordinate(user: User, appeal: Appeal) -> None:
    if not permissions.is_coordinator_of(user, appeal.network):
        raise AppealRefused(_("Only the network's coordinators can do this."))


def before_publication(appeal: Appeal) -> bool:
    """Its words are sealed until a coordinator approves it (sealing.py)."""
    return appeal.status in (Appeal.Status.DRAFT, Appeal.Status.REVIEW)
