"""Emergency support: the directory of funds, requests for help, reviewers' decisions and the
sealed conversation between her and the reviewers.

Clear columns hold codes, amounts and times only (what matching, the queue and the figures
need); everything that can name or locate her — what happened, who travels, where to, the
security and return plans, her other help, a reason, a message — is sealed (`sealing.py`) to
the fund reviewers' ring of the request's network and to her own key (her member key, or the
public key her anonymous receipt gives). A fund's private contact is sealed to the reviewers'
and coordinators' rings of the network that keeps the directory.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.network.models import Desk, Network
from amparo.registry.models import AnonymousReceipt, Incident
from amparo.vault.fields import SealedField


class Kind(models.TextChoices):
    FUNDS = "funds", _("Emergency funds")
    RELOCATION = "relocation", _("Temporary relocation")
    LEGAL = "legal", _("Legal help")
    MEDICAL = "medical", _("Medical help")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial care and self-care")
    EQUIPMENT = "equipment", _("Security equipment")
    DIGITAL = "digital", _("Digital help")


class Applicant(models.TextChoices):
    INDIVIDUAL = "individual", _("A person")
    COLLECTIVE = "collective", _("A collective")
    ORGANISATION = "organisation", _("An organisation")


class Urgency(models.TextChoices):
    CRITICAL = "critical", _("Critical: life or liberty at risk now")
    HIGH = "high", _("High: within days")
    NORMAL = "normal", _("Normal: within weeks")


LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français"), ("pt", "Português")]


class Fund(models.Model):
    """A fund or programme of the directory, kept by a network's coordinators. Its public facts
    are in clear (they are what a fund publishes); its private contact is sealed."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="funds")
    name = models.CharField(_("name"), max_length=200)
    runner = models.CharField(_("who runs it"), max_length=200)
    example = models.BooleanField(_("an invented example"), default=False)
    active = models.BooleanField(_("in use"), default=True)
    languages = models.JSONField(_("languages accepted"), default=list, blank=True)  # [] = any language
    countries = models.JSONField(_("countries"), default=list, blank=True)  # ISO codes; [] = anywhere
    applicants = models.JSONField(_("who may apply"), default=list, blank=True)  # Applicant codes
    women_trans_led_only = models.BooleanField(_("only women- or trans-led"), default=False)
    covers = models.JSONField(_("what it pays for"), default=list, blank=True)  # Kind codes
    relocation_abroad = models.BooleanField(_("pays relocation abroad"), default=True)
    does_not_pay = models.CharField(_("what it does not pay for"), max_length=500, blank=True)
    max_amount = models.DecimalField(_("maximum amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    decision_hours = models.PositiveIntegerField(_("typical decision time (hours)"), default=72)
    payment_days = models.PositiveIntegerField(_("typical payment time (days)"), default=7)
    how_to_apply = models.TextField(_("how to apply"), blank=True)
    contact = SealedField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Payment(models.TextChoices):
    PLANNED = "planned", _("Payment planned")
    SENT = "sent", _("Payment sent")
    RECEIVED = "received", _("Payment received")


class SupportRequest(models.Model):
    class Channel(models.TextChoices):
        MEMBER = "member", _("Asked with her account")
        ANONYMOUS = "anonymous", _("Asked with her receipt")
        DOCUMENTER = "documenter", _("Filed by a documenter on her behalf")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a decision")
        MORE_INFO = "more_info", _("The reviewers asked for more")
        CONFIRMING = "confirming", _("Decided, waiting for a second reviewer")
        APPROVED = "approved", _("Approved")
        PARTLY = "partly", _("Partly approved")
        REFERRED = "referred", _("Referred to another fund")
        DECLINED = "declined", _("Declined")
        HELP_DESK = "help_desk", _("Handed to the help desk")

    OPEN = (Status.WAITING, Status.MORE_INFO, Status.CONFIRMING)

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="support_requests")
    desk = models.ForeignKey(Desk, null=True, blank=True, on_delete=models.PROTECT, related_name="support_requests")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="support_requests")
    receipt = models.ForeignKey(AnonymousReceipt, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    incidents = models.ManyToManyField(Incident, blank=True, related_name="+")
    kind = models.CharField(_("what help"), max_length=16, choices=Kind.choices)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.HIGH)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    country = models.CharField(_("country"), max_length=4, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, default="es")
    applicant = models.CharField(_("who asks"), max_length=16, choices=Applicant.choices,
                                 default=Applicant.INDIVIDUAL)
    women_trans_led = models.BooleanField(_("women- or trans-led"), default=True)
    abroad = models.BooleanField(_("relocation abroad"), default=False)
    months = models.PositiveIntegerField(_("for how many months"), null=True, blank=True)
    # What happened, her other help, and the relocation's who, where, how and return: one
    # JSON object, sealed (sealing.DETAILS).
    details = SealedField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING, db_index=True)
    due_at = models.DateTimeField(db_index=True)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Disbursement, once approved: planned, sent, received; her follow-up report is due three
    # months after she received it, and the reviewers are reminded of it once.
    payment = models.CharField(max_length=16, choices=Payment.choices, blank=True, default="")
    payment_changed_at = models.DateTimeField(null=True, blank=True)
    report_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    report_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"support request #{self.pk}"

    @property
    def reference(self) -> str:
        return f"AS-{self.pk}"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approve")
        PARTLY = "partly", _("Partly approve")
        REFERRED = "referred", _("Refer to another fund")
        DECLINED = "declined", _("Decline")
        MORE_INFO = "more_info", _("Ask her for more")

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="decisions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    fund = models.ForeignKey(Fund, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = SealedField()  # the reason or the question, to her and the reviewers
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.outcome} #{self.pk}"

    @property
    def result(self) -> str:
        """What came of it, as a state for her to read (the outcomes' labels are the reviewer's verbs)."""
        return str(SupportRequest.Status(self.outcome).label)


class SupportMessage(models.Model):
    class Author(models.TextChoices):
        REQUESTER = "requester", _("She")
        REVIEWER = "reviewer", _("A fund reviewer")

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=16, choices=Author.choices)
    body = SealedField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message #{self.pk}"
