"""Urgent appeals and the people who act on them.

An appeal is a short public case sheet (FIELD-NOTES.md): reference, title, summary, background,
concerns, recommended actions, addressees and a prepared letter, in its original language and
translations. Until publication its words and addressees are sealed (`sealing.py`) to the
desk's ring and its network's coordinators: a draft names a defender and a case long before,
or without ever, being public. Approval copies the opened words into the clear columns, which
stay empty before; from then on they are public by nature. Nothing of a sealed incident flows
into an appeal unless a documenter writes it in.

Who wrote any of an appeal's words (drafted, edited, translated it, added or removed an
addressee) is kept in `writers`, and likewise for an update: the four-eyes rule of approval
asks that question of the data.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amparo.network.models import Desk, Network
from amparo.registry.models import Incident
from amparo.vault.fields import SealedField
from amparo.vocabulary.models import Term

LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français"), ("pt", "Português")]
LANGUAGE_CODES = [code for code, _name in LANGUAGES]


class ReferenceCounter(models.Model):
    """The last reference number given in a network for a year: one row, locked by the update
    that takes the next number (services.next_reference)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "year"], name="one_counter_per_network_year")]

    def __str__(self) -> str:
        return f"{self.network_id}/{self.year}: {self.last}"


class Appeal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        APPROVED = "approved", _("Approved")
        CIRCULATED = "circulated", _("Circulated")
        UPDATED = "updated", _("Updated")
        CLOSED = "closed", _("Closed")

    PUBLISHED = (Status.APPROVED, Status.CIRCULATED, Status.UPDATED, Status.CLOSED)

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="appeals")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="appeals")
    # UA-YYYY-NNN, per network and year of approval: given at approval, so the sequence of
    # published appeals has no holes left by abandoned drafts.
    reference = models.CharField(_("reference"), max_length=32, blank=True, db_index=True)
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="appeals")
    language = models.CharField(_("original language"), max_length=2, choices=LANGUAGES, default="en")
    country = models.CharField(_("country"), max_length=2, db_index=True)
    themes = models.ManyToManyField(Term, blank=True, related_name="+", limit_choices_to={"kind": "theme"})
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Everyone who wrote any of its words or addressees (services add them): never its approver.
    writers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    # Stopped by a coordinator: unpublished at once, and circulation sends nothing more.
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    outcome = models.ForeignKey(Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"kind": "outcome"})
    outcome_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["network", "reference"], condition=~Q(reference=""),
                                    name="one_reference_per_network"),
        ]

    def __str__(self) -> str:
        return self.reference or f"appeal #{self.pk}"

    @property
    def published(self) -> bool:
        return self.status in self.PUBLISHED and self.stopped_at is None

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.REVIEW) and self.stopped_at is None

    def text(self, language: str | None = None) -> AppealText | None:
        """The text in `language`, else the original; None before anything was written."""
        texts = {t.language: t for t in self.texts.all()}
        return texts.get(language or self.language) or texts.get(self.language)


class SealedWords(models.Model):
    """A row whose words are sealed before publication (sealing.py). `sealing.open_draft` gives
    pages a copy with the words opened; that copy must never be saved."""

    opened_copy = False

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.opened_copy:
            raise RuntimeError("an opened copy of sealed words is never saved")
        super().save(*args, **kwargs)


class AppealText(SealedWords):
    """The words of an appeal in one language: the original, or a translation."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=2, choices=LANGUAGES)
    title = models.CharField(_("title"), max_length=200,
                             help_text=_('"Country: what happened – to whom", e.g. "Honduras: death threats '
                                         '– Berta Flores"'))
    summary = models.TextField(_("summary"), max_length=1000)
    background = models.TextField(_("background"), blank=True)
    concerns = models.TextField(_("concerns"), blank=True)
    actions = models.TextField(_("recommended actions"), blank=True,
                               help_text=_("The points every letter should make, one per line."))
    letter = models.TextField(_("prepared letter"), blank=True,
                              help_text=_("The body of the letter, after the salutation."))
    # Before publication: every text above, as JSON, sealed (sealing.py); the clear columns
    # are empty. Emptied when approval copies the words out.
    sealed = SealedField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["appeal", "language"], name="one_text_per_language")]

    def __str__(self) -> str:
        return f"{self.appeal} [{self.language}]"

    def action_points(self) -> list[str]:
        return [line.strip(" -•*\t") for line in self.actions.splitlines() if line.strip(" -•*\t")]


class Addressee(SealedWords):
    """An authority to write to, and how."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="addressees")
    authority = models.CharField(_("authority"), max_length=200)
    postal_address = models.TextField(_("postal address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    salutation = models.CharField(_("salutation"), max_length=200, blank=True,
                                  help_text=_('e.g. "Dear Attorney General"'))
    sealed = SealedField()  # before publication, as AppealText.sealed
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.authority


class AppealUpdate(models.Model):
    """Further information: a dated entry of its own, approved and circulated like an appeal,
    sent only to those who received the original."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        CIRCULATED = "circulated", _("Circulated")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="updates")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    writers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")  # as Appeal.writers
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["appeal", "number"], name="one_update_number_per_appeal")]

    def __str__(self) -> str:
        return f"{self.appeal} update {self.number}"

    @property
    def published(self) -> bool:
        return self.status != self.Status.DRAFT and self.stopped_at is None

    def text(self, language: str | None = None) -> UpdateText | None:
        texts = {t.language: t for t in self.texts.all()}
        return texts.get(language or self.appeal.language) or texts.get(self.appeal.language)


class UpdateText(SealedWords):
    update = models.ForeignKey(AppealUpdate, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=2, choices=LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what is new"))
    sealed = SealedField()  # while the update is a draft, as AppealText.sealed

    class Meta:
        constraints = [models.UniqueConstraint(fields=["update", "language"], name="one_update_text_per_language")]

    def __str__(self) -> str:
        return f"{self.update} [{self.language}]"


class Response(models.Model):
    """A reply from an authority, or a note on the outcome, logged by a documenter: for the desk
    and its coordinators only, never published, so always sealed (sealing.py)."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply from an authority")
        NOTE = "note", _("Note on the outcome")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.REPLY)
    received_on = models.DateField(_("date"))
    source = SealedField()  # who replied
    note = SealedField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"response #{self.pk}"


class Action(models.Model):
    """What one visitor did for an appeal. Nothing about who: no account, no address, no
    browser, and only the day."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("A letter")
        EMAIL = "email", _("An e-mail")
        CALL = "call", _("A phone call")
        EMBASSY = "embassy", _("A visit to an embassy")
        SOCIAL = "social", _("A social media post")
        OTHER = "other", _("Something else")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    country = models.CharField(max_length=2, blank=True)
    day = models.DateField()
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [models.Index(fields=["appeal", "kind"], name="actions_by_kind"),
                   models.Index(fields=["appeal", "country"], name="actions_by_country")]

    def __str__(self) -> str:
        return f"action #{self.pk}"
