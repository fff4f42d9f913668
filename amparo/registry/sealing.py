"""Sealing by intent: the registry's sealed parts, each sealed and opened by a named function,
so that no caller builds a label or picks a ring. Built on the vault (`vault.services`) and the
desk's ring (`network.services.seal_for_desk`)."""

from __future__ import annotations

from amparo.network import services as network
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
