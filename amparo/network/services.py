"""Every write to the network: networks, organisations, desks and memberships.

Each function validates, writes and records an audit entry in one transaction. The audit
entry is scoped to the network concerned, so that network's coordinators can read it.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.accounts import services as accounts
from amparo.accounts.models import User
from amparo.core import audit
from amparo.core.services import record_audit
from amparo.core.tokens import hash_token
from amparo.network.actions import Action
from amparo.network.models import (
    AuditAnchorDelivery,
    Desk,
    Invitation,
    MemberContact,
    Membership,
    Network,
    Organisation,
    Role,
)
from amparo.vault import services as vault
from amparo.vault.errors import LastKeyHolder

Actor = User | str  # a user, or "system" for commands and jobs


def scope_of(network: Network) -> str:
    return f"network:{network.pk}"


def create_network(
    actor: Actor, *, name: str, slug: str, kind: str, parent: Network | None = None,
    country: str = "",
) -> Network:
    """Create the coalition (no parent) or a national network under it."""
    with transaction.atomic():
        network = Network(name=name, slug=slug, kind=kind, parent=parent, country=country)
        network.full_clean()
        network.ring = vault.create_ring(f"network:{slug}")
        network.support_ring = vault.create_ring(f"network:{slug}:support")
        network.helpdesk_ring = vault.create_ring(f"network:{slug}:helpdesk")
        network.save()
        record_audit(actor, Action.NETWORK_CREATED, network, scope=scope_of(network))
    return network


def create_organisation(actor: Actor, network: Network, *, name: str, country: str = "") -> Organisation:
    """Add a member organisation to a network."""
    with transaction.atomic():
        organisation = Organisation(network=network, name=name, country=country)
        organisation.full_clean()
        organisation.save()
        record_audit(actor, Action.ORGANISATION_CREATED, organisation, scope=scope_of(network))
    return organisation


def create_desk(
    actor: Actor, network: Network, *, name: str, slug: str, countries: list[str],
    coalition_wide: bool = False,
) -> Desk:
    """Create a desk that will own the cases of `countries` (or of every uncovered country)."""
    with transaction.atomic():
        desk = Desk(network=network, name=name, slug=slug, countries=sorted(countries),
                    coalition_wide=coalition_wide)
        desk.full_clean()
        desk.ring = vault.create_ring(f"desk:{slug}")
        desk.save()
        record_audit(actor, Action.DESK_CREATED, desk, scope=scope_of(network))
    return desk


def update_desk(actor: Actor, desk: Desk, *, name: str, countries: list[str]) -> Desk:
    """Rename a desk or change the countries it covers. Its slug and network do not change."""
    with transaction.atomic():
        desk.name, desk.countries = name, sorted(countries)
        desk.full_clean()
        desk.save(update_fields=["name", "countries"])
        record_audit(actor, Action.DESK_UPDATED, desk, scope=scope_of(desk.network))
    return desk


def add_membership(
    actor: Actor, *, user: User, role: str, network: Network, desk: Desk | None = None,
    organisation: Organisation | None = None,
) -> Membership:
    """Give a person a role; an identical active membership is returned as it is (idempotent)."""
    with transaction.atomic():
        existing = Membership.objects.active().filter(
            user=user, role=role, network=network, desk=desk
        ).first()
        if existing is not None:
            return existing
        membership = Membership(user=user, role=role, network=network, desk=desk,
                                organisation=organisation)
        membership.full_clean()
        membership.save()
        ring = _ring_of(membership)
        if ring is not None:
            vault.add_ring_member(ring, user, actor=actor)
        record_audit(actor, Action.MEMBERSHIP_ADDED, membership, scope=scope_of(network))
    return membership


def _ring_of(membership: Membership) -> Any:
    """The key ring a role enters: a documenter her desk's, a coordinator her network's, a
    fund reviewer her network's support ring, an ICT expert its help-desk ring."""
    if membership.role == Role.DOCUMENTER and membership.desk is not None:
        return membership.desk.ring
    if membership.role in (Role.COORDINATOR, *_ROLE_RING_FIELDS):
        return role_ring(membership.network, membership.role)
    return None


# The staff roles with a ring of their own in each network, and the field that holds it.
_ROLE_RING_FIELDS: dict[str, str] = {Role.FUND_REVIEWER: "support_ring", Role.ICT_EXPERT: "helpdesk_ring"}


