"""Supporters: people and organisations outside the desks who receive appeals. Their e-mail
address, phone and name are sealed with the service key (machines must send to them without a
member), found by an HMAC blind index, never listed in bulk.

`Supporter.objects.reachable()` and `matching_appeal()` select in the database whom an appeal
goes to (circulation), and `message_language()` says in which language.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amparo.vault.fields import SealedField
from amparo.vocabulary.models import Term

from .appeals import LANGUAGE_CODES, Appeal


class SupporterQuerySet(models.QuerySet["Supporter"]):
    def reachable(self) -> SupporterQuerySet:
        """Confirmed, not unsubscribed, not bounced: who may be sent anything."""
        return self.filter(status=Supporter.Status.CONFIRMED)

    def matching_appeal(self, appeal: Appeal) -> SupporterQuerySet:
        """Reachable supporters whose interests match the appeal: her countries include its
        country or her themes (or their broader terms) one of its themes; a supporter who chose
        neither countries nor themes gets every appeal. One query, no decryption."""
        themes = list(appeal.themes.values_list("pk", flat=True))
        parents = [p for p in appeal.themes.values_list("parent_id", flat=True) if p]
        wants = (Q(countries__country=appeal.country) | Q(themes__in=themes + parents)
                 | (Q(countries__isnull=True) & Q(themes__isnull=True)))
        return self.reachable().filter(wants).distinct()


class Supporter(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("A person")
        ORGANISATION = "organisation", _("An organisation")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Address bounced")

    class Source(models.TextChoices):
        FORM = "form", _("Subscribe page")
        IMPORT = "import", _("Imported list")

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.INDIVIDUAL)
    email = SealedField()  # with the service key
    email_index = models.CharField(max_length=64, unique=True)  # vault.blind_index(purpose="supporter-email")
    phone = SealedField()
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    name = SealedField()
    # Her languages in order of preference ("es,en"): messages come in the first one the
    # appeal is written in.
    languages = models.CharField(max_length=16, default="en")
    themes = models.ManyToManyField(Term, blank=True, related_name="+", limit_choices_to={"kind": "theme"})
    by_email = models.BooleanField(default=True)
    by_sms = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.FORM)
    # The per-supporter link for preferences and unsubscribing, in every message: found by
    # its hash; kept sealed with the service key so that circulation can write it in.
    token_hash = models.CharField(max_length=64, unique=True)
    token = SealedField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)

    objects = SupporterQuerySet.as_manager()

    SEALED = ("email", "phone", "name", "token")

    def __str__(self) -> str:
        return f"supporter #{self.pk}"

    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code in LANGUAGE_CODES] or ["en"]

    def message_language(self, available: Iterable[str], original: str) -> str:
        """The first of her languages the text exists in; else the original."""
        offered = set(available)
        return next((code for code in self.language_list() if code in offered), original)


class SupporterCountry(models.Model):
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="countries")
    country = models.CharField(max_length=2, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["supporter", "country"], name="one_row_per_country")]

    def __str__(self) -> str:
        return self.country


class Confirmation(models.Model):
    """A one-time link that confirms a subscription: only its hash is kept; it expires."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="confirmations")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"confirmation #{self.pk}"
