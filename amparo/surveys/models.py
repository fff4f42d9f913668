"""A survey, its sections (one page each), questions and choices; the answers.

Titles, labels and hints are the owners' published words in each language (clear). A
response keeps only the day it was sent; its answers keep choices, numbers, dates and codes
in clear because counts need them, and free text sealed to the owners' ring (sealing.py).
Invitations keep the hash of their link, the day they were sent and whether it was spent —
never which response it gave.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import translation

from amparo.network.models import Network
from amparo.vault.fields import SealedField

LANGUAGES = ("en", "es", "fr", "pt")


def in_language(labels: dict[str, str] | Any, language: str | None = None, fallback: str = "en") -> str:
    """The text of `labels` in the reader's language, else the fallback's, else any."""
    if not isinstance(labels, dict):
        return str(labels or "")
    lang = (language or translation.get_language() or fallback)[:2]
    return labels.get(lang) or labels.get(fallback) or next((v for v in labels.values() if v), "")


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "draft"
        OPEN = "open", "open"
        CLOSED = "closed", "closed"

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="surveys")
    slug = models.CharField(max_length=32, unique=True)
    form_id = models.CharField(max_length=64)
    title = models.JSONField(default=dict)
    languages = models.JSONField(default=list)
    default_language = models.CharField(max_length=8, default="en")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_on = models.DateField()

    def __str__(self) -> str:
        return self.name()

    def name(self, language: str | None = None) -> str:
        return in_language(self.title, language, self.default_language) or self.form_id


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=64)
    label = models.JSONField(default=dict)
    show_if_question = models.CharField(max_length=64, blank=True)
    show_if_value = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["survey", "name"], name="surveys_section_unique_name")]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "single choice"
        MULTIPLE = "multiple", "multiple choice"
        SCALE = "scale", "scale"
        NUMBER = "number", "number"
        DATE = "date", "date"
        COUNTRY = "country", "country"
        SUBDIVISION = "subdivision", "subdivision"
        TEXT = "text", "free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=64)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    required = models.BooleanField(default=False)
    label = models.JSONField(default=dict)
    hint = models.JSONField(default=dict, blank=True)
    show_if_question = models.CharField(max_length=64, blank=True)
    show_if_value = models.CharField(max_length=64, blank=True)
    scale_min = models.IntegerField(default=1)
    scale_max = models.IntegerField(default=5)

    class Meta:
        ordering = ["section__position", "position"]
        constraints = [models.UniqueConstraint(fields=["survey", "name"], name="surveys_question_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=64)
    label = models.JSONField(default=dict)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Response(models.Model):
    """One sent answer sheet: its survey and its day, nothing about who sent it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField()

    def __str__(self) -> str:
        return f"response {self.pk}"


class Answer(models.Model):
    """One answer: a choice (one row per choice ticked), a number, a date, a code, or sealed text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="answers")
    number = models.IntegerField(null=True, blank=True)
    day = models.DateField(null=True, blank=True)
    code = models.CharField(max_length=8, blank=True)
    sealed = SealedField()

    class Meta:
        # Covers the results' GROUP BY: read in order, no sort, no table.
        indexes = [models.Index(fields=["question", "choice", "number", "code"], name="surveys_answer_counts")]

    def __str__(self) -> str:
        return f"answer {self.pk}"


class Invitation(models.Model):
    """A link e-mailed to one person: one each (by a keyed hash of her address), spent by one
    answer. It never says which answer; neither keeps a time finer than the day."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    recipient_index = models.CharField(max_length=64)
    sent_on = models.DateField()
    spent = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "recipient_index"],
                                               name="surveys_invitation_one_each")]

    def __str__(self) -> str:
        return f"invitation {self.pk}"
