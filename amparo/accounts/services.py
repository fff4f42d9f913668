"""Every write to accounts goes through here: people, second factors, sessions, API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from importlib import import_module

import pyotp
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from amparo.accounts.actions import Action
from amparo.accounts.models import ApiToken, RecoveryCode, SecondFactor, User, UserSession
from amparo.accounts.session_store import stored_key
from amparo.core.services import record_audit
from amparo.core.tokens import hash_token

RECOVERY_CODES = 10
TOKEN_PREFIX = "amp"  # noqa: S105 - a label, not a secret


def _code_digest(code: str) -> str:
    """Keyed with SECRET_KEY, so a copy of the database alone cannot be searched offline."""
    normal = "".join(code.split()).replace("-", "").lower()
    return hmac.new(settings.SECRET_KEY.encode(), f"recovery:{normal}".encode(), hashlib.sha256).hexdigest()


# --- People ---------------------------------------------------------------------------------

def create_user(
    *, username: str, password: str | None, email: str = "", first_name: str = "",
    last_name: str = "", language: str = "en", actor: User | None = None,
) -> User:
    """Create an account with an Argon2id-hashed password (or none, to be set on invitation)."""
    with transaction.atomic():
        user = User(username=username, email=email, first_name=first_name,
                    last_name=last_name, language=language)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        record_audit(actor or "system", Action.CREATED, user)
    return user


def set_password(user: User, password: str, *, actor: User | None = None) -> None:
    """Replace the password hash; the audit entry holds no trace of the password."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_audit(actor or user, Action.PASSWORD_SET, user)


# --- Second factor --------------------------------------------------------------------------

def has_second_factor(user: User) -> bool:
    return SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()


def start_second_factor(user: User) -> SecondFactor:
    """Issue a new, unconfirmed TOTP secret (replacing an earlier unconfirmed one)."""
    with transaction.atomic():
        factor = SecondFactor.objects.select_for_update().filter(user=user).first()
        if factor is not None and factor.confirmed_at is not None:
            return factor
        if factor is None:
            factor = SecondFactor(user=user)
        factor.secret = pyotp.random_base32(32)
        factor.save()
    return factor


def provisioning_uri(factor: SecondFactor) -> str:
    return pyotp.TOTP(factor.secret).provisioning_uri(name=factor.user.username, issuer_name="Amparo")


