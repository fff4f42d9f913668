"""What the help desk seals, each by a named function: the conversation (sealed to the
network's help-desk ring and to the person asking: her member key, or the public key her
receipt gives) and her trusted contacts' addresses (the service key: a worker sends the
warnings without her)."""

from __future__ import annotations

from amparo.accounts.models import User
from amparo.helpdesk.models import HelpMessage, HelpRequest, TrustedContact
from amparo.network import services as network
from amparo.network.models import Role
from amparo.vault import services as vault
from amparo.vault.services import Unlocked

MESSAGE = "helpdesk.message.body"
CONTACT = "helpdesk.trusted_contact.address"


def _requester(request: HelpRequest) -> list[User | bytes]:
    if request.requester is not None:
        return [request.requester]
    return [bytes(request.receipt_public_key or b"")]


def seal_message(request: HelpRequest, text: str) -> bytes:
    """A message of the conversation: for the network's ICT experts and for her."""
    return network.seal_for_role(request.network, Role.ICT_EXPERT, text, label=MESSAGE, also_to=_requester(request))


def open_message(unlocked: Unlocked | None, message: HelpMessage) -> str:
    """For an expert of the ring, or for her with her member key."""
    return vault.open_sealed(unlocked, message.body, label=MESSAGE)


def open_message_with_receipt(private_key: bytes, message: HelpMessage) -> str:
    """For her, with the key her receipt gives."""
    return vault.open_with_private_key(private_key, message.body, label=MESSAGE)


def seal_contact_address(address: str) -> bytes:
    return vault.seal_with_service_key(address, label=CONTACT)


def open_contact_address(contact: TrustedContact) -> str:
    """Only the worker that sends a lockdown warning, and her own page, open this."""
    return vault.open_with_service_key(contact.address, label=CONTACT)
