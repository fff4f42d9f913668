"""Supporters: subscribing with a double opt-in, preferences and unsubscribing from a link,
importing a list (with the same opt-in), exporting it behind a fresh second factor.

A supporter's e-mail, phone and name are sealed with the service key and found by their blind
index; nothing here lists addresses except the audited export. The subscribe page answers
the same whether or not the address is known, so it cannot be used to test who subscribes.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.accounts import services as accounts
from amparo.accounts.gates import Gate, check_secret
from amparo.accounts.models import User
from amparo.appeals.actions import Action
from amparo.appeals.models import LANGUAGE_CODES, Confirmation, Supporter, SupporterCountry
from amparo.appeals.sealing import (
    open_supporter_email,
    open_supporter_name,
    open_supporter_phone,
    open_supporter_token,
    seal_supporter_contact,
    supporter_email_index,
    supporter_phone_index,
)
from amparo.core.services import record_audit
from amparo.core.tokens import hash_token
from amparo.network import countries, permissions
from amparo.network.models import Role
from amparo.vocabulary.models import Term

CONFIRMATION_DAYS = 7
SCOPE = "supporters"


@dataclass
class Interests:
    """What a supporter chooses: languages in order, countries, themes, channels."""

    languages: list[str] = field(default_factory=lambda: ["en"])
    countries: list[str] = field(default_factory=list)
    themes: list[Term] = field(default_factory=list)
    by_email: bool = True
    by_sms: bool = False


def _apply(supporter: Supporter, interests: Interests, phone: str | None) -> None:
    supporter.languages = ",".join([c for c in interests.languages if c in LANGUAGE_CODES] or ["en"])
    supporter.by_email = interests.by_email
    if phone is not None:
        phone = phone.strip()
        supporter.phone = seal_supporter_contact("phone", phone) if phone else None
        supporter.phone_index = supporter_phone_index(phone) if phone else ""
    supporter.by_sms = interests.by_sms and bool(supporter.phone)
    supporter.save()
    supporter.themes.set(interests.themes)
    SupporterCountry.objects.filter(supporter=supporter).delete()
    SupporterCountry.objects.bulk_create(
        SupporterCountry(supporter=supporter, country=c) for c in sorted(set(interests.countries)))


def _link(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}/appeals/{path}"


def _send_confirmation(supporter: Supporter, email: str, base_url: str) -> None:
    raw = secrets.token_urlsafe(32)
    Confirmation.objects.create(supporter=supporter, token_hash=hash_token(raw),
                                expires_at=timezone.now() + timedelta(days=CONFIRMATION_DAYS))
    with translation.override(supporter.language_list()[0]):
        send_mail(
            subject=_("Please confirm your subscription to urgent appeals"),
            message=_(
                "Someone, probably you, asked to receive urgent appeals from Amparo at this address.\n\n"
                "To confirm, open this link within %(days)d days and press the button (it works once):\n"
                "%(link)s\n\nIf it was not you, ignore this message: nothing will be sent to you."
            ) % {"days": CONFIRMATION_DAYS, "link": _link(base_url, f"confirm/{raw}/")},
            from_email=None, recipient_list=[email],
        )


def _send_reminder(supporter: Supporter, email: str, base_url: str) -> None:
    """To a confirmed supporter who subscribes again: her preferences link, nothing else."""
    with translation.override(supporter.language_list()[0]):
        send_mail(
            subject=_("Your subscription to urgent appeals"),
            message=_(
                "Someone, probably you, asked to subscribe this address to urgent appeals. It is "
                "already subscribed.\n\nTo change what you receive, or to unsubscribe:\n%(link)s"
            ) % {"link": _link(base_url, f"s/{open_supporter_token(supporter)}/")},
            from_email=None, recipient_list=[email],
        )


MAIL_PAUSE = 600  # seconds between two messages of ours to one address, however often it is typed in


def _may_mail(index: str) -> bool:
    """Whether this address may be written to now: the subscribe form cannot be used to flood
    someone's inbox. Keyed by the blind index, never the address."""
    return bool(cache.add(f"supporter-mail:{index}", 1, timeout=MAIL_PAUSE))