def role_ring(network: Network, role: str) -> Any:
    """The key ring of a role in `network`: the coordinators' ring, or the fund reviewers' or
    ICT experts' ring. A network made before those rings existed gets it now, with every active
    member of the role entitled to it."""
    if role == Role.COORDINATOR:
        return network.ring
    field = _ROLE_RING_FIELDS[role]  # KeyError: this role has no ring of its own
    ring = getattr(network, field)
    if ring is not None:
        return ring
    with transaction.atomic():
        locked = Network.objects.select_for_update().get(pk=network.pk)
        ring = getattr(locked, field)
        if ring is None:
            ring = vault.create_ring(f"network:{locked.slug}:{field.removesuffix('_ring')}")
            setattr(locked, field, ring)
            locked.save(update_fields=[field])
            for user_id in Membership.objects.active().filter(network=locked, role=role).values_list("user", flat=True):
                vault.add_ring_member(ring, User.objects.get(pk=user_id))
        setattr(network, field, ring)
    return ring


def seal_for_role(network: Network, role: str, plaintext: str | bytes, *, label: str, also_to: Any = ()) -> bytes:
    """Seal to the ring of a role in `network` (see `role_ring`), and to `also_to` (a member,
    or a public key such as the one an anonymous receipt gives)."""
    return vault.seal_for_ring(role_ring(network, role), plaintext, label=label, also_to=also_to)


class LastKeyHolderError(ValidationError):
    """Ending this role would leave nobody able to open the desk's (or network's) records."""


def end_membership(actor: Actor, membership: Membership) -> Membership:
    """End a role now. The row stays for history; it grants nothing from this moment."""
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.ended_at is None:
            locked.ended_at = timezone.now()
            locked.save(update_fields=["ended_at"])
            ring = _ring_of(locked)
            still_entitled = Membership.objects.active().filter(
                user=locked.user, role=locked.role, desk=locked.desk, network=locked.network
            ).exists()
            if ring is not None and not still_entitled:
                try:
                    vault.remove_ring_member(ring, locked.user, actor=actor)
                except LastKeyHolder as exc:
                    raise LastKeyHolderError(_(
                        "She is the last person who can open these records. Print and confirm the "
                        "recovery sheet first, or give the role to someone else and wait until "
                        "they have logged in."
                    )) from exc
            record_audit(actor, Action.MEMBERSHIP_ENDED, locked, scope=scope_of(locked.network))
    return locked


def desk_for_country(code: str) -> Desk | None:
    """The desk that takes a case from `code`: a national desk covering it, else the
    coalition-wide desk. Desks number in the tens, so scanning them beats a JSON lookup
    that SQLite cannot index."""
    code = code.upper()
    for desk in Desk.objects.filter(coalition_wide=False):
        if code in (desk.countries or []):
            return desk
    return Desk.objects.filter(coalition_wide=True).first()


def coordinators() -> Any:
    """Active coordinators with an e-mail address, once each (for the audit anchor)."""
    ids = Membership.objects.active().filter(role=Role.COORDINATOR).values("user_id")
    return User.objects.filter(id__in=ids, is_active=True).exclude(email="")


def send_audit_anchor() -> int:
    """E-mail today's latest audit hash to every coordinator who has not had it yet today.

    Safe to run twice: a delivery row per coordinator and day is written after each send, so
    a rerun sends only to those still missing. Returns how many e-mails went out."""
    head = audit.latest()
    today = timezone.localdate()
    sent = 0
    for user in coordinators().exclude(auditanchordelivery__day=today):
        with translation.override(user.language):
            send_mail(
                # Neutral on purpose: it sits in a coordinator's inbox, which others may see.
                subject=_("Daily reference number %(seq)s") % {"seq": head.seq},
                message=_(
                    "Keep this message. It lets anyone check later that the log has not "
                    "been rewritten.\n\nEntry number: %(seq)s\nHash: %(hash)s\n\n"
                    "To check: manage.py verify_audit --anchor %(hash)s"
                ) % {"seq": head.seq, "hash": head.hash},
                from_email=None,
                recipient_list=[user.email],
            )
        AuditAnchorDelivery.objects.get_or_create(
            day=today, user=user, defaults={"seq": head.seq, "hash": head.hash}
        )
        sent += 1
    return sent


class InvitationInvalid(Exception):
    """The link is unknown, used or expired: the page says so without telling which."""


