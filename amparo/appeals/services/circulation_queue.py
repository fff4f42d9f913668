"""Circulation's queue: an approved appeal, or update, becomes one delivery per supporter and
channel; sender tasks claim batches of them, and the outcome of each batch is written here.

The deliveries table is the queue (models.Delivery). The flow:

1. `enqueue_appeal` / `enqueue_update`, called inside the approval's transaction, create one
   delivery per supporter and channel in bulk (the unique key makes it idempotent) and, once
   the transaction commits, announce `deliveries_due`: the sender tasks (tasks.py) listen and
   start AMPARO_CIRCULATION_TASKS senders.
2. A sender claims a batch atomically (`claim_batch`: FOR UPDATE SKIP LOCKED on PostgreSQL, a
   conditional UPDATE by a claim token elsewhere), reads it (`claimed`), sends it through the
   channel's transport, and hands the outcome of the whole batch to `record_outcome`, which
   writes it in a few statements and brings updates behind originals.
3. `sweep` (Celery beat) returns claims older than AMPARO_CIRCULATION_CLAIM_TIMEOUT to the queue
   (a worker killed mid-batch) and starts senders when retries are due and nobody is sending.

At most the batch a worker was sending when it died is sent twice, with the same Message-ID.
See docs/circulation.md.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.dispatch import Signal
from django.utils import timezone

from amparo.appeals.actions import Action
from amparo.appeals.models import Appeal, AppealUpdate, Delivery, Supporter
from amparo.appeals.transport import NOT_ATTEMPTED, Outcome, Result, sms
from amparo.core.services import record_audit

from . import subscriptions
from .rules import scope

logger = logging.getLogger(__name__)
Channel, Status = Delivery.Channel, Delivery.Status
BULK_ROWS = 2000

# Sent (after a commit) when deliveries of a channel are due: `channel` and how many senders
# (`count`) to start. The sender tasks connect to it (tasks.py), so the queue never imports
# its workers.
deliveries_due = Signal()


def kick(channel: str, count: int | None = None) -> None:
    """Start sender tasks for a channel (after a commit: they must see the deliveries)."""
    deliveries_due.send(sender=Delivery, channel=str(channel), count=count or settings.AMPARO_CIRCULATION_TASKS)


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
        record_audit("system", Action.APPEAL_CIRCULATION_QUEUED, appeal, scope=scope(appeal.network))
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
    (see `record_outcome`). Returns how many deliveries the update has."""
    with transaction.atomic():
        for channel in channels():
            _create_from(update.appeal_id, update.pk, channel, _update_recipients(update.appeal_id, channel),
                         "supporter_id")
        record_audit("system", Action.UPDATE_CIRCULATION_QUEUED, update, scope=scope(update.appeal.network))
        _start_after_commit(channels())
    return Delivery.objects.filter(update=update).count()


def stop_appeal_deliveries(appeal: Appeal) -> int:
    """Nothing more of the appeal or its updates goes out: every unsent delivery is stopped in
    one statement. A batch already being sent is checked again just before it goes."""
    return Delivery.objects.filter(appeal=appeal, status__in=Delivery.UNSENT).update(status=Status.STOPPED)


def stop_update_deliveries(update: AppealUpdate) -> int:
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


@dataclass
class Claimed:
    """One claimed delivery, as a sender sees it: her contact opened only in its memory."""

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


def claimed_rows(token: str, channel: str) -> list[tuple[Any, ...]]:
    """The claimed deliveries of a batch: (pk, uuid, appeal, update, supporter, attempts, her
    status, whether she still wants the channel, her languages, her sealed address, her sealed
    link token)."""
    address_field = "supporter__email" if channel == Channel.EMAIL else "supporter__phone"
    return list(Delivery.objects.filter(claim_token=token, status=Status.CLAIMED).values_list(
        "pk", "uuid", "appeal_id", "update_id", "supporter_id", "attempts", "supporter__status",
        f"supporter__by_{channel}", "supporter__languages", address_field, "supporter__token"))


def stopped_since(appeal_ids: set[int], update_ids: set[int]) -> tuple[set[int], set[int]]:
    """Of these appeals and updates, those stopped: checked again just before sending."""
    return (set(Appeal.objects.filter(pk__in=appeal_ids, stopped_at__isnull=False).values_list("pk", flat=True)),
            set(AppealUpdate.objects.filter(pk__in=update_ids, stopped_at__isnull=False).values_list("pk", flat=True)))