def subscribe(email: str, interests: Interests, *, base_url: str, phone: str = "", name: str = "",
              kind: str = Supporter.Kind.INDIVIDUAL, source: str = Supporter.Source.FORM,
              actor: User | None = None) -> None:
    """Ask to subscribe `email`. Nobody is subscribed before she opens the link sent to the
    address. Returns nothing on purpose: whether the address was known must not show. A known,
    confirmed address gets its preferences link instead; an unsubscribed one must confirm again.

    What the form says (name, phone, interests) is kept for a new address only. A known one's
    row is left exactly as it is: anyone can type her address, and must not thereby change her
    name, put his phone number on her record or choose what she receives. She gets the link;
    once she confirms she lands on her preferences page, from her own mailbox, to change them."""
    validate_email(email)
    index = supporter_email_index(email)
    with transaction.atomic():
        supporter = Supporter.objects.select_for_update().filter(email_index=index).first()
        if supporter is not None and supporter.status == Supporter.Status.CONFIRMED:
            if _may_mail(index):
                _send_reminder(supporter, email, base_url)
            return
        if supporter is None:
            raw_token = secrets.token_urlsafe(24)
            try:
                with transaction.atomic():
                    supporter = Supporter.objects.create(
                        kind=kind, source=source, email_index=index,
                        email=seal_supporter_contact("email", email.strip()),
                        name=seal_supporter_contact("name", name.strip()) if name.strip() else None,
                        token_hash=hash_token(raw_token), token=seal_supporter_contact("token", raw_token))
                    _apply(supporter, interests, phone)
            except IntegrityError:  # the same address at the same moment: one row, the other's
                supporter = Supporter.objects.get(email_index=index)
        # A known address (pending, unsubscribed, bounced): nothing changes until she confirms.
        record_audit(actor, Action.SUBSCRIPTION_REQUESTED, supporter, scope=SCOPE)
        if _may_mail(index):  # an earlier link, still live, does the job meanwhile
            _send_confirmation(supporter, email, base_url)


def confirmation_for(raw: str) -> Confirmation | None:
    """The live confirmation behind a link; reading changes nothing."""
    return Confirmation.objects.select_related("supporter").filter(
        token_hash=hash_token(raw), used_at__isnull=True, expires_at__gt=timezone.now()).first()


def confirm(raw: str) -> Supporter | None:
    """Spend the one-time link: the subscription starts. None for an unknown, used or
    expired link."""
    with transaction.atomic():
        spent = Confirmation.objects.filter(token_hash=hash_token(raw), used_at__isnull=True,
                                            expires_at__gt=timezone.now()).update(used_at=timezone.now())
        if not spent:
            return None
        supporter = Confirmation.objects.get(token_hash=hash_token(raw)).supporter
        supporter.status, supporter.confirmed_at = Supporter.Status.CONFIRMED, timezone.now()
        supporter.unsubscribed_at = supporter.bounced_at = None
        supporter.save(update_fields=["status", "confirmed_at", "unsubscribed_at", "bounced_at"])
        record_audit(None, Action.SUPPORTER_CONFIRMED, supporter, scope=SCOPE)
    return supporter


def supporter_for_token(raw: str) -> Supporter | None:
    if not raw or len(raw) > 64:
        return None
    return Supporter.objects.filter(token_hash=hash_token(raw)).exclude(status=Supporter.Status.PENDING).first()


def change_preferences(supporter: Supporter, interests: Interests, *, phone: str | None = None) -> Supporter:
    """From her link, without logging in."""
    with transaction.atomic():
        _apply(supporter, interests, phone)
        record_audit(None, Action.PREFERENCES_CHANGED, supporter, scope=SCOPE)
    return supporter


def unsubscribe(supporter: Supporter) -> Supporter:
    """From her link, without logging in: nothing more is sent to her."""
    with transaction.atomic():
        if Supporter.objects.filter(pk=supporter.pk).exclude(status=Supporter.Status.UNSUBSCRIBED).update(
                status=Supporter.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()):
            record_audit(None, Action.SUPPORTER_UNSUBSCRIBED, supporter, scope=SCOPE)
    supporter.refresh_from_db()
    return supporter


def mark_bounced(supporter: Supporter) -> None:
    """For circulation: a permanent failure stops further sends to this address."""
    with transaction.atomic():
        if Supporter.objects.filter(pk=supporter.pk, status=Supporter.Status.CONFIRMED).update(
                status=Supporter.Status.BOUNCED, bounced_at=timezone.now()):
            record_audit("system", Action.SUPPORTER_BOUNCED, supporter, scope=SCOPE)


def stop_sms(supporter: Supporter) -> None:
    """For circulation: her number refused a text for good; nothing more goes to it."""
    if Supporter.objects.filter(pk=supporter.pk, by_sms=True).update(by_sms=False):
        record_audit("system", Action.SUPPORTER_SMS_BOUNCED, supporter, scope=SCOPE)


def can_manage_supporters(user: User) -> bool:
    return permissions.has_role(user, Role.COORDINATOR)


# --- Import and export ----------------------------------------------------------------------

