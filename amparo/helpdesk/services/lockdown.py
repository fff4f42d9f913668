"""Lockdown after a seized phone (DESIGN.md, capability 5): one action, by her or by a trusted
contact with the code she set beforehand, that ends every session and API token, takes her
out of her key rings (new epochs she cannot open), requires a new password and second factor
to come back, alerts her desk and warns each trusted contact once. Undone only by her desk
after an identity check.

The lockdown code is kept only as a slow hash (Django's password hasher, Argon2id) and checked
through `accounts.gates.check_secret`, counted per account like the login. Trusted contacts'
addresses are sealed with the service key: the worker (tasks.py) opens them to send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from amparo.accounts import services as accounts
from amparo.accounts.gates import Gate, check_secret
from amparo.accounts.models import ApiToken, User
from amparo.core.services import record_audit
from amparo.helpdesk import sealing
from amparo.helpdesk.actions import Action
from amparo.helpdesk.models import ContactWarning, Lockdown, LockdownCode, TrustedContact
from amparo.network import permissions
from amparo.network import services as network
from amparo.network.models import Desk, Membership, Role
from amparo.vault import services as vault

MIN_CODE_LENGTH = 8
# Sent when a trusted contact's warning is due; tasks.py listens and starts the sender.
warnings_due = Signal()


# --- Set up beforehand ----------------------------------------------------------------------

def set_lockdown_code(user: User, code: str) -> None:
    """Keep her new lockdown code as a slow hash (the old one stops working)."""
    with transaction.atomic():
        LockdownCode.objects.update_or_create(user=user, defaults={"code_hash": make_password(code)})
        record_audit(user, Action.LOCKDOWN_CODE_SET, user)


def has_lockdown_code(user: User) -> bool:
    return LockdownCode.objects.filter(user=user).exists()


def add_trusted_contact(user: User, *, channel: str, address: str, language: str) -> TrustedContact:
    with transaction.atomic():
        contact = TrustedContact.objects.create(user=user, channel=channel, language=language,
                                                address=sealing.seal_contact_address(address.strip()))
        record_audit(user, Action.TRUSTED_CONTACT_ADDED, contact)
    return contact


def remove_trusted_contact(user: User, contact_id: int) -> bool:
    with transaction.atomic():
        gone = TrustedContact.objects.filter(user=user, pk=contact_id).delete()[0]
        if gone:
            record_audit(user, Action.TRUSTED_CONTACT_REMOVED, object_type="helpdesk.trustedcontact",
                         object_id=contact_id)
    return bool(gone)


# --- Locking down ---------------------------------------------------------------------------

def her_desk(user: User) -> Desk | None:
    """The desk to alert: her own desk if she documents at one, else the desk of her network's
    country (or the coalition-wide desk)."""
    own = permissions.documented_desks(user).first()
    if own is not None:
        return own
    for membership in permissions.memberships(user).order_by("pk"):
        if membership.network.country:
            found = network.desk_for_country(membership.network.country)
            if found is not None:
                return found
    return network.desk_for_country("")


def active_lockdown(user: User) -> Lockdown | None:
    return Lockdown.objects.filter(user=user, undone_at__isnull=True).first()


def lock_down(user: User, *, by: str, now: datetime | None = None) -> Lockdown:
    """Lock her account down now (see the module's text). A second lockdown while one is in
    force changes nothing and returns the first."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        current = active_lockdown(locked)
        if current is not None:
            return current
        accounts.end_other_sessions(locked, keep=None)
        for token in ApiToken.objects.filter(user=locked, revoked_at__isnull=True):
            accounts.revoke_api_token(token, actor=locked)
        accounts.remove_second_factor(locked, actor=locked)
        accounts.suspend_login(locked)
        out = vault.lock_out_member(locked, actor=locked)
        lockdown = Lockdown.objects.create(user=locked, by=by, desk=her_desk(locked), started_at=now,
                                           rings_rotated=out.rotated, rings_to_restore=out.last_holder)
        ContactWarning.objects.bulk_create(
            ContactWarning(lockdown=lockdown, contact=c) for c in TrustedContact.objects.filter(user=locked))
        record_audit(locked if by == Lockdown.By.HERSELF else "anonymous", Action.LOCKDOWN, lockdown,
                     scope=network.scope_of(lockdown.desk.network) if lockdown.desk else "")
        transaction.on_commit(lambda: warnings_due.send(sender=Lockdown, lockdown_id=lockdown.pk))
    user.is_active = False
    return lockdown


def check_lockdown_code(username: str, code: str) -> User | None:
    """Her account if `code` is her lockdown code; counted per account with the login
    (raises `accounts.gates.TooManyAttempts` while it must wait)."""
    user = User.objects.filter(username=username.strip()).first()
    stored = LockdownCode.objects.filter(user=user).first() if user is not None else None

    def verify() -> User | None:
        if stored is None or user is None:
            make_password(code)  # the same work as a real check: the answer's time says nothing
            return None
        return user if check_password(code, stored.code_hash) else None

    return check_secret(username.strip() or "-", Gate.LOCKDOWN_CODE, verify)


def lock_down_with_code(username: str, code: str) -> Lockdown | None:
    """A trusted contact locks her account down; None when the name or code is wrong."""
    user = check_lockdown_code(username, code)
    return lock_down(user, by=Lockdown.By.CONTACT) if user is not None else None


# --- Warning her trusted contacts (the worker's side) ----------------------------------------

@dataclass(frozen=True)
class Claimed:
    warning_id: int
    channel: str
    address: str
    language: str


def claim_warnings(now: datetime | None = None) -> list[Claimed]:
    """The warnings nobody has claimed yet, each claimed by a conditional update so that two
    workers never send the same one: each contact is warned once."""
    now = now or timezone.now()
    claimed = []
    for warning in ContactWarning.objects.filter(claimed_at__isnull=True).select_related("contact"):
        if ContactWarning.objects.filter(pk=warning.pk, claimed_at__isnull=True).update(claimed_at=now):
            contact = warning.contact
            claimed.append(Claimed(warning.pk, contact.channel, sealing.open_contact_address(contact),
                                   contact.language))
    return claimed


def warning_sent(warning_id: int, now: datetime | None = None) -> None:
    with transaction.atomic():
        ContactWarning.objects.filter(pk=warning_id).update(sent_at=now or timezone.now())
        record_audit("system", Action.LOCKDOWN_WARNING_SENT, object_type="helpdesk.contactwarning",
                     object_id=warning_id)


def claim_desk_alerts(now: datetime | None = None) -> list[tuple[int, list[User]]]:
    """Lockdowns whose desk has not been e-mailed yet, each claimed once, with the desk's
    documenters to tell (the dashboard shows the lockdown to them as well)."""
    now = now or timezone.now()
    claimed = []
    for lockdown in Lockdown.objects.filter(desk_told_at__isnull=True, desk__isnull=False).select_related("desk"):
        if Lockdown.objects.filter(pk=lockdown.pk, desk_told_at__isnull=True).update(desk_told_at=now):
            documenters = [m.user for m in Membership.objects.active().filter(
                desk=lockdown.desk, role=Role.DOCUMENTER).select_related("user")]
            claimed.append((lockdown.pk, documenters))
    return claimed


def release_warning(warning_id: int) -> None:
    """Sending failed: the warning may be claimed again by the next run."""
    ContactWarning.objects.filter(pk=warning_id, sent_at__isnull=True).update(claimed_at=None)


# --- Undoing (her desk) ---------------------------------------------------------------------

def undo_lockdown(actor: User, lockdown: Lockdown) -> None:
    """Her desk has checked who she is: her account opens again (she sets a new password
    through the reset and a new second factor) and she is entitled again to the rings
    lockdown took her out of (her grants are completed by the next member unlocked)."""
    with transaction.atomic():
        locked = Lockdown.objects.select_for_update().get(pk=lockdown.pk)
        if locked.undone_at is not None:
            return
        accounts.resume_login(locked.user_id)
        vault.restore_member(locked.user, locked.rings_rotated, actor=actor)
        Lockdown.objects.filter(pk=locked.pk).update(undone_at=timezone.now(), undone_by=actor)
        record_audit(actor, Action.LOCKDOWN_UNDONE, locked,
                     scope=network.scope_of(locked.desk.network) if locked.desk else "")