def _accept_totp(factor: SecondFactor, code: str, now: float | None = None) -> bool:
    """True once per time step: a code seen before (or an older one) is refused."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(factor.secret)
    moment = timezone.now().timestamp() if now is None else now
    for drift in (0, -1, 1):  # the phone's clock may be half a minute off
        step = int(moment // totp.interval) + drift
        if step > factor.last_step and secrets.compare_digest(totp.generate_otp(step), code):
            updated = SecondFactor.objects.filter(pk=factor.pk, last_step__lt=step).update(last_step=step)
            if updated:  # a parallel request with the same code loses here
                factor.last_step = step
                return True
    return False


def confirm_second_factor(user: User, code: str) -> list[str] | None:
    """Confirm enrolment with a first code; returns the ten recovery codes (shown once)."""
    with transaction.atomic():
        factor = SecondFactor.objects.select_for_update().filter(user=user).first()
        if factor is None or factor.confirmed_at is not None or not _accept_totp(factor, code):
            return None
        factor.confirmed_at = timezone.now()
        factor.save(update_fields=["confirmed_at"])
        codes = issue_recovery_codes(user)
        record_audit(user, Action.SECOND_FACTOR_ENROLLED, user)
    return codes


def issue_recovery_codes(user: User) -> list[str]:
    """Replace the recovery codes with ten new ones (80 random bits each); returns them."""
    codes = ["-".join(secrets.token_hex(10)[i:i + 5] for i in range(0, 20, 5)) for _ in range(RECOVERY_CODES)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_code_digest(c)) for c in codes)
        record_audit(user, Action.RECOVERY_CODES_ISSUED, user)
    return codes


def verify_second_factor(user: User, code: str) -> bool:
    """A current TOTP code not used before, or an unused recovery code (then spent)."""
    factor = SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).first()
    if factor is None:
        return False
    if _accept_totp(factor, code):
        return True
    spent = RecoveryCode.objects.filter(
        user=user, code_hash=_code_digest(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if spent:
        record_audit(user, Action.RECOVERY_CODE_USED, user)
    return bool(spent)


def remove_second_factor(user: User, *, actor: User) -> None:
    """Take the second factor away (a defender's choice, or an administrator's reset)."""
    with transaction.atomic():
        SecondFactor.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        record_audit(actor, Action.SECOND_FACTOR_REMOVED, user)


# --- Deactivation ---------------------------------------------------------------------------

class DeactivationRefused(Exception):
    """A floor above refused to let the account go (e.g. she alone holds a desk's key)."""


def deactivate_account(actor: User | str, user: User) -> None:
    """Close an account for good: no login, no session, no API token, and no role or key ring
    above (the floors above act on `account_deactivated` in the same transaction and may refuse
    with `DeactivationRefused`, which undoes everything)."""
    from amparo.accounts.signals import account_deactivated

    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            return
        account_deactivated.send(sender=User, user=locked, actor=actor)
        User.objects.filter(pk=locked.pk).update(is_active=False)
        keys = list(UserSession.objects.filter(user=locked).values_list("session_key", flat=True))
        Session.objects.filter(session_key__in=keys).delete()
        UserSession.objects.filter(user=locked).delete()
        ApiToken.objects.filter(user=locked, revoked_at__isnull=True).update(revoked_at=timezone.now())
        record_audit(actor, Action.DEACTIVATED, locked)
    user.is_active = False


def suspend_login(user: User) -> None:
    """No login until `resume_login`: her password made unusable and the account inactive (a
    lockdown after a seized phone; her roles and rings are the caller's business)."""
    user.set_unusable_password()
    User.objects.filter(pk=user.pk).update(password=user.password, is_active=False)
    user.is_active = False


def resume_login(user_id: int) -> None:
    """The account active again after `suspend_login` (she sets a new password by reset)."""
    User.objects.filter(pk=user_id).update(is_active=True)


# --- Sessions -------------------------------------------------------------------------------

def record_session(user: User, session_key: str) -> UserSession:
    """Remember that this server-side session (given by its key, kept hashed) belongs to
    `user`, with its start time only."""
    session, _ = UserSession.objects.update_or_create(
        session_key=stored_key(session_key), defaults={"user": user, "started_at": timezone.now()}
    )
    return session


def forget_session(session_key: str) -> None:
    """At logout: the session (given by its raw key) no longer belongs to anyone."""
    UserSession.objects.filter(session_key=stored_key(session_key)).delete()


def end_session(user: User, session_key: str) -> bool:
    """End one of the person's sessions wherever it is (`session_key` as stored, from her
    list of sessions); False if it was not hers."""
    with transaction.atomic():
        owned = UserSession.objects.filter(user=user, session_key=session_key).delete()[0]
        if owned:
            Session.objects.filter(session_key=session_key).delete()
            record_audit(user, Action.SESSION_ENDED, user)
    return bool(owned)


def end_other_sessions(user: User, keep: str | None) -> int:
    """End every session of the person but `keep` (the key of the session asking); returns
    how many ended."""
    with transaction.atomic():
        others = UserSession.objects.filter(user=user).exclude(session_key=stored_key(keep) if keep else "")
        keys = list(others.values_list("session_key", flat=True))
        Session.objects.filter(session_key__in=keys).delete()
        others.delete()
        if keys:
            record_audit(user, Action.OTHER_SESSIONS_ENDED, user)
    return len(keys)


# --- API tokens -----------------------------------------------------------------------------

def create_api_token(user: User, *, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token; the full value is returned once and only its SHA-256 is stored."""
    days = max(1, min(days, settings.API_TOKEN_MAX_DAYS))
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=prefix, token_hash=hash_token(raw),
            expires_at=timezone.now() + timedelta(days=days),
        )
        record_audit(user, Action.API_TOKEN_CREATED, token)
    return token, raw


def revoke_api_token(token: ApiToken, *, actor: User) -> None:
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record_audit(actor, Action.API_TOKEN_REVOKED, token)


def user_for_api_token(raw: str) -> User | None:
    """The active person behind a live token, or None (unknown, expired or revoked)."""
    token = ApiToken.objects.select_related("user").filter(
        token_hash=hash_token(raw.strip()), revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if token is None or not token.user.is_active:
        return None
    today = timezone.localdate()
    if token.last_used_on != today:
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=today)
    return token.user


def sweep_expired_sessions() -> int:
    """Delete expired server-side sessions (with what they held: the encrypted vault entry)
    and the session-list rows left without a session. Safe to run twice. Returns how many
    list rows went."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store.clear_expired()
    absolute = timezone.now() - timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
    stale = UserSession.objects.filter(started_at__lt=absolute)
    Session.objects.filter(session_key__in=stale.values("session_key")).delete()
    orphans = UserSession.objects.exclude(session_key__in=Session.objects.values("session_key"))
    return stale.delete()[0] + orphans.delete()[0]
