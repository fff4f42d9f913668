"""What of a support request is sealed, and how it is opened, named by intent (keys stay in
the vault).

A request's details (what happened, the help she asked for, her other help, who travels, where
to, the journey's security plan and the return plan), a decision's note and every message of
her conversation are sealed to the fund reviewers' ring of the request's network and to her:
her member key when she asked with her account, the public key her receipt gives when she
asked with it. A documenter filing on her behalf seals to the same readers without being one.
A fund's private contact is sealed to the network's coordinators and fund reviewers.
"""

from __future__ import annotations

import json
from typing import Any

from amparo.network import services as network
from amparo.network.models import Network, Role
from amparo.registry import sealing as registry_sealing
from amparo.registry.models import Incident
from amparo.vault import services as vault
from amparo.vault.errors import VaultError
from amparo.vault.services import Unlocked

from .models import Decision, Fund, SupportMessage, SupportRequest

DETAILS = ("help_wanted", "what_happened", "other_help", "travellers", "destination", "travel_security",
           "return_plan")
_DETAILS = "support.supportrequest.details"
_NOTE = "support.decision.note"
_MESSAGE = "support.supportmessage.body"
_CONTACT = "support.fund.contact"


def _her(request: SupportRequest) -> list[Any]:
    """Her key, whichever she has: her account, or her receipt's public key."""
    if request.requester_id is not None and request.requester is not None:
        return [request.requester]
    if request.receipt_id is not None and request.receipt is not None:
        return [bytes(request.receipt.public_key)]
    return []


def seal_details(network_: Network, details: dict[str, str], also_to: list[Any]) -> bytes:
    """A new request's details, sealed before the row exists (to the reviewers and to her)."""
    words = {name: str(details.get(name) or "") for name in DETAILS}
    return network.seal_for_role(network_, Role.FUND_REVIEWER, json.dumps(words, ensure_ascii=False),
                                 label=_DETAILS, also_to=also_to)


def open_details(unlocked: Unlocked | None, request: SupportRequest) -> dict[str, str]:
    """For a fund reviewer, or for her with her account (raises KeyLocked, NotAReader, Tampered)."""
    opened = json.loads(vault.open_sealed(unlocked, request.details, label=_DETAILS))
    return {name: str(opened.get(name, "")) for name in DETAILS}


def open_details_with_receipt(private_key: bytes, request: SupportRequest) -> dict[str, str]:
    opened = json.loads(vault.open_with_private_key(private_key, request.details, label=_DETAILS))
    return {name: str(opened.get(name, "")) for name in DETAILS}


def seal_note(request: SupportRequest, text: str) -> bytes | None:
    """A decision's reason or question, for her and the reviewers (nothing when blank)."""
    if not text.strip():
        return None
    return network.seal_for_role(request.network, Role.FUND_REVIEWER, text, label=_NOTE, also_to=_her(request))


def open_note(unlocked: Unlocked | None, decision: Decision) -> str:
    return vault.open_sealed(unlocked, decision.note, label=_NOTE) if decision.note else ""


def open_note_with_receipt(private_key: bytes, decision: Decision) -> str:
    return vault.open_with_private_key(private_key, decision.note, label=_NOTE) if decision.note else ""


def seal_message(request: SupportRequest, text: str) -> bytes:
    return network.seal_for_role(request.network, Role.FUND_REVIEWER, text, label=_MESSAGE, also_to=_her(request))


def open_message(unlocked: Unlocked | None, message: SupportMessage) -> str:
    return vault.open_sealed(unlocked, message.body, label=_MESSAGE)


def open_message_with_receipt(private_key: bytes, message: SupportMessage) -> str:
    return vault.open_with_private_key(private_key, message.body, label=_MESSAGE)


def seal_fund_contact(network_: Network, text: str) -> bytes | None:
    """A fund's private contact: the network's coordinators and fund reviewers read it."""
    if not text.strip():
        return None
    rings = [*network.coordinating_rings(network_), network.role_ring(network_, Role.FUND_REVIEWER)]
    return vault.seal_for_rings(rings, text, label=_CONTACT)


def open_fund_contact(unlocked: Unlocked | None, fund: Fund) -> str:
    return vault.open_sealed(unlocked, fund.contact, label=_CONTACT) if fund.contact else ""


def open_help_wanted_with_receipt(private_key: bytes, incident: Incident) -> str:
    """Her answer to "what help would you like?" on her report, for prefilling her request
    ("" when she gave none or it cannot be read: a prefill simply not offered)."""
    try:
        return registry_sealing.open_help_wanted_with_receipt(private_key, incident)
    except VaultError:
        return ""


def open_help_wanted(unlocked: Unlocked | None, incident: Incident) -> str:
    try:
        return registry_sealing.open_help_wanted(unlocked, incident)
    except VaultError:
        return ""
