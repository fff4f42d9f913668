"""The coalition, its national networks, member organisations, desks and memberships.

A *desk* is the team that owns cases: every incident belongs to exactly one desk, and only
its documenters work on it. Roles are memberships, so one person can be a defender in one
place and a supporter in another.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amparo.vault.fields import SealedField
from amparo.vault.models import KeyRing


class Network(models.Model):
    class Kind(models.TextChoices):
        COALITION = "coalition", _("Coalition")
        NATIONAL = "national", _("National network")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("coalition"),
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    # The coordinators' key ring: members' contact details are sealed to it.
    ring = models.OneToOneField(KeyRing, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The rings of two staff roles: the fund reviewers' (emergency support requests) and the
    # ICT experts' (help-desk requests). Made with the network, or on first use for a network
    # made before them (`services.role_ring`).
    support_ring = models.OneToOneField(KeyRing, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    helpdesk_ring = models.OneToOneField(KeyRing, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="coalition", parent__isnull=True) | Q(kind="national"),
                name="coalition_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def coalition(self) -> Network:
        return self if self.kind == self.Kind.COALITION or self.parent is None else self.parent


class Organisation(models.Model):
    """A member organisation of a network."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="organisation_name_per_network"),
        ]

    def __str__(self) -> str:
        return self.name


class Desk(models.Model):
    """A documentation team that owns cases for the countries it covers."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="desks")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    coalition_wide = models.BooleanField(
        _("coalition-wide"), default=False,
        help_text=_("Takes cases from every country that no national desk covers."),
    )
    # The desk's key ring: its documenters, and nobody else, open the desk's cases.
    ring = models.OneToOneField(KeyRing, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network"], condition=Q(coalition_wide=True),
                name="one_coalition_wide_desk_per_network",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.coalition_wide and self.network_id and self.network.kind != Network.Kind.COALITION:
            raise ValidationError(_("Only the coalition can have a coalition-wide desk."))


class Role(models.TextChoices):
    DEFENDER = "defender", _("Defender")
    DOCUMENTER = "documenter", _("Documenter")
    COORDINATOR = "coordinator", _("Coordinator")
    SUPPORTER = "supporter", _("Supporter")
    ICT_EXPERT = "ict_expert", _("ICT expert")
    FUND_REVIEWER = "fund_reviewer", _("Fund reviewer")


STAFF_ROLES = frozenset({Role.DOCUMENTER, Role.COORDINATOR, Role.ICT_EXPERT, Role.FUND_REVIEWER})


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(ended_at__isnull=True)


class Membership(models.Model):
    """A role held by a person: in a network, and for documenters in one desk.

    Ending a membership keeps the row (the audit log and history refer to it) and sets
    `ended_at`; only active memberships grant anything.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="memberships")
    desk = models.ForeignKey(
        Desk, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["network", "role", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="documenter") | Q(desk__isnull=False),
                name="documenter_has_desk",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "desk"],
                condition=Q(ended_at__isnull=True, desk__isnull=False),
                name="one_active_membership_per_role_and_desk",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "network"],
                condition=Q(ended_at__isnull=True, desk__isnull=True),
                name="one_active_membership_per_role_and_network",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.desk or self.network}"

    def clean(self) -> None:
        if self.role == Role.DOCUMENTER and not self.desk_id:
            raise ValidationError({"desk": _("A documenter belongs to a desk.")})
        if self.desk is not None and self.network_id and self.desk.network_id != self.network_id:
            raise ValidationError({"desk": _("This desk belongs to another network.")})
        if self.organisation is not None and self.organisation.network_id != self.network_id:
            raise ValidationError({"organisation": _("This organisation belongs to another network.")})


class AuditAnchorDelivery(models.Model):
    """One day's audit anchor sent to one coordinator: makes the daily job safe to run twice."""

    day = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "user"], name="one_anchor_per_coordinator_per_day"),
        ]

    def __str__(self) -> str:
        return f"anchor {self.day} → {self.user_id}"


class Invitation(models.Model):
    """An invitation to join a network in a role. Only a SHA-256 of the link's token is kept;
    the link works once (a POST consumes it) and expires."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    desk = models.ForeignKey(Desk, null=True, blank=True, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.pk} to {self.network}"


class MemberContact(models.Model):
    """How to reach a member, sealed to her network's coordinators and to herself: a seized
    database or server shows none of it (DESIGN.md, rule 1 and capability 6)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="contacts")
    phone = SealedField()
    address = SealedField()
    alternative_email = SealedField()
    emergency_contact = SealedField()
    updated_at = models.DateTimeField(auto_now=True)

    SEALED = ("phone", "address", "alternative_email", "emergency_contact")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "network"], name="one_contact_sheet_per_network"),
        ]

    def __str__(self) -> str:
        return f"contact of {self.user_id} in {self.network_id}"
