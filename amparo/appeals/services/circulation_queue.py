"""Circulation: an approved appeal, or update, to every supporter who wants it, by e-mail and SMS.

The deliveries table is the queue (models_circulation.Delivery). The flow:

1. `enqueue_appeal` / `enqueue_update`, called inside the approval's transaction, create one
   delivery per supporter and channel in bulk (the unique key makes it idempotent) and, once
   the transaction commits, start AMPARO_CIRCULATION_TASKS sender tasks.
2. A sender task (`drain`) claims a batch atomically (`claim_batch`: FOR UPDATE SKIP LOCKED on
   PostgreSQL, a conditional UPDATE by a claim token elsewhere), opens each supporter's contact
   and link token with the service key, renders the message in her language (rendering.py),
   sends the batch over the process's pool of SMTP connections (or the SMS gateway), and
   records the outcome of the whole batch in a few statements (`_record`). It loops until
   nothing is due.
3. `sweep` (Celery beat) returns claims older than AMPARO_CIRCULATION_CLAIM_TIMEOUT to the queue
   (a worker killed mid-batch) and starts senders when retries are due and nobody is sending.

At most the batch a worker was sending when it died is sent twice, with the same Message-ID.
See docs/circulation.md.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime, parseaddr
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.db.models import Case, Count, F, Max, Min, Q, Value, When
from django.utils import timezone

from amparo.appeals import sms
from amparo.appeals.models import Appeal, AppealUpdate, Supporter
from amparo.appeals.models_circulation import Delivery
from amparo.appeals.rendering import TOKEN, Prepared, available_languages, message_id, prepare, raw_email
from amparo.appeals.smtp import NOT_ATTEMPTED, Outcome, Outgoing, Result, SmtpSettings, shared_pool
from amparo.appeals.subscriptions import label as supporter_label
from amparo.core.services import record_audit
from amparo.network.services import scope_of
from amparo.vault import services as vault
from amparo.vault.errors import NotAReader, Tampered

logger = logging.getLogger(__name__)
Channel, Status = Delivery.Channel, Delivery.Status
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
BULK_ROWS = 2000


def _wants(channel: str) -> Q:
    return Q(by_email=True) if channel == Channel.EMAIL else Q(by_sms=True, phone__isnull=False)


def channels() -> list[str]:
    """E-mail always; SMS when a gateway is configured."""
    return [Channel.EMAIL, Channel.SMS] if sms.gateway() is not None else [Channel.EMAIL]


# --- Creating deliveries --------------------------------------------------------------------

def _create(appeal_id: int, update_id: int | None, channel: str, supporter_ids: Iterable[int]) -> None:
    now = timezone.now()
    rows = [Delivery(appeal_id=appeal_id, update_id=update_id, supporter_id=pk, channel=channel,
                     next_attempt_at=now, created_at=now) for pk in supporter_ids]
    for start in range(0, len(rows), BULK_ROWS):
        Delivery.objects.bulk_create(rows[start:start + BULK_ROWS], ignore_conflicts=True)


_COLUMNS = ("uuid", "appeal_id", "update_id", "supporter_id", "channel", "status", "attempts", "next_attempt_at",
            "claim_token", "claimed_by", "claimed_at", "language", "sent_at", "error", "created_at")


def _create_from(appeal_id: int, update_id: int | None, channel: str, supporter_ids: Any, field: str = "pk") -> None:
    """The same as `_create`, for a query of supporter ids, in one INSERT ... SELECT: the rows
    never travel through Python (10,000 in a fraction of the time). Conflicts on the unique
    key are ignored, as bulk_create(ignore_conflicts=True) does."""
    inner, inner_params = supporter_ids.values(picked=F(field)).query.sql_with_params()
    q = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    if connection.vendor == "postgresql":
        verb, new_uuid, tail = "INSERT INTO", "gen_random_uuid()", " ON CONFLICT DO NOTHING"
    elif connection.vendor == "sqlite":  # UUIDField is char(32) hex there
        verb, new_uuid, tail = "INSERT OR IGNORE INTO", "lower(hex(randomblob(16)))", ""
    else:
        _create(appeal_id, update_id, channel, list(supporter_ids.values_list(field, flat=True)))
        return
    # Only our own names and expressions are formatted in; every value is a parameter.
    sql = (f"{verb} {q(Delivery._meta.db_table)} ({', '.join(q(c) for c in _COLUMNS)}) "  # noqa: S608
           f"SELECT {new_uuid}, %s, %s, chosen.{q('picked')}, %s, %s, 0, %s, '', '', NULL, '', NULL, '', %s "
           f"FROM ({inner}) AS chosen{tail}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [appeal_id, update_id, channel, Status.QUEUED.value, now, now, *inner_params])


def _start_after_commit(channel_list: Iterable[str]) -> None:
    chosen = list(channel_list)

    def start() -> None:
        try:
            for channel in chosen:
                kick(channel)
        except Exception as exc:  # the approval stands; the sweeper starts the senders when it can
            logger.warning("circulation: could not start the senders (%s); the sweeper will", type(exc).__name__)

    transaction.on_commit(start)


def enqueue_appeal(appeal: Appeal) -> int:
    """One delivery per reachable supporter whose interests match the appeal, per channel she
    chose; senders start when the surrounding transaction commits. Safe to call again (the
    unique key ignores rows that exist). Returns how many deliveries the appeal has."""
    with transaction.atomic():
        matching = Supporter.objects.matching_appeal(appeal)
        for channel in channels():
            _create_from(appeal.pk, None, channel, matching.filter(_wants(channel)).values_list("pk", flat=True))
        count = Delivery.objects.filter(appeal=appeal, update__isnull=True).count()
        record_audit("system", "appeal.circulation_queued", appeal, scope=scope_of(appeal.network))
        _start_after_commit(channels())
    return count


def _update_recipients(appeal_id: int, channel: str, supporter_ids: Iterable[int] | None = None) -> Any:
    received = Delivery.objects.filter(appeal_id=appeal_id, update__isnull=True, channel=channel,
                                       status=Status.SENT, supporter__status=Supporter.Status.CONFIRMED)
    received = received.filter(**{f"supporter__by_{channel}": True})
    if supporter_ids is not None:
        received = received.filter(supporter_id__in=list(supporter_ids))
    return received.values_list("supporter_id", flat=True)


def enqueue_update(update: AppealUpdate) -> int:
    """The update goes to those who received the original, on the channel they received it
    by (and still want); those who receive the original later get the update right after it
    (see `_record`). Returns how many deliveries the update has."""
    with transaction.atomic():
        for channel in channels():
            _create_from(update.appeal_id, update.pk, channel, _update_recipients(update.appeal_id, channel),
                         "supporter_id")
        record_audit("system", "appeal_update.circulation_queued", update, scope=scope_of(update.appeal.network))
        _start_after_commit(channels())
    return Delivery.objects.filter(update=update).count()


def stop_appeal(appeal: Appeal) -> int:
    """Nothing more of the appeal or its updates goes out: every unsent delivery is stopped in
    one statement. A batch already being sent is checked again just before it goes."""
    return Delivery.objects.filter(appeal=appeal, status__in=Delivery.UNSENT).update(status=Status.STOPPED)


def stop_update(update: AppealUpdate) -> int:
    return Delivery.objects.filter(update=update, status__in=Delivery.UNSENT).update(status=Status.STOPPED)


# --- Claiming -------------------------------------------------------------------------------

def claim_batch(channel: str, worker: str, size: int) -> str | None:
    """Claim up to `size` due deliveries for this worker; returns the claim token, None when
    nothing is due. Two workers never claim the same row: PostgreSQL locks the chosen rows and
    skips rows another worker has locked; elsewhere (SQLite) one conditional UPDATE takes rows
    still queued and marks them with a token only this call knows."""
    token = secrets.token_hex(16)
    now = timezone.now()
    # Oldest due first (the index deliveries_due): never tried before retries that came due later.
    due = Delivery.objects.filter(status=Status.QUEUED, channel=channel, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "pk")
    claim = dict(status=Status.CLAIMED, claim_token=token, claimed_by=worker[:200], claimed_at=now)
    if connection.vendor == "postgresql":
        with transaction.atomic():
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:size])
            claimed = Delivery.objects.filter(pk__in=ids).update(**claim) if ids else 0
    else:
        claimed = Delivery.objects.filter(pk__in=due.values("pk")[:size], status=Status.QUEUED).update(**claim)
    return token if claimed else None


def release_stale_claims(timeout: int | None = None) -> int:
    """Claims older than the timeout belong to a worker that died: back to the queue."""
    limit = timezone.now() - timedelta(seconds=timeout or settings.AMPARO_CIRCULATION_CLAIM_TIMEOUT)
    return Delivery.objects.filter(status=Status.CLAIMED, claimed_at__lt=limit).update(
        status=Status.QUEUED, claim_token="", claimed_by="", claimed_at=None)


# --- One sender's run -----------------------------------------------------------------------

@dataclass
class _Run:
    """What one sender task keeps between its batches: rendered texts and appeals."""

    prepared: dict[tuple[int, int | None, str, str], Prepared] = field(default_factory=dict)
    appeals: dict[int, Appeal] = field(default_factory=dict)
    updates: dict[int, AppealUpdate] = field(default_factory=dict)
    circulated: set[tuple[int, int | None]] = field(default_factory=set)
    languages: dict[tuple[int, int | None], set[str]] = field(default_factory=dict)


def _appeal(run: _Run, appeal_id: int) -> Appeal:
    if appeal_id not in run.appeals:
        run.appeals[appeal_id] = Appeal.objects.prefetch_related("texts", "addressees").get(pk=appeal_id)
    return run.appeals[appeal_id]


def _update(run: _Run, update_id: int) -> AppealUpdate:
    if update_id not in run.updates:
        run.updates[update_id] = AppealUpdate.objects.prefetch_related("texts").get(pk=update_id)
    return run.updates[update_id]


# --- Sending one batch ----------------------------------------------------------------------

def _smtp_settings() -> SmtpSettings:
    return SmtpSettings(host=settings.EMAIL_HOST or "localhost", port=settings.EMAIL_PORT,
                        user=settings.EMAIL_HOST_USER, password=settings.EMAIL_HOST_PASSWORD,
                        use_tls=settings.EMAIL_USE_TLS, use_ssl=getattr(settings, "EMAIL_USE_SSL", False),
                        timeout=float(settings.EMAIL_TIMEOUT or 30))


@dataclass
class _Item:
    delivery_id: int
    appeal_id: int
    update_id: int | None
    supporter_id: int
    attempts: int
    language: str = ""  # of the appeal's words
    reader: str = ""  # of the message's own words: hers
    address: str = field(default="", repr=False)
    token: str = field(default="", repr=False)
    msgid: str = ""


def _open(sealed: Any, name: str) -> str:
    return vault.open_with_service_key(sealed, label=supporter_label(name)) if sealed else ""


def send_batch(channel: str, worker: str, run: _Run | None = None, *, size: int | None = None) -> int:
    """Claim one batch, send it, record the outcome. Returns how many deliveries it handled
    (0: nothing was due)."""
    run = run or _Run()
    size = size or settings.AMPARO_CIRCULATION_BATCH_SIZE
    token = claim_batch(channel, worker, size)
    if token is None:
        return 0
    try:
        return _send_claimed(token, channel, run)
    except Exception:
        # A fault of ours (a template, the database): the batch counts one attempt and waits
        # its back-off, so a batch that always fails ends as failed instead of looping.
        _give_back(token, "error while sending")
        raise


def _give_back(token: str, detail: str) -> None:
    now = timezone.now()
    claimed = Delivery.objects.filter(claim_token=token, status=Status.CLAIMED)
    for attempts in set(claimed.values_list("attempts", flat=True)):
        group = claimed.filter(attempts=attempts)
        if attempts + 1 >= settings.AMPARO_CIRCULATION_MAX_ATTEMPTS:
            group.update(status=Status.FAILED, attempts=attempts + 1, error=detail, claim_token="")
        else:
            group.update(status=Status.QUEUED, attempts=attempts + 1, error=detail, claim_token="",
                         claimed_at=None, next_attempt_at=now + backoff(attempts + 1))


def _send_claimed(token: str, channel: str, run: _Run) -> int:
    claimed_at = time.monotonic()
    address_field = "supporter__email" if channel == Channel.EMAIL else "supporter__phone"
    rows = list(Delivery.objects.filter(claim_token=token, status=Status.CLAIMED).values_list(
        "pk", "uuid", "appeal_id", "update_id", "supporter_id", "attempts", "supporter__status",
        f"supporter__by_{channel}", "supporter__languages", address_field, "supporter__token"))
    # Checked again now, just before sending: a stop since the claim wins.
    appeal_ids = {r[2] for r in rows}
    update_ids = {r[3] for r in rows if r[3]}
    stopped_appeals = set(Appeal.objects.filter(pk__in=appeal_ids, stopped_at__isnull=False).values_list(
        "pk", flat=True))
    stopped_updates = set(AppealUpdate.objects.filter(pk__in=update_ids, stopped_at__isnull=False).values_list(
        "pk", flat=True))
    items: list[_Item] = []
    stopped: list[int] = []
    broken: list[int] = []
    for pk, uuid, appeal_id, update_id, supporter_id, attempts, status, wants, languages, sealed, sealed_token in rows:
        if appeal_id in stopped_appeals or update_id in stopped_updates or supporter_id is None \
                or status != Supporter.Status.CONFIRMED or not wants:
            stopped.append(pk)
            continue
        item = _Item(pk, appeal_id, update_id, supporter_id, attempts, msgid=message_id(uuid))
        try:
            item.address, item.token = _open(sealed, "email" if channel == Channel.EMAIL else "phone"), \
                _open(sealed_token, "token")
        except (Tampered, NotAReader):
            broken.append(pk)
            continue
        appeal = _appeal(run, appeal_id)
        update = _update(run, update_id) if update_id else None
        if (appeal_id, update_id) not in run.languages:
            run.languages[(appeal_id, update_id)] = available_languages(appeal, update)
        offered = run.languages[(appeal_id, update_id)]
        wanted = [c for c in languages.split(",") if c] or ["en"]
        item.language = next((c for c in wanted if c in offered), appeal.language)
        item.reader = item.language if item.language in wanted else wanted[0]
        items.append(item)
    results = _send(channel, items, run, deadline=claimed_at + settings.AMPARO_CIRCULATION_CLAIM_TIMEOUT / 2)
    _record(token, channel, items, results, stopped=stopped, broken=broken, run=run)
    return len(rows)


def _prepared(run: _Run, item: _Item) -> Prepared:
    key = (item.appeal_id, item.update_id, item.language, item.reader)
    if key not in run.prepared:
        appeal = _appeal(run, item.appeal_id)
        run.prepared[key] = prepare(appeal, _update(run, item.update_id) if item.update_id else None, item.language,
                                    item.reader)
    return run.prepared[key]


def _send(channel: str, items: list[_Item], run: _Run, *, deadline: float) -> list[Result]:
    if not items:
        return []
    if channel == Channel.SMS:
        return _send_sms(items, run)
    sender = settings.AMPARO_CIRCULATION_FROM
    envelope_from = parseaddr(sender)[1] or sender
    date = format_datetime(timezone.now())
    usable = [i for i in items if i.address.isascii() and "\n" not in i.address and "\r" not in i.address
              and "@" in i.address]
    results = [Result(i.delivery_id, Outcome.BOUNCE, "address not usable") for i in items if i not in usable]
    if settings.EMAIL_BACKEND != SMTP_BACKEND:  # development and tests: Django's backend
        return results + _send_with_backend(usable, run, sender)
    outgoing = [Outgoing(i.delivery_id, envelope_from, i.address,
                         raw_email(_prepared(run, i), sender=sender, to=i.address, msgid=i.msgid, date=date,
                                   token=i.token)) for i in usable]
    pool = shared_pool(_smtp_settings(), settings.AMPARO_CIRCULATION_SMTP_CONNECTIONS)
    return results + pool.send(outgoing, deadline=time.monotonic() + max(1.0, deadline - time.monotonic()))


def _send_with_backend(items: list[_Item], run: _Run, sender: str) -> list[Result]:
    messages = []
    for i in items:
        prepared = _prepared(run, i)
        unsubscribe = prepared.unsubscribe.replace(TOKEN, i.token)
        messages.append(mail.EmailMessage(prepared.subject, prepared.body.replace(TOKEN, i.token), sender,
                                          [i.address], headers={"Message-ID": i.msgid,
                                                                "List-Unsubscribe": f"<{unsubscribe}>",
                                                                "Content-Language": prepared.language}))
    try:
        mail.get_connection().send_messages(messages)
    except OSError as exc:
        return [Result(i.delivery_id, Outcome.RETRY, type(exc).__name__) for i in items]
    return [Result(i.delivery_id, Outcome.SENT) for i in items]


def _send_sms(items: list[_Item], run: _Run) -> list[Result]:
    gateway = sms.gateway()
    if gateway is None:
        return [Result(i.delivery_id, Outcome.RETRY, "no SMS gateway") for i in items]

    def one(item: _Item) -> Result:
        answer = gateway.send(item.address, _prepared(run, item).sms.replace(TOKEN, item.token))
        return Result(item.delivery_id, answer.outcome, answer.detail)

    with ThreadPoolExecutor(max_workers=settings.AMPARO_CIRCULATION_SMTP_CONNECTIONS) as threads:
        return list(threads.map(one, items))


# --- Recording a batch's outcome ------------------------------------------------------------

def backoff(attempts: int) -> timedelta:
    """The wait before attempt `attempts + 1`: the base, doubling, capped."""
    seconds = settings.AMPARO_CIRCULATION_RETRY_SECONDS * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, settings.AMPARO_CIRCULATION_RETRY_MAX_SECONDS))


def _record(token: str, channel: str, items: list[_Item], results: list[Result], *, stopped: list[int],
            broken: list[int], run: _Run) -> None:
    """The whole batch's outcome in a few statements, in one transaction: one UPDATE for the
    sent (their languages by CASE), one per attempts count for the retries, one each for
    bounces, stops and failures."""
    now = timezone.now()
    by_id = {i.delivery_id: i for i in items}
    sent = [r.key for r in results if r.outcome is Outcome.SENT]
    bounced = [r for r in results if r.outcome is Outcome.BOUNCE]
    untried = [r.key for r in results if r.outcome is Outcome.RETRY and r.detail == NOT_ATTEMPTED]
    retry = [r for r in results if r.outcome is Outcome.RETRY and r.detail != NOT_ATTEMPTED]
    mine = Delivery.objects.filter(claim_token=token)
    with transaction.atomic():
        if sent:
            languages = sorted({by_id[k].language for k in sent})
            language = Case(*[When(pk__in=[k for k in sent if by_id[k].language == code], then=Value(code))
                              for code in languages], default=Value(""))
            mine.filter(pk__in=sent).update(status=Status.SENT, sent_at=now, language=language, error="",
                                            claim_token="")
        if untried:
            mine.filter(pk__in=untried).update(status=Status.QUEUED, claim_token="", claimed_at=None)
        final = settings.AMPARO_CIRCULATION_MAX_ATTEMPTS
        for attempts in sorted({by_id[r.key].attempts + 1 for r in retry}):
            group = [r for r in retry if by_id[r.key].attempts + 1 == attempts]
            detail = group[0].detail
            if attempts >= final:
                mine.filter(pk__in=[r.key for r in group]).update(status=Status.FAILED, attempts=attempts,
                                                                   error=detail, claim_token="")
            else:
                mine.filter(pk__in=[r.key for r in group]).update(
                    status=Status.QUEUED, attempts=attempts, error=detail, claim_token="", claimed_at=None,
                    next_attempt_at=now + backoff(attempts))
        for result in bounced:
            mine.filter(pk=result.key).update(status=Status.BOUNCED, error=result.detail, claim_token="")
        if bounced:
            _bounce(channel, [by_id[r.key].supporter_id for r in bounced])
        if stopped:
            mine.filter(pk__in=stopped).update(status=Status.STOPPED, claim_token="")
        if broken:
            mine.filter(pk__in=broken).update(status=Status.FAILED, error="contact does not open", claim_token="")
        if sent:
            _follow_up(run, channel, [by_id[k] for k in sent])


def _bounce(channel: str, supporter_ids: list[int]) -> None:
    """A permanent refusal: nothing more goes to that address."""
    from amparo.appeals import subscriptions

    Delivery.objects.filter(supporter_id__in=supporter_ids, channel=channel, status=Status.QUEUED).update(
        status=Status.STOPPED, error="address bounced")
    for supporter in Supporter.objects.filter(pk__in=supporter_ids):
        if channel == Channel.EMAIL:
            subscriptions.mark_bounced(supporter)
        elif Supporter.objects.filter(pk=supporter.pk, by_sms=True).update(by_sms=False):
            record_audit("system", "supporter.sms_bounced", supporter, scope=subscriptions.SCOPE)


def _follow_up(run: _Run, channel: str, sent: list[_Item]) -> None:
    """After the first messages: the appeal (or update) is marked circulated; originals sent
    after an update was approved bring the update right behind them."""
    from amparo.appeals import services

    for key in {(i.appeal_id, i.update_id) for i in sent} - run.circulated:
        run.circulated.add(key)
        target: Appeal | AppealUpdate = _update(run, key[1]) if key[1] else _appeal(run, key[0])
        if target.circulated_at is None:
            services.mark_circulated(target)
    originals = [i for i in sent if i.update_id is None]
    if not originals:
        return
    updates = AppealUpdate.objects.filter(appeal_id__in={i.appeal_id for i in originals}, stopped_at__isnull=True,
                                          status__in=[AppealUpdate.Status.APPROVED, AppealUpdate.Status.CIRCULATED])
    for update in updates:
        ids = [i.supporter_id for i in originals if i.appeal_id == update.appeal_id]
        _create(update.appeal_id, update.pk, channel, list(_update_recipients(update.appeal_id, channel, ids)))


# --- Senders and the sweeper ----------------------------------------------------------------

def kick(channel: str, count: int | None = None) -> None:
    """Start sender tasks for a channel (after a commit: they must see the deliveries)."""
    from amparo.appeals import tasks

    for _ in range(count or settings.AMPARO_CIRCULATION_TASKS):
        tasks.send_deliveries.apply_async(args=(str(channel),), queue=settings.AMPARO_CIRCULATION_QUEUE)


def worker_name(hostname: str | None = None) -> str:
    return f"{hostname or socket.gethostname()}:{os.getpid()}"


def drain(channel: str, worker: str, *, budget: float = 60.0) -> int:
    """Send batches until nothing is due; after `budget` seconds hand over to a new task (so
    that one long circulation does not hold a worker's slot for ever). Returns how many
    deliveries it handled."""
    started, total, run = time.monotonic(), 0, _Run()
    while handled := send_batch(channel, worker, run):
        total += handled
        if time.monotonic() - started > budget:
            kick(channel, 1)
            break
    return total


def sweep() -> dict[str, int]:
    """Periodic: claims gone stale back to the queue; senders started where deliveries are due
    and nobody is sending (retries after their back-off, work left by a dead worker)."""
    released = release_stale_claims()
    now = timezone.now()
    started = 0
    busy = Delivery.objects.filter(status=Status.CLAIMED,
                                   claimed_at__gte=now - timedelta(seconds=settings.AMPARO_CIRCULATION_CLAIM_TIMEOUT))
    for channel in Channel.values:
        due = Delivery.objects.filter(status=Status.QUEUED, channel=channel, next_attempt_at__lte=now)
        if due.exists() and not busy.filter(channel=channel).exists():
            kick(channel)
            started += 1
    return {"released": released, "started": started}


# --- Progress -------------------------------------------------------------------------------

@dataclass
class ChannelProgress:
    channel: str
    counts: dict[str, int]
    retrying: int
    first: timedelta | None
    last: timedelta | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def progress(appeal: Appeal, update: AppealUpdate | None = None) -> list[ChannelProgress]:
    """Counts per channel and status, and the time from approval to the first and the last
    message sent, computed in the database."""
    rows = (Delivery.objects.filter(appeal=appeal, update=update).values("channel", "status")
            .annotate(n=Count("id"), first=Min("sent_at"), last=Max("sent_at"),
                      retrying=Count("id", filter=Q(status=Status.QUEUED, attempts__gt=0))))
    approved: datetime | None = update.approved_at if update is not None else appeal.approved_at
    found: dict[str, ChannelProgress] = {}
    for row in rows:
        entry = found.setdefault(row["channel"], ChannelProgress(row["channel"], dict.fromkeys(Status.values, 0),
                                                                 0, None, None))
        entry.counts[row["status"]] = row["n"]
        entry.retrying += row["retrying"]
        if row["status"] == Status.SENT and approved is not None:
            entry.first, entry.last = row["first"] - approved, row["last"] - approved
    return [found[c] for c in Channel.values if c in found]
