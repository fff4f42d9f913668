from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.accounts import policy


class User(AbstractUser):
    """A person with an account. Roles come from `network.Membership`, not from here."""

    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("The language of the e-mails Amparo sends you."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class SecondFactor(models.Model):
    """A TOTP authenticator. A code's time step is remembered so no code works twice.

    The server must read the secret back to check codes, so it cannot be hashed: it is sealed
    with the vault's service key (accounts/policy.py), and a copy of the database alone
    holds none."""

    SECRET_LABEL = "accounts.second_factor.secret"  # noqa: S105 - a label, not a secret

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="second_factor")
    sealed_secret = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"second factor of {self.user_id}"

    @property
    def secret(self) -> str:
        return policy.open_secret(bytes(self.sealed_secret), self.SECRET_LABEL)

    @secret.setter
    def secret(self, value: str) -> None:
        self.sealed_secret = policy.seal_secret(value, self.SECRET_LABEL)


class RecoveryCode(models.Model):
    """One of ten single-use codes (80 bits); only an HMAC keyed with SECRET_KEY is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code of {self.user_id}"


class UserSession(models.Model):
    """Which server-side sessions belong to whom, so a person can list and end them.

    Holds the start time only: no address, no browser description."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="user_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"session of {self.user_id} since {self.started_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A token for an integration: shown once, stored as a SHA-256, expiring, revocable."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