# --- Recording a batch's outcome ------------------------------------------------------------

def backoff(attempts: int) -> timedelta:
    """The wait before attempt `attempts + 1`: the base, doubling, capped."""
    seconds = settings.AMPARO_CIRCULATION_RETRY_SECONDS * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, settings.AMPARO_CIRCULATION_RETRY_MAX_SECONDS))


def give_back(token: str, detail: str) -> None:
    """A fault of ours while sending (a template, the database): the batch counts one attempt
    and waits its back-off, so a batch that always fails ends as failed instead of looping."""
    now = timezone.now()
    claimed = Delivery.objects.filter(claim_token=token, status=Status.CLAIMED)
    for attempts in set(claimed.values_list("attempts", flat=True)):
        group = claimed.filter(attempts=attempts)
        if attempts + 1 >= settings.AMPARO_CIRCULATION_MAX_ATTEMPTS:
            group.update(status=Status.FAILED, attempts=attempts + 1, error=detail, claim_token="")
        else:
            group.update(status=Status.QUEUED, attempts=attempts + 1, error=detail, claim_token="",
                         claimed_at=None, next_attempt_at=now + backoff(attempts + 1))


def record_outcome(token: str, channel: str, items: list[Claimed], results: list[Result], *, stopped: list[int],
                   broken: list[int], circulated: set[tuple[int, int | None]]) -> None:
    """The whole batch's outcome in a few statements, in one transaction: one UPDATE for the
    sent (their languages by CASE), one per attempts count for the retries, one each for
    bounces, stops and failures. `circulated` is the sender's memory of what it already marked
    circulated."""
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
            _follow_up(circulated, channel, [by_id[k] for k in sent])


def _bounce(channel: str, supporter_ids: list[int]) -> None:
    """A permanent refusal: nothing more goes to that address."""
    Delivery.objects.filter(supporter_id__in=supporter_ids, channel=channel, status=Status.QUEUED).update(
        status=Status.STOPPED, error="address bounced")
    for supporter in Supporter.objects.filter(pk__in=supporter_ids):
        if channel == Channel.EMAIL:
            subscriptions.mark_bounced(supporter)
        else:
            subscriptions.stop_sms(supporter)


def mark_circulated(appeal: Appeal | AppealUpdate) -> None:
    """The first message of an appeal or update has gone out."""
    model = type(appeal)
    with transaction.atomic():
        changed = model.objects.filter(pk=appeal.pk, circulated_at__isnull=True).update(circulated_at=timezone.now())
        if isinstance(appeal, Appeal):
            Appeal.objects.filter(pk=appeal.pk, status=Appeal.Status.APPROVED).update(
                status=Appeal.Status.CIRCULATED)
            target, action = appeal, Action.APPEAL_CIRCULATED
        else:
            AppealUpdate.objects.filter(pk=appeal.pk).update(status=AppealUpdate.Status.CIRCULATED)
            target, action = appeal.appeal, Action.UPDATE_CIRCULATED
        if changed:
            record_audit("system", action, appeal, scope=scope(target))


def _follow_up(circulated: set[tuple[int, int | None]], channel: str, sent: list[Claimed]) -> None:
    """After the first messages: the appeal (or update) is marked circulated; originals sent
    after an update was approved bring the update right behind them."""
    for key in {(i.appeal_id, i.update_id) for i in sent} - circulated:
        circulated.add(key)
        target: Appeal | AppealUpdate = (AppealUpdate.objects.select_related("appeal").get(pk=key[1]) if key[1]
                                         else Appeal.objects.get(pk=key[0]))
        if target.circulated_at is None:
            mark_circulated(target)
    originals = [i for i in sent if i.update_id is None]
    if not originals:
        return
    updates = AppealUpdate.objects.filter(appeal_id__in={i.appeal_id for i in originals}, stopped_at__isnull=True,
                                          status__in=[AppealUpdate.Status.APPROVED, AppealUpdate.Status.CIRCULATED])
    for update in updates:
        ids = [i.supporter_id for i in originals if i.appeal_id == update.appeal_id]
        _create(update.appeal_id, update.pk, channel, list(_update_recipients(update.appeal_id, channel, ids)))


# --- The sweeper ----------------------------------------------------------------------------

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
