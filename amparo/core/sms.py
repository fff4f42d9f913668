"""Text messages through a gateway, for every app that sends one (circulation, replies to a
report sent by SMS, a missed check-in's alert).

The client speaks the request format that Twilio defined and many gateways copy: a form POST
of `To`, `From` and `Body` to `{base}/2010-04-01/Accounts/{sid}/Messages.json` with HTTP basic
authentication (account id, token). Settings come from the environment (AMPARO_SMS_URL,
AMPARO_SMS_ACCOUNT, AMPARO_SMS_TOKEN, AMPARO_SMS_FROM); without a URL there is no gateway.

A gateway's answer is read like SMTP's: 2xx sent; 429, 5xx or a network failure temporary
(retry later); another 4xx permanent for this number (bounce). Nothing here logs a number or a
text.
"""

from __future__ import annotations

import base64
import enum
import http.client
import json
import threading
import urllib.parse
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings


class Outcome(enum.Enum):
    SENT = "sent"
    RETRY = "retry"  # temporary: try again later (4xx, connection trouble)
    BOUNCE = "bounce"  # permanent for this address (5xx)


@dataclass(frozen=True)
class SmsResult:
    outcome: Outcome
    detail: str = ""  # the gateway's status and error code, never the number or the text
    reference: str = ""  # the gateway's id for the message, when it gives one


class SmsGateway(Protocol):
    def send(self, to: str, body: str) -> SmsResult: ...


class TwilioCompatibleGateway:
    """HTTP(S) over kept-alive connections, one per concurrent sender, reused."""

    def __init__(self, base_url: str, account: str, token: str, sender: str, *, timeout: float = 15.0) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("AMPARO_SMS_URL must be an http(s) URL")
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.path = (f"{parts.path.rstrip('/')}/2010-04-01/Accounts/"
                     f"{urllib.parse.quote(account, safe='')}/Messages.json")
        self.sender = sender
        self.timeout = timeout
        credentials = base64.b64encode(f"{account}:{token}".encode()).decode()
        self.headers = {"Authorization": f"Basic {credentials}",
                        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def _take(self) -> http.client.HTTPConnection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        return cls(self.host, self.port, timeout=self.timeout)

    def _give_back(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            self._idle.append(connection)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def send(self, to: str, body: str) -> SmsResult:
        form = urllib.parse.urlencode({"To": to, "From": self.sender, "Body": body})
        for attempt in (1, 2):
            connection = self._take()
            try:
                connection.request("POST", self.path, body=form, headers=self.headers)
                response = connection.getresponse()
                raw = response.read()
                status = response.status
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                connection.close()  # a kept connection the gateway closed: once more on a new one
                if attempt == 2:
                    return SmsResult(Outcome.RETRY, type(exc).__name__)
                continue
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                return SmsResult(Outcome.RETRY, type(exc).__name__)
            if response.will_close:
                connection.close()
            else:
                self._give_back(connection)
            return self._read(status, raw)
        return SmsResult(Outcome.RETRY, "no answer")  # pragma: no cover

    @staticmethod
    def _read(status: int, raw: bytes) -> SmsResult:
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        code = answer.get("code") or answer.get("error_code") or ""
        detail = f"HTTP {status}" + (f" code {code}" if code else "")
        if 200 <= status < 300:
            return SmsResult(Outcome.SENT, detail, str(answer.get("sid", ""))[:64])
        if status == 429 or status >= 500:
            return SmsResult(Outcome.RETRY, detail)
        if status in (401, 403, 404):  # our account or URL, not her number: retried, then failed
            return SmsResult(Outcome.RETRY, detail)
        return SmsResult(Outcome.BOUNCE, detail)


_gateway: tuple[tuple[str, str, str, str], TwilioCompatibleGateway] | None = None


def gateway() -> SmsGateway | None:
    """The configured gateway, or None when SMS is not set up."""
    global _gateway
    key = (settings.AMPARO_SMS_URL, settings.AMPARO_SMS_ACCOUNT, settings.AMPARO_SMS_TOKEN,
           settings.AMPARO_SMS_FROM)
    if _gateway is not None and _gateway[0] != key:
        close_gateway()
    if not key[0]:
        return None
    if _gateway is None:
        _gateway = (key, TwilioCompatibleGateway(*key))
    return _gateway[1]


def close_gateway() -> None:
    global _gateway
    if _gateway is not None:
        _gateway[1].close()
        _gateway = None
