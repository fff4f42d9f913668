"""Sealing by intent for the channels: her number, her address, her answers under way and a
mailbox's password, each sealed with the service key (a worker sends the replies and polls the
mailboxes) and opened by a named function; blind indexes to find a row by a value."""

from __future__ import annotations

from amparo.channels.models import DeskMailbox, EmailReport, OutgoingSms, SmsAnswer, SmsConversation
from amparo.vault import services as vault


def _label(model: str, name: str) -> str:
    return f"channels.{model}.{name}"


def number_index(number: str) -> str:
    """A keyed fingerprint of her number (spaces and case do not matter)."""
    return vault.blind_index(number, purpose="channels-sms-number")


def message_key(channel: str, reference: str) -> str:
    """A keyed fingerprint of a message's id at its source (a gateway's id, a Message-ID)."""
    return vault.blind_index(f"{channel}:{reference}", purpose="channels-seen")


def seal_number(number: str) -> bytes:
    return vault.seal_with_service_key(number, label=_label("smsconversation", "sender"))


def open_number(conversation: SmsConversation) -> str:
    return vault.open_with_service_key(conversation.sender, label=_label("smsconversation", "sender"))


def seal_outgoing_number(number: str) -> bytes:
    return vault.seal_with_service_key(number, label=_label("outgoingsms", "to"))


def open_outgoing_number(outgoing: OutgoingSms) -> str:
    return vault.open_with_service_key(outgoing.to, label=_label("outgoingsms", "to"))


def seal_answer(text: str) -> bytes:
    return vault.seal_with_service_key(text, label=_label("smsanswer", "body"))


def open_answer(answer: SmsAnswer) -> str:
    return vault.open_with_service_key(answer.body, label=_label("smsanswer", "body"))


def seal_email_sender(address: str) -> bytes:
    return vault.seal_with_service_key(address, label=_label("emailreport", "sender"))


def open_email_sender(report: EmailReport) -> str:
    return vault.open_with_service_key(report.sender, label=_label("emailreport", "sender"))


def seal_mailbox_password(password: str) -> bytes:
    return vault.seal_with_service_key(password, label=_label("deskmailbox", "password"))


def open_mailbox_password(mailbox: DeskMailbox) -> str:
    return vault.open_with_service_key(mailbox.password, label=_label("deskmailbox", "password"))
