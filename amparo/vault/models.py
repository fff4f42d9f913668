"""Keys, key rings, epochs and grants. The one place that holds key material, always wrapped.

A member's private key is stored only wrapped: once under a key derived from her password,
once under a key derived from her recovery code. A ring has one keypair per epoch; each
epoch's private key is stored only sealed to the public key of each member entitled to it
(a grant), and to the ring's recovery key when a recovery sheet was issued.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class MemberKey(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="member_key")
    public_key = models.BinaryField(max_length=32)
    wrapped_by_password = models.BinaryField()
    password_salt = models.BinaryField(max_length=16)
    wrapped_by_recovery = models.BinaryField()
    recovery_salt = models.BinaryField(max_length=16)
    kdf_ops = models.PositiveIntegerField()
    kdf_mem = models.PositiveBigIntegerField()
    # After a password reset the password-wrapped copy is stale until the recovery code is used.
    needs_recovery = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"member key of {self.user_id}"


class KeyRing(models.Model):
    """A set of people who can open what is sealed to it. Owned by a desk or a network, which
    the vault does not know: `label` says what it is for, for people reading the admin."""

    label = models.CharField(max_length=100, unique=True)
    recovery_public_key = models.BinaryField(max_length=32, null=True, blank=True)
    recovery_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.label

    def current_epoch(self) -> RingEpoch | None:
        return self.epochs.order_by("-number").first()


class RingMember(models.Model):
    """Who is entitled to the ring. Her grants may still be pending (no key yet, or nobody
    unlocked has completed them)."""

    ring = models.ForeignKey(KeyRing, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    # True while she lacks a grant for some epoch of the ring.
    pending = models.BooleanField(default=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ring", "user"], name="one_ring_membership")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.ring_id}"


class RingEpoch(models.Model):
    ring = models.ForeignKey(KeyRing, on_delete=models.CASCADE, related_name="epochs")
    number = models.PositiveIntegerField()
    public_key = models.BinaryField(max_length=32)
    sealed_to_recovery = models.BinaryField(null=True, blank=True)
    reason = models.CharField(max_length=32)  # "created", "member removed", "lockdown", …
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ring", "number"]
        constraints = [models.UniqueConstraint(fields=["ring", "number"], name="one_epoch_number")]

    def __str__(self) -> str:
        return f"{self.ring_id}#{self.number}"


class Grant(models.Model):
    """An epoch's private key sealed to one member's public key."""

    epoch = models.ForeignKey(RingEpoch, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sealed_private_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["epoch", "user"], name="one_grant_per_epoch")]

    def __str__(self) -> str:
        return f"grant {self.epoch_id} → {self.user_id}"
