"""Text messages for circulation: the first implementation of the senders' interface
(`SmsSender`), over the gateway client in `core/sms.py`."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from amparo.appeals.rendering import TOKEN
from amparo.core.sms import SmsGateway, SmsResult, TwilioCompatibleGateway, close_gateway, gateway

from .base import Message, Outcome, Result

__all__ = ["SmsGateway", "SmsResult", "SmsSender", "TwilioCompatibleGateway", "close_gateway", "gateway"]


class SmsSender:
    """Circulation's texts: each message's short words with her link, through the gateway, as
    many at once as the circulation's connections allow."""

    def send(self, messages: Sequence[Message], *, deadline: float) -> list[Result]:
        found = gateway()
        if found is None:
            return [Result(m.key, Outcome.RETRY, "no SMS gateway") for m in messages]

        def one(message: Message) -> Result:
            answer = found.send(message.to, message.prepared.sms.replace(TOKEN, message.token))
            return Result(message.key, answer.outcome, answer.detail)

        with ThreadPoolExecutor(max_workers=settings.AMPARO_CIRCULATION_SMTP_CONNECTIONS) as threads:
            return list(threads.map(one, messages))
