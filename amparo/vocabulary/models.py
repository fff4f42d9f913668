"""The shared vocabulary: the words every record, appeal and statistic is counted by.

Terms are coarse and stay in clear (DESIGN.md, rule 2). The model was born in the registry and
keeps its table, `registry_term`.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Term(models.Model):
    """A word of the shared vocabulary, with a stable code and a label in each language.

    Terms form a tree (e.g. "online attacks" > "doxxing"). A retired term stays valid on the
    records that use it but is no longer offered."""

    class Kind(models.TextChoices):
        ATTACK_TYPE = "attack_type", _("Type of attack")
        PERPETRATOR = "perpetrator", _("Perpetrator")
        RISK_FACTOR = "risk_factor", _("Risk factor")
        PROFILE = "profile", _("Defender profile")
        THEME = "theme", _("Right or theme defended")
        GENDER = "gender", _("Gender")
        OUTCOME = "outcome", _("Outcome of an urgent appeal")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    # Dotted and hierarchical ("attack.threat.death"): a slug would refuse the dots.
    code = models.CharField(_("code"), max_length=64, unique=True, validators=[
        RegexValidator(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$", _("Lowercase letters, digits and . _ - only."))])
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("broader term"))
    label_en = models.CharField("English", max_length=200)
    label_es = models.CharField("Español", max_length=200, blank=True)
    label_fr = models.CharField("Français", max_length=200, blank=True)
    label_pt = models.CharField("Português", max_length=200, blank=True)
    # Perpetrators only: True for a state actor, False for a non-state one.
    state_actor = models.BooleanField(_("state actor"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        db_table = "registry_term"  # the table it was born with, in the registry
        ordering = ["kind", "position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="perpetrator") | Q(state_actor__isnull=True),
                name="only_perpetrators_are_state_or_not",
            ),
        ]

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        """The label in `language` (the active one by default); English when missing."""
        language = (language or translation.get_language() or "en")[:2]
        return getattr(self, f"label_{language}", "") or self.label_en
