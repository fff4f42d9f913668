"""The one small interface every channel's sender offers, and what it answers.

A sender takes ready messages (the address, the words rendered once per language, her link
token and the Message-ID) and answers one `Result` per message: sent, retry later, or bounce
(the address takes nothing more). Nothing in a result is an address or a text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from amparo.appeals.rendering import Prepared
from amparo.core.sms import Outcome

NOT_ATTEMPTED = "not attempted"  # past the batch's deadline: back to the queue as it was


@dataclass(frozen=True)
class Result:
    key: int
    outcome: Outcome
    detail: str = ""  # e.g. "550 5.1.1 user unknown": the server's words, never the address


@dataclass(frozen=True)
class Message:
    key: int  # the delivery's id: results come back by it
    to: str = field(repr=False)  # her address or number
    prepared: Prepared = field(repr=False)
    token: str = field(repr=False)  # her link token, put into the prepared words
    msgid: str = ""


class Sender(Protocol):
    def send(self, messages: Sequence[Message], *, deadline: float) -> list[Result]:
        """Send them all (in parallel where the channel allows) before `deadline` (a
        time.monotonic() value); one result per message."""
        ...
