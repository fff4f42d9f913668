"""Help requests: asking (with an account, or anonymously with a receipt of words), routing to
an expert by language, skill and load, and the sealed conversation that follows.

Anonymous requests use the registry's receipts (`registry.services.intake.issue_receipt`) and
the vault's receipt → keys derivation: the server keeps only the lookup tag and public key, and
nothing about who is asking (no address, no user agent).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.helpdesk import sealing
from amparo.helpdesk.actions import Action
from amparo.helpdesk.models import ExpertProfile, HelpMessage, HelpRequest
from amparo.network import services as network
from amparo.network.models import Membership, Network, Role
from amparo.registry.services import intake, receipts
from amparo.vault import services as vault
from amparo.vault.errors import NoKeyHolder
from amparo.vault.services import ReporterKeys

ANONYMOUS = "anonymous"
OPEN_STATUSES = (HelpRequest.Status.NEW, HelpRequest.Status.OPEN, HelpRequest.Status.WAITING)


class NoExperts(LookupError):
    """No network has an ICT expert with a key yet: nobody could read the request."""


class ReceiptRefused(ValueError):
    """Receipt words this server did not issue."""


@dataclass
class Asked:
    what: str  # the category
    language: str
    text: str
    submission_key: str


# --- Routing --------------------------------------------------------------------------------

def _has_experts(candidate: Network) -> bool:
    return Membership.objects.active().filter(network=candidate, role=Role.ICT_EXPERT).exists()


def network_for(requester: User | None) -> Network:
    """Her own network when it has ICT experts, else its coalition; anonymously, the coalition."""
    candidates: list[Network] = []
    if requester is not None:
        for membership in Membership.objects.active().filter(user=requester).select_related("network__parent"):
            candidates += [membership.network, membership.network.coalition()]
    candidates += list(Network.objects.filter(kind=Network.Kind.COALITION))
    for candidate in candidates:
        if _has_experts(candidate):
            return candidate
    raise NoExperts


def load_of(user_ids: list[int]) -> dict[int, int]:
    rows = (HelpRequest.objects.filter(expert_id__in=user_ids, status__in=OPEN_STATUSES)
            .values("expert_id").annotate(n=Count("id")))
    return {row["expert_id"]: row["n"] for row in rows}


def match_expert(where: Network, category: str, language: str) -> User | None:
    """The available expert of the network (or of its coalition) who speaks her language and
    knows the category, with the fewest open requests; language first, then skill, then load."""
    experts = set(Membership.objects.active().filter(role=Role.ICT_EXPERT, network__in=[where, where.coalition()])
                  .values_list("user_id", flat=True))
    profiles = list(ExpertProfile.objects.filter(user_id__in=experts, available=True).select_related("user"))
    if not profiles:
        return None
    load = load_of([p.user_id for p in profiles])

    def rank(profile: ExpertProfile) -> tuple[int, int, int, int]:
        return (0 if language in profile.languages else 1, 0 if category in profile.skills else 1,
                load.get(profile.user_id, 0), profile.user_id)

    return min(profiles, key=rank).user


# --- Asking ---------------------------------------------------------------------------------

def _create(asked: Asked, *, requester: User | None, keys: ReporterKeys | None) -> HelpRequest:
    existing = HelpRequest.objects.filter(submission_key=asked.submission_key).first()
    if existing is not None:  # the same form sent twice
        return existing
    where = network_for(requester)
    now = timezone.now()
    try:
        with transaction.atomic():
            request = HelpRequest.objects.create(
                network=where, category=asked.what, language=asked.language, requester=requester,
                receipt_tag=keys.lookup_tag if keys else None, receipt_public_key=keys.public_key if keys else None,
                expert=match_expert(where, asked.what, asked.language), submission_key=asked.submission_key,
                created_at=now)
            if asked.text.strip():
                HelpMessage.objects.create(request=request, author_kind=HelpMessage.Author.REQUESTER,
                                           author=requester, body=sealing.seal_message(request, asked.text),
                                           created_at=now)
            record_audit(requester or ANONYMOUS, Action.REQUEST_OPENED, request, scope=network.scope_of(where))
    except NoKeyHolder as exc:
        raise NoExperts from exc
    except IntegrityError:  # sent twice at once: the other one won
        return HelpRequest.objects.get(submission_key=asked.submission_key)
    return request


def ask_for_help(requester: User, asked: Asked) -> HelpRequest:
    """Her request, with her account: sealed to the help-desk ring and to her member key, and
    routed to an expert. The same form twice stores one request."""
    return _create(asked, requester=requester, keys=None)


@dataclass
class Opened:
    """An anonymous request opened with the key her receipt gives."""

    request: HelpRequest
    keys: ReporterKeys
    messages: list[tuple[HelpMessage, str]]


def ask_anonymously(receipt: str, binding: str, asked: Asked) -> Opened:
    """Her request without an account: sealed to the help-desk ring and to the key her receipt
    gives, which is derived here and never stored."""
    if not intake.issued_here(receipt, binding):
        raise ReceiptRefused
    keys = intake.receipt_keys(receipt)  # as the report form's: its canonical spelling
    found = HelpRequest.objects.filter(receipt_tag=keys.lookup_tag).first()
    request = found if found is not None else _create(asked, requester=None, keys=keys)
    return _open(request, keys)


def open_with_receipt(receipt: str, *, language: str = "en") -> Opened | None:
    """Her request and its conversation, or None when no request has these words. Her words are
    read as the report form reads them (capitals, accents and a slip after a word's fourth letter
    do not matter)."""
    for candidate in receipts.read(receipt, language).candidates:
        keys = vault.derive_reporter_keys(candidate)
        found = HelpRequest.objects.filter(receipt_tag=keys.lookup_tag).first()
        if found is not None:
            return _open(found, keys)
    return None


def reopen(request_id: int, private_key: bytes) -> Opened | None:
    """Her request again from its short-lived address, with the key kept there."""
    found = HelpRequest.objects.filter(pk=request_id, receipt_tag__isnull=False).first()
    if found is None:
        return None
    keys = ReporterKeys(str(found.receipt_tag), private_key, bytes(found.receipt_public_key or b""))
    return _open(found, keys)


def _open(request: HelpRequest, keys: ReporterKeys) -> Opened:
    thread = [(m, sealing.open_message_with_receipt(keys.private_key, m)) for m in request.messages.all()]
    return Opened(request, keys, thread)


# --- The conversation -----------------------------------------------------------------------

def add_requester_message(request: HelpRequest, text: str, *, requester: User | None = None) -> HelpMessage:
    """She writes: sealed to the experts and to her. A request waiting for her opens again."""
    with transaction.atomic():
        message = HelpMessage.objects.create(request=request, author_kind=HelpMessage.Author.REQUESTER,
                                             author=requester, body=sealing.seal_message(request, text),
                                             created_at=timezone.now())
        if request.status in (HelpRequest.Status.WAITING, HelpRequest.Status.RESOLVED):
            _set_status(request, HelpRequest.Status.OPEN)
        record_audit(requester or ANONYMOUS, Action.MESSAGE_FROM_REQUESTER, request,
                     scope=network.scope_of(request.network))
    return message


def reply_as_expert(expert: User, request: HelpRequest, text: str, *, status: str = HelpRequest.Status.WAITING,
                    now: datetime | None = None) -> HelpMessage:
    """An expert answers: sealed to the experts and to her. The first answer stops the
    escalation clock; an unassigned request becomes hers."""
    now = now or timezone.now()
    with transaction.atomic():
        message = HelpMessage.objects.create(request=request, author_kind=HelpMessage.Author.EXPERT, author=expert,
                                             body=sealing.seal_message(request, text), created_at=now)
        changes: dict[str, object] = {}
        if request.first_response_at is None:
            changes["first_response_at"] = request.first_response_at = now
        if request.expert_id is None:
            changes["expert"] = request.expert = expert
        if changes:
            HelpRequest.objects.filter(pk=request.pk).update(**changes)
        _set_status(request, status, now=now)
        record_audit(expert, Action.MESSAGE_FROM_EXPERT, request, scope=network.scope_of(request.network))
    return message


def take_request(expert: User, request: HelpRequest) -> None:
    """The expert takes the request on herself."""
    with transaction.atomic():
        HelpRequest.objects.filter(pk=request.pk).update(expert=expert)
        request.expert = expert
        if request.status == HelpRequest.Status.NEW:
            _set_status(request, HelpRequest.Status.OPEN)
        record_audit(expert, Action.REQUEST_ASSIGNED, request, scope=network.scope_of(request.network))


def change_status(expert: User, request: HelpRequest, status: str) -> None:
    with transaction.atomic():
        _set_status(request, status)
        record_audit(expert, Action.STATUS_CHANGED, request, scope=network.scope_of(request.network))


def _set_status(request: HelpRequest, status: str, *, now: datetime | None = None) -> None:
    resolved = (now or timezone.now()) if status == HelpRequest.Status.RESOLVED else None
    HelpRequest.objects.filter(pk=request.pk).update(status=status, resolved_at=resolved)
    request.status, request.resolved_at = status, resolved


def open_thread(unlocked: vault.Unlocked | None, request: HelpRequest) -> list[tuple[HelpMessage, str]]:
    """The conversation, for an expert of the ring or for her (with her member key)."""
    return [(m, sealing.open_message(unlocked, m)) for m in request.messages.all()]

