"""E-mail: the SMTP pool when Django's SMTP backend is configured (production), Django's own
backend otherwise (development and tests)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from email.utils import format_datetime, parseaddr

from django.conf import settings
from django.core import mail
from django.utils import timezone

from amparo.appeals.rendering import TOKEN, raw_email

from .base import Message, Outcome, Result
from .smtp import Outgoing, SmtpSettings, shared_pool

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _smtp_settings() -> SmtpSettings:
    return SmtpSettings(host=settings.EMAIL_HOST or "localhost", port=settings.EMAIL_PORT,
                        user=settings.EMAIL_HOST_USER, password=settings.EMAIL_HOST_PASSWORD,
                        use_tls=settings.EMAIL_USE_TLS, use_ssl=getattr(settings, "EMAIL_USE_SSL", False),
                        timeout=float(settings.EMAIL_TIMEOUT or 30))


class EmailSender:
    def send(self, messages: Sequence[Message], *, deadline: float) -> list[Result]:
        sender = settings.AMPARO_CIRCULATION_FROM
        envelope_from = parseaddr(sender)[1] or sender
        date = format_datetime(timezone.now())
        usable: list[Message] = []
        results: list[Result] = []
        for m in messages:  # one pass: `m in usable` compared whole messages, 200 x 200 a batch
            if m.to and "\n" not in m.to and "\r" not in m.to and "@" in m.to:
                usable.append(m)
            else:
                results.append(Result(m.key, Outcome.BOUNCE, "address not usable"))
        if settings.EMAIL_BACKEND != SMTP_BACKEND:
            return results + self._with_backend(usable, sender)
        outgoing = [Outgoing(m.key, envelope_from, m.to, raw_email(m.prepared, sender=sender, to=m.to, msgid=m.msgid,
                                                                   date=date, token=m.token)) for m in usable]
        pool = shared_pool(_smtp_settings(), settings.AMPARO_CIRCULATION_SMTP_CONNECTIONS)
        return results + pool.send(outgoing, deadline=time.monotonic() + max(1.0, deadline - time.monotonic()))

    @staticmethod
    def _with_backend(messages: Sequence[Message], sender: str) -> list[Result]:
        built = []
        for m in messages:
            unsubscribe = m.prepared.unsubscribe.replace(TOKEN, m.token)
            built.append(mail.EmailMessage(m.prepared.subject, m.prepared.body.replace(TOKEN, m.token), sender,
                                           [m.to], headers={"Message-ID": m.msgid,
                                                            "List-Unsubscribe": f"<{unsubscribe}>",
                                                            "Content-Language": m.prepared.language}))
        try:
            mail.get_connection().send_messages(built)
        except OSError as exc:
            return [Result(m.key, Outcome.RETRY, type(exc).__name__) for m in messages]
        return [Result(m.key, Outcome.SENT) for m in messages]
