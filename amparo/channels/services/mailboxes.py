"""A desk's mailbox settings, kept by its network's coordinator: the password sealed with the
service key (the poller is a worker), kept as it was when the form leaves it empty."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from amparo.accounts.models import User
from amparo.channels import sealing
from amparo.channels.actions import Action
from amparo.channels.models import DeskMailbox
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.network.models import Desk


class MailboxRefused(ValueError):
    """A new mailbox needs its password."""


@dataclass
class MailboxData:
    host: str
    port: int
    use_tls: bool
    username: str
    password: str  # "" keeps the one stored
    enabled: bool


def save_mailbox(actor: User, desk: Desk, data: MailboxData) -> DeskMailbox:
    with transaction.atomic():
        mailbox = DeskMailbox.objects.select_for_update().filter(desk=desk).first() or DeskMailbox(desk=desk)
        if not data.password and mailbox.password is None:
            raise MailboxRefused("password")
        mailbox.host, mailbox.port, mailbox.use_tls = data.host.strip(), data.port, data.use_tls
        mailbox.username, mailbox.enabled = data.username.strip(), data.enabled
        if data.password:
            mailbox.password = sealing.seal_mailbox_password(data.password)
        mailbox.save()
        record_audit(actor, Action.MAILBOX_SAVED, mailbox, scope=network.scope_of(desk.network))
    return mailbox