@dataclass
class ImportResult:
    invited: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, reason), never the address


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").replace(" ", ",").split(",") if part.strip()]


def import_supporters(user: User, rows: Iterable[dict[str, str]], *, base_url: str) -> ImportResult:
    """Each row (columns: email, name, phone, languages, countries, themes, sms) gets the
    same confirmation e-mail as the subscribe page: nobody imported receives an appeal before
    she confirms."""
    if not can_manage_supporters(user):
        raise PermissionError
    result = ImportResult()
    codes = countries.codes()
    for line, row in enumerate(rows, start=2):
        email = (row.get("email") or "").strip()
        try:
            validate_email(email)
        except ValidationError:
            result.refused.append((line, _("not an e-mail address")))
            continue
        wanted = [c.upper() for c in _split(row.get("countries") or "")]
        themes = list(Term.objects.filter(kind=Term.Kind.THEME, code__in=_split(row.get("themes") or "")))
        interests = Interests(
            languages=[c for c in _split((row.get("languages") or "en").lower()) if c in LANGUAGE_CODES] or ["en"],
            countries=[c for c in wanted if c in codes], themes=themes,
            by_sms=(row.get("sms") or "").strip().lower() in {"1", "yes", "true", "sí", "si", "oui", "sim"})
        subscribe(email, interests, base_url=base_url, phone=row.get("phone") or "", name=row.get("name") or "",
                  source=Supporter.Source.IMPORT, actor=user)
        result.invited += 1
    record_audit(user, Action.SUPPORTERS_IMPORTED, object_type="appeals.supporter", object_id=str(result.invited),
                 scope=SCOPE)
    return result


def read_csv(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig", errors="replace")
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
    return [{(k or "").strip().lower(): (v or "") for k, v in row.items()}
            for row in csv.DictReader(io.StringIO(text), dialect=dialect)]


class SecondFactorRefused(Exception):
    """The code was wrong or already used."""


def _cell(value: str) -> str:
    """Escaped against formula injection in spreadsheets."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_supporters(user: User, code: str) -> str:
    """The list of subscribed supporters as CSV, opened with the service key, for a
    coordinator who has just given a second-factor code. Audited. The code is counted like a
    login's (`TooManyAttempts` once the account has used its tries)."""
    if not can_manage_supporters(user):
        raise PermissionError
    if not check_secret(user, Gate.SUPPORTERS_EXPORT, lambda: accounts.verify_second_factor(user, code.strip())):
        raise SecondFactorRefused
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "name", "phone", "languages", "countries", "themes", "email_ok", "sms", "since"])
    supporters = Supporter.objects.reachable().prefetch_related("themes", "countries").order_by("pk")
    count = 0
    for s in supporters.iterator(chunk_size=500):
        writer.writerow([_cell(open_supporter_email(s)), _cell(open_supporter_name(s)),
                         _cell(open_supporter_phone(s)), s.languages,
                         " ".join(c.country for c in s.countries.all()), " ".join(t.code for t in s.themes.all()),
                         "yes" if s.by_email else "no", "yes" if s.by_sms else "no",
                         s.confirmed_at.date().isoformat() if s.confirmed_at else ""])
        count += 1
    record_audit(user, Action.SUPPORTERS_EXPORTED, object_type="appeals.supporter", object_id=str(count), scope=SCOPE)
    return out.getvalue()


def interests_of(supporter: Supporter) -> Interests:
    return Interests(languages=supporter.language_list(), countries=[c.country for c in supporter.countries.all()],
                     themes=list(supporter.themes.all()), by_email=supporter.by_email, by_sms=supporter.by_sms)


def add_demo_supporter(email: str, interests: Interests, *, name: str = "") -> Supporter:
    """Demo data only (refused in production): an invented address under a reserved domain
    that nobody can confirm, so it is added confirmed. Idempotent."""
    if settings.PRODUCTION:
        raise PermissionError("demo supporters are refused in production")
    found = Supporter.objects.filter(email_index=supporter_email_index(email)).first()
    if found is not None:
        return found
    raw_token = secrets.token_urlsafe(24)
    with transaction.atomic():
        supporter = Supporter.objects.create(
            email_index=supporter_email_index(email), email=seal_supporter_contact("email", email),
            name=seal_supporter_contact("name", name) if name else None,
            token_hash=hash_token(raw_token), token=seal_supporter_contact("token", raw_token),
            status=Supporter.Status.CONFIRMED, confirmed_at=timezone.now())
        _apply(supporter, interests, None)
        record_audit("system", Action.DEMO_SUPPORTER_ADDED, supporter, scope=SCOPE)
    return supporter
