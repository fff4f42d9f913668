"""The help desk's data: help requests and their sealed conversation, the experts' profiles,
escalations, the tutorials, and lockdown (her code as a slow hash, her trusted contacts sealed
with the service key, each lockdown and each warning sent).

In clear: codes (category, language, status), times and identifiers, which the response
figures and the escalation job need. Everything she or an expert writes is sealed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.network.models import Desk, Network
from amparo.vault.fields import SealedField

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class Category(models.TextChoices):
    ACCOUNT = "account", _("Account compromise (someone got into an account)")
    DEVICE = "device", _("Seized or lost device")
    SPYWARE = "spyware", _("Suspected spyware or surveillance")
    HARASSMENT = "harassment", _("Online harassment, doxxing or impersonation")
    SUSPICIOUS = "suspicious", _("Suspicious message or link")
    COMMUNICATION = "communication", _("Setting up secure communication")
    STORAGE = "storage", _("Secure storage and backups")
    TRAVEL = "travel", _("Travelling safely with devices")
    OTHER = "other", _("Something else")


# Minutes to a first answer (FIELD-NOTES: the reference helpline answers within 2 hours).
# Every request still unanswered escalates at 60 and 90 minutes.
TARGET_MINUTES: dict[str, int] = {
    Category.ACCOUNT: 120, Category.DEVICE: 120, Category.SPYWARE: 120, Category.HARASSMENT: 120,
    Category.SUSPICIOUS: 240, Category.COMMUNICATION: 24 * 60, Category.STORAGE: 24 * 60,
    Category.TRAVEL: 24 * 60, Category.OTHER: 24 * 60,
}
ESCALATION_MINUTES = (60, 90)


class ExpertProfile(models.Model):
    """An ICT expert of a network: what she speaks and knows, whether she takes requests now,
    and whether she leads (escalations go to the leads)."""

    class Kind(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer")
        STAFF = "staff", _("Staff of a member organisation")
        PEER = "peer", _("Defender who learned and now helps others")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("who you are"), max_length=16, choices=Kind.choices, default=Kind.VOLUNTEER)
    languages = models.JSONField(_("languages"), default=list)
    skills = models.JSONField(_("what you help with"), default=list)
    available = models.BooleanField(_("I take new requests now"), default=True)
    lead = models.BooleanField(_("Lead: unanswered requests are escalated to me"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"expert {self.user_id}"


class HelpRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting for her")
        RESOLVED = "resolved", _("Resolved")

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("what is happening"), max_length=16, choices=Category.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW, db_index=True)
    # With an account: her; anonymously: the lookup tag and public key her receipt gives.
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="help_requests")
    receipt_tag = models.CharField(max_length=64, null=True, blank=True, unique=True)
    receipt_public_key = models.BinaryField(max_length=32, null=True, blank=True)
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    submission_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(db_index=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"help request {self.pk}"

    @property
    def anonymous(self) -> bool:
        return self.requester_id is None

    @property
    def target_minutes(self) -> int:
        return TARGET_MINUTES.get(self.category, 24 * 60)


class HelpMessage(models.Model):
    class Author(models.TextChoices):
        REQUESTER = "requester", _("You")
        EXPERT = "expert", _("Expert")

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=16, choices=Author.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    body = SealedField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message {self.pk} of request {self.request_id}"


class Escalation(models.Model):
    """An unanswered request passed to the network's leads, once per level."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="escalations")
    minutes = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "minutes"], name="one_escalation_per_level")]

    def __str__(self) -> str:
        return f"request {self.request_id} escalated at {self.minutes} minutes"


class Tutorial(models.Model):
    """A guide in one language: Markdown kept as written, rendered and sanitised when shown
    (rendering.py). The same `slug` in each language is the same guide."""

    slug = models.SlugField(max_length=64)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    body = models.TextField()
    categories = models.JSONField(default=list)
    position = models.PositiveSmallIntegerField(default=100)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "slug"]
        constraints = [models.UniqueConstraint(fields=["slug", "language"], name="one_tutorial_per_language")]

    def __str__(self) -> str:
        return f"{self.slug} ({self.language})"


class TutorialDone(models.Model):
    """A guide she marked done (only with an account: an anonymous reader's marks are kept
    nowhere)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(max_length=64)
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "slug"], name="one_done_mark")]

    def __str__(self) -> str:
        return f"{self.slug} done by {self.user_id}"


class LockdownCode(models.Model):
    """The code she gave her trusted contacts, as a slow hash (Django's password hasher)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"lockdown code of {self.user_id}"


class TrustedContact(models.Model):
    """Someone she trusts, warned if her account is locked down. The address is sealed with
    the service key: the worker that sends the warning must read it without her."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("how to warn"), max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    address = SealedField()
    language = models.CharField(_("their language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"trusted contact {self.pk} of {self.user_id}"


class Lockdown(models.Model):
    class By(models.TextChoices):
        HERSELF = "herself", _("herself")
        CONTACT = "contact", _("a trusted contact, with her lockdown code")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    by = models.CharField(max_length=8, choices=By.choices)
    desk = models.ForeignKey(Desk, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rings_rotated = models.JSONField(default=list)
    rings_to_restore = models.JSONField(default=list)  # she alone held them: restore from the sheet
    started_at = models.DateTimeField()
    desk_told_at = models.DateTimeField(null=True, blank=True)  # the desk's documenters e-mailed (once)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"lockdown {self.pk} of {self.user_id}"


class ContactWarning(models.Model):
    """One warning per trusted contact per lockdown: claimed before sending, so never twice."""

    lockdown = models.ForeignKey(Lockdown, on_delete=models.CASCADE, related_name="warnings")
    contact = models.ForeignKey(TrustedContact, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lockdown", "contact"], name="one_warning_per_contact")]

    def __str__(self) -> str:
        return f"warning {self.pk} of lockdown {self.lockdown_id}"