def invite(
    actor: User, network: Network, *, email: str, role: str, desk: Desk | None = None,
    organisation: Organisation | None = None, language: str = "en", base_url: str,
) -> Invitation:
    """Invite someone by e-mail to join `network` in `role`. The e-mail is neutral and its
    link works once, for `INVITATION_DAYS` days."""
    if role == Role.DOCUMENTER and desk is None:
        raise ValidationError({"desk": _("A documenter belongs to a desk.")})
    if desk is not None and desk.network_id != network.pk:
        raise ValidationError({"desk": _("This desk belongs to another network.")})
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            network=network, role=role, desk=desk, organisation=organisation, email=email,
            language=language, token_hash=hash_token(raw), invited_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        )
        record_audit(actor, Action.INVITATION_SENT, invitation, scope=scope_of(network))
        with translation.override(language):
            send_mail(
                subject=_("An invitation for you"),
                message=_(
                    "You have been invited to open an account.\n\nOpen this link within "
                    "%(days)d days to choose a username and password (it works once):\n"
                    "%(link)s\n\nIf you did not expect this, ignore this message."
                ) % {"days": settings.INVITATION_DAYS, "link": f"{base_url}/network/invitation/{raw}/"},
                from_email=None,
                recipient_list=[email],
            )
    return invitation


def open_invitation(raw: str) -> Invitation:
    """The live invitation behind a link, or InvitationInvalid. Reading changes nothing."""
    invitation = Invitation.objects.select_related("network", "desk").filter(
        token_hash=hash_token(raw), accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if invitation is None:
        raise InvitationInvalid
    return invitation


def accept_invitation(raw: str, *, username: str, password: str, first_name: str = "") -> User:
    """Create the account and give the role, once: a second submit of the same link (a
    double tap on a slow line) finds the invitation used and raises InvitationInvalid."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(
            token_hash=hash_token(raw), accepted_at__isnull=True, expires_at__gt=timezone.now()
        ).first()
        if invitation is None:
            raise InvitationInvalid
        user = accounts.create_user(username=username, password=password, email=invitation.email,
                                    first_name=first_name, language=invitation.language)
        add_membership(user, user=user, role=invitation.role, network=invitation.network,
                       desk=invitation.desk, organisation=invitation.organisation)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        record_audit(user, Action.INVITATION_ACCEPTED, invitation, scope=scope_of(invitation.network))
    return user


# --- Sealing for desks and networks ---------------------------------------------------------

def seal_for_desk(desk: Desk, plaintext: str | bytes, *, label: str, also_to: Any = ()) -> bytes:
    """Seal content the desk owns: only its documenters (and `also_to`) can open it."""
    assert desk.ring is not None  # noqa: S101 - every desk gets a ring when created
    return vault.seal_for_ring(desk.ring, plaintext, label=label, also_to=also_to)


def coordinating_rings(network: Network) -> list[Any]:
    """The key rings of everyone who coordinates `network`: its own coordinators' and, for a
    national network, its coalition's (a coalition's coordinators coordinate every network
    under it)."""
    rings = [network.ring]
    if network.parent_id is not None and network.parent is not None:
        rings.append(network.parent.ring)
    return [ring for ring in rings if ring is not None]


def seal_for_desk_and_coordinators(desk: Desk, plaintext: str | bytes, *, label: str) -> bytes:
    """Seal what the desk writes for its network's coordinators to review (an appeal before
    publication): the desk's documenters and whoever coordinates its network open it."""
    assert desk.ring is not None  # noqa: S101 - every desk gets a ring when created
    return vault.seal_for_rings([desk.ring, *coordinating_rings(desk.network)], plaintext, label=label)


def save_contact(actor: User, *, user: User, network: Network, values: dict[str, str]) -> MemberContact:
    """Store a member's contact details sealed to the network's coordinators and to herself.
    Blank values are stored as nothing at all."""
    assert network.ring is not None  # noqa: S101 - every network gets a ring when created
    with transaction.atomic():
        contact, _created = MemberContact.objects.get_or_create(user=user, network=network)
        for name in MemberContact.SEALED:
            text = (values.get(name) or "").strip()
            sealed = vault.seal_for_ring(network.ring, text, label=f"network.contact.{name}", also_to=[user]) \
                if text else None
            setattr(contact, name, sealed)
        contact.save()
        record_audit(actor, Action.CONTACT_UPDATED, contact, scope=scope_of(network))
    return contact


def open_contact(unlocked: Any, contact: MemberContact) -> dict[str, str]:
    """The contact details as text, for a reader of the network's ring or the member herself.
    Raises the vault's KeyLocked or NotAReader otherwise."""
    opened = {}
    for name in MemberContact.SEALED:
        value = getattr(contact, name)
        opened[name] = vault.open_sealed(unlocked, value, label=f"network.contact.{name}") if value else ""
    return opened
