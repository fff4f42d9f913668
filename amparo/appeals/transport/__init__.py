"""Sending circulation's messages: one small interface (`base.Sender`) with a sender per
channel — text messages through the SMS gateway (`sms.py`), e-mail through a pool of SMTP
connections (`email.py`, `smtp.py`). Only the sender tasks (appeals/tasks.py) call them."""

from __future__ import annotations

from .base import NOT_ATTEMPTED, Message, Outcome, Result, Sender
from .email import EmailSender
from .sms import SmsSender


def sender_for(channel: str) -> Sender:
    """The sender of a channel ("email" or "sms")."""
    return SmsSender() if channel == "sms" else EmailSender()


__all__ = ["NOT_ATTEMPTED", "EmailSender", "Message", "Outcome", "Result", "Sender", "SmsSender", "sender_for"]
