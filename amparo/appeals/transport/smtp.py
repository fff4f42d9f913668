"""Sending many e-mails fast: a pool of reused SMTP connections, used in parallel.

The e-mail sender (transport/email.py) hands a batch of ready messages (bytes, one recipient each) to `SmtpPool.send`,
which spreads them over N connections (AMPARO_CIRCULATION_SMTP_CONNECTIONS), each driven by its
own thread, and answers one `Result` per message: sent, retry later (4xx, a dropped or refused
connection) or bounce (5xx: the address will not take mail). The connections stay open between
batches, so a circulation opens N connections, not one per message.

Nothing here logs or returns an address or a body: a result carries the message's key and the
server's code and short reply.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .base import NOT_ATTEMPTED, Outcome, Result

IDLE_CHECK_SECONDS = 30.0  # a connection idle longer than this is checked with NOOP first
UNREACHABLE = "server unreachable"  # counts as an attempt: the next one waits its back-off


@dataclass(frozen=True)
class Outgoing:
    key: int  # the delivery's id: results come back by it
    sender: str
    recipient: str
    data: bytes  # the whole message, headers and body, CRLF line ends


# Servers often repeat the recipient in their reply ("550 5.1.1 <ana@example.org>: Recipient
# address rejected"); the reply is kept in clear (Delivery.error), her address never is.
_ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>]+>?")


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(_ADDRESS.sub('<address>', text).split())}"[:200]


def classify(exc: BaseException) -> tuple[Outcome, str]:
    """What an SMTP error means for the message: 4xx and lost connections are temporary, 5xx
    refusals of the recipient or of the message permanent. A refused sender is our own
    configuration, not the supporter's address: temporary (it will fail after the retries)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, message = next(iter(exc.recipients.values()), (450, b"refused"))
        return (Outcome.BOUNCE if 500 <= code < 600 else Outcome.RETRY), _reply(code, message)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return Outcome.RETRY, _reply(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return Outcome.RETRY, "connection lost"
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        return (Outcome.BOUNCE if 500 <= code < 600 else Outcome.RETRY), _reply(code, exc.smtp_error)
    if isinstance(exc, OSError | smtplib.SMTPException):
        return Outcome.RETRY, type(exc).__name__
    return Outcome.RETRY, type(exc).__name__


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    timeout: float = 30.0
    local_hostname: str | None = None


class _Connection:
    """One SMTP session, opened on first use and kept; reopened after it is lost."""

    def __init__(self, config: SmtpSettings) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None
        self.last_used = 0.0

    def open(self) -> smtplib.SMTP:
        if self.smtp is not None and time.monotonic() - self.last_used > IDLE_CHECK_SECONDS:
            try:
                if self.smtp.noop()[0] != 250:
                    self.close()
            except (smtplib.SMTPException, OSError):
                self.close()
        if self.smtp is None:
            c = self.config
            smtp: smtplib.SMTP
            if c.use_ssl:
                smtp = smtplib.SMTP_SSL(c.host, c.port, local_hostname=c.local_hostname, timeout=c.timeout,
                                        context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(c.host, c.port, local_hostname=c.local_hostname, timeout=c.timeout)
            try:
                smtp.ehlo()
                if c.use_tls:
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                if c.user:
                    smtp.login(c.user, c.password)
            except BaseException:
                smtp.close()
                raise
            self.smtp = smtp
        return self.smtp

    def send(self, message: Outgoing) -> None:
        smtp = self.open()
        try:
            smtp.sendmail(message.sender, [message.recipient], message.data)
        except smtplib.SMTPServerDisconnected:
            self.close()
            raise
        finally:
            self.last_used = time.monotonic()

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


class SmtpPool:
    """N reused connections to one server, used in parallel by `send`. One pool per process
    (see `shared_pool`); `send` must not be called from two threads at once."""

    def __init__(self, config: SmtpSettings, size: int) -> None:
        self.config = config
        self.size = max(1, size)
        self._connections = [_Connection(config) for _ in range(self.size)]
        self._threads = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="smtp")

    def send(self, messages: Sequence[Outgoing], *, deadline: float | None = None) -> list[Result]:
        """Send each message once; a result for every one of them, in no particular order.
        Past `deadline` (time.monotonic()) nothing new is started: the rest come back as
        RETRY with detail NOT_ATTEMPTED (the caller returns them to the queue as they were).
        Once the server cannot be reached, the rest of the batch is not tried either (RETRY,
        UNREACHABLE)."""
        results: list[Result] = []
        lock = threading.Lock()
        position = iter(range(len(messages)))
        unreachable = threading.Event()

        def next_index() -> int | None:
            with lock:
                return next(position, None)

        def work(connection: _Connection) -> None:
            while (index := next_index()) is not None:
                message = messages[index]
                if unreachable.is_set():
                    outcome = Result(message.key, Outcome.RETRY, UNREACHABLE)
                elif deadline is not None and time.monotonic() > deadline:
                    outcome = Result(message.key, Outcome.RETRY, NOT_ATTEMPTED)
                else:
                    outcome = self._send_one(connection, message, unreachable)
                with lock:
                    results.append(outcome)

        used = self._connections[:min(self.size, len(messages))]
        for future in [self._threads.submit(work, connection) for connection in used]:
            future.result()
        return results

    @staticmethod
    def _send_one(connection: _Connection, message: Outgoing, unreachable: threading.Event) -> Result:
        fresh = connection.smtp is None
        for attempt in (1, 2):
            try:
                connection.send(message)
                return Result(message.key, Outcome.SENT)
            except smtplib.SMTPServerDisconnected:
                # Most often a kept connection the server closed while it was idle: one new
                # try on a new connection. (Had the server taken the message and hung up before
                # saying so, the copy would carry the same Message-ID.)
                if attempt == 1 and not fresh:
                    fresh = True
                    continue
                unreachable.set()
                return Result(message.key, Outcome.RETRY, "connection lost")
            except (smtplib.SMTPConnectError, smtplib.SMTPHeloError, smtplib.SMTPAuthenticationError,
                    smtplib.SMTPNotSupportedError) as exc:
                return SmtpPool._unreachable(connection, message, unreachable, exc)
            except smtplib.SMTPException as exc:  # about this message: 4xx or 5xx
                outcome, detail = classify(exc)
                return Result(message.key, outcome, detail)
            except OSError as exc:  # refused, reset, timed out (SMTPException is an OSError too)
                return SmtpPool._unreachable(connection, message, unreachable, exc)
            except Exception as exc:  # e.g. a message smtplib cannot encode: this one waits, not the batch
                connection.close()
                return Result(message.key, Outcome.RETRY, type(exc).__name__)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _unreachable(connection: _Connection, message: Outgoing, unreachable: threading.Event,
                     exc: BaseException) -> Result:
        # Not this address's fault, whatever the code: the server cannot be reached or refuses
        # us. The rest of the batch waits for the next attempt.
        connection.close()
        unreachable.set()
        return Result(message.key, Outcome.RETRY, classify(exc)[1])

    def close(self) -> None:
        for connection in self._connections:
            connection.close()
        self._threads.shutdown(wait=True)


_shared: dict[tuple[SmtpSettings, int], SmtpPool] = {}
_shared_lock = threading.Lock()


def shared_pool(config: SmtpSettings, size: int) -> SmtpPool:
    """The process's pool for these settings: kept between batches and tasks, so connections
    are reused. A change of settings (tests) gets a new pool; the old one is closed."""
    with _shared_lock:
        key = (config, size)
        if key not in _shared:
            for old in list(_shared):
                _shared.pop(old).close()
            _shared[key] = SmtpPool(config, size)
        return _shared[key]


def close_shared_pools() -> None:
    with _shared_lock:
        for key in list(_shared):
            _shared.pop(key).close()
