"""Sealing by intent: the registry's sealed parts, each sealed and opened by a named function,
so that no caller builds a label or picks a ring. Built on the vault (`vault.services`) and the
desk's ring (`network.services.seal_for_desk`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from amparo.accounts.models import User
from amparo.network import services as network
from amparo.network.models import Desk
from amparo.registry.models import Attachment, FollowUp, Incident, Message
from amparo.registry.services.common import label
from amparo.vault import services as vault
from amparo.vault.services import Unlocked


def open_follow_up_note(unlocked: Unlocked | None, follow_up: FollowUp) -> str:
    return vault.open_sealed(unlocked, follow_up.note, label=label("followup", "note"))


def open_attachment_name(unlocked: Unlocked | None, attachment: Attachment) -> str:
    return vault.open_sealed(unlocked, attachment.filename, label=label("attachment", "filename"))


def seal_reporter_message(incident: Incident, text: str, reporter_public_key: bytes) -> bytes:
    """A message of her conversation: sealed to the desk and to the key her receipt gives."""
    return network.seal_for_desk(incident.desk, text, label=label("message", "body"), also_to=[reporter_public_key])


def open_reporter_message(unlocked: Unlocked | None, message: Message) -> str:
    """A message of her conversation, for a member of the desk."""
    return vault.open_sealed(unlocked, message.body, label=label("message", "body"))


def open_reporter_message_with_receipt(private_key: bytes, message: Message) -> str:
    """A message of her conversation, for her: opened with the key her receipt derives."""
    return vault.open_with_private_key(private_key, message.body, label=label("message", "body"))


def open_incident_narrative_with_receipt(private_key: bytes, incident: Incident) -> str:
    """What she wrote, for her ("" when she wrote nothing)."""
    if not incident.narrative:
        return ""
    return vault.open_with_private_key(private_key, incident.narrative, label=label("incident", "narrative"))


# --- Her answers and her conversation (issue 16) --------------------------------------------

def seal_help_wanted(incident: Incident, text: str, also_to: Iterable[Any] = ()) -> bytes:
    """Her answer to "what help would you like?": sealed to the desk (and to her: her account, or
    the key her receipt gives)."""
    return network.seal_for_desk(incident.desk, text, label=label("incident", "help_wanted"), also_to=list(also_to))


def open_help_wanted(unlocked: Unlocked | None, incident: Incident) -> str:
    """Her answer to "what help would you like?", for a member of the desk or for her ("" when
    she said nothing)."""
    if not incident.help_wanted:
        return ""
    return vault.open_sealed(unlocked, incident.help_wanted, label=label("incident", "help_wanted"))


def reseal_help_wanted(unlocked: Unlocked | None, incident: Incident, target: Desk,
                       also_to: Iterable[Any] = ()) -> bytes | None:
    """Her answer, handed to another desk (None when she said nothing)."""
    if not incident.help_wanted:
        return None
    text = open_help_wanted(unlocked, incident)
    return network.seal_for_desk(target, text, label=label("incident", "help_wanted"), also_to=list(also_to))


def seal_defender_message(incident: Incident, text: str, reporter: User) -> bytes:
    """A message between a defender with an account and her desk: sealed to the desk's ring and
    to her own key."""
    return network.seal_for_desk(incident.desk, text, label=label("message", "body"), also_to=[reporter])


def open_message(unlocked: Unlocked | None, message: Message) -> str:
    """A message of her conversation, for a member of the desk or for her (with her key)."""
    return vault.open_sealed(unlocked, message.body, label=label("message", "body"))


def open_help_wanted_with_receipt(private_key: bytes, incident: Incident) -> str:
    """Her answer on help, for her: opened with the key her receipt derives ("" when none)."""
    if not incident.help_wanted:
        return ""
    return vault.open_with_private_key(private_key, incident.help_wanted, label=label("incident", "help_wanted"))
