"""The defenders and the incidents: who was attacked, how, by whom,
where and when.

What stays in clear is coarse and is what statistics need (DESIGN.md, rule 2): country,
subdivision, the date at its precision, vocabulary terms, counts, status, consent. Names,
contacts, the exact place, the narrative, sources, follow-up notes and attachments are sealed
to the desk's key ring.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.network.models import Desk
from amparo.vault.fields import SealedField
from amparo.vocabulary.models import Term


class Defender(models.Model):
    """A person, collective or organisation attacked for defending rights."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("A person")
        COLLECTIVE = "collective", _("A collective or community")
        ORGANISATION = "organisation", _("An organisation")

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="defenders")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.INDIVIDUAL)
    name = SealedField()
    contacts = SealedField()
    # HMAC of the normalised name under the desk ring's index key: members find a defender by
    # name; a seized database shows no names. Blank until a member who can open it indexes it.
    name_index = models.CharField(max_length=64, blank=True, db_index=True)
    gender = models.ForeignKey(Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               limit_choices_to={"kind": "gender"})
    profiles = models.ManyToManyField(Term, blank=True, related_name="+", limit_choices_to={"kind": "profile"})
    account = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"defender #{self.pk}"


class IncidentQuerySet(models.QuerySet["Incident"]):
    def counted(self) -> IncidentQuerySet:
        """Every incident that statistics count: duplicates are not."""
        return self.exclude(status=Incident.Status.DUPLICATE)

    def statistics_eligible(self) -> IncidentQuerySet:
        """What anonymised statistics may use: counted, and consented to. Missing consent means
        "document only", and a withdrawal clears the flag: it takes effect at the next query."""
        return self.counted().filter(consent_statistics=True)


class Incident(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        TRIAGE = "triage", _("In triage")
        VERIFIED = "verified", _("Verified")
        DOCUMENTED = "documented", _("Documented")
        CLOSED = "closed", _("Closed")
        DUPLICATE = "duplicate", _("Duplicate")

    class Precision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    class Reported(models.TextChoices):
        UNKNOWN = "unknown", _("Not known")
        NO = "no", _("Not reported")
        YES = "yes", _("Reported")

    class Justice(models.TextChoices):
        NONE = "none", _("No process")
        COMPLAINT = "complaint", _("Complaint filed")
        INVESTIGATION = "investigation", _("Under investigation")
        CHARGES = "charges", _("Charges brought")
        TRIAL = "trial", _("On trial")
        CONVICTION = "conviction", _("Conviction")
        ACQUITTAL = "acquittal", _("Acquittal")
        CLOSED = "closed", _("Closed without result")

    class Channel(models.TextChoices):
        DESK = "desk", _("Recorded by the desk")
        DEFENDER = "defender", _("Reported by a defender with an account")
        ANONYMOUS = "anonymous", _("Anonymous report")
        IMPORT = "import", _("Imported")
        SMS = "sms", _("Received by SMS")
        EMAIL = "email", _("Received by e-mail")
        OPENROSA = "openrosa", _("Sent from a phone app (Tella, ODK Collect)")

    class Safety(models.TextChoices):
        UNKNOWN = "", _("Not said")
        YES = "yes", _("Safe now")
        NO = "no", _("Not safe")
        UNSURE = "unsure", _("Not sure")

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="incidents")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="duplicates")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("assigned to"))
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.DESK)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="reported_incidents")
    # Her answer to "are you safe now?" (the inbox puts "no" and "unsure" first) and, sealed,
    # her answer to "what help would you like?".
    safe_now = models.CharField(_("safe now"), max_length=8, choices=Safety.choices, default=Safety.UNKNOWN,
                                blank=True, db_index=True)
    help_wanted = SealedField()
    # When: the first day of the period for month and year precision.
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(max_length=8, choices=Precision.choices, default=Precision.DAY)
    # Where, coarse: ISO 3166-1 alpha-2 (or a former country's ISO 3166-3 code) and ISO 3166-2.
    country = models.CharField(_("country"), max_length=4, blank=True, db_index=True)
    subdivision = models.CharField(_("region"), max_length=8, blank=True)
    locality = SealedField()
    coordinates = SealedField()
    narrative = SealedField()
    sources = SealedField()
    attack_types = models.ManyToManyField(Term, blank=True, related_name="+")
    perpetrators = models.ManyToManyField(Term, blank=True, related_name="+")
    risk_factors = models.ManyToManyField(Term, blank=True, related_name="+")
    profiles = models.ManyToManyField(Term, blank=True, related_name="+")
    victim_genders = models.ManyToManyField(Term, blank=True, related_name="+")
    victims = models.PositiveIntegerField(_("number of people attacked"), default=1)
    defenders = models.ManyToManyField(Defender, blank=True, related_name="incidents")
    reported_to_authorities = models.CharField(max_length=8, choices=Reported.choices, default=Reported.UNKNOWN)
    reported_on = models.DateField(null=True, blank=True)
    reported_to = SealedField()  # which office or person she went to: it can name her
    justice = models.CharField(_("justice process"), max_length=16, choices=Justice.choices, default=Justice.NONE)
    consent_statistics = models.BooleanField(default=False)
    consent_public_appeal = models.BooleanField(default=False)
    consent_un = models.BooleanField(default=False)
    consent_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Her choice (a defender with an account): a neutral e-mail ("you have a new message") when
    # the desk writes to her. Nothing of the message is in it.
    notify_reporter = models.BooleanField(default=False)
    # A form's one-time token: a double submit on a slow line stores one record.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IncidentQuerySet.as_manager()

    SEALED = ("locality", "coordinates", "narrative", "sources", "reported_to")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["desk", "status", "-created_at"], name="inbox_by_status"),
            models.Index(fields=["desk", "-created_at"], name="inbox_newest"),
            models.Index(fields=["desk", "country", "-created_at"], name="inbox_by_country"),
        ]

    def __str__(self) -> str:
        return f"incident #{self.pk}"

    @property
    def in_danger(self) -> bool:
        """She said she is not safe, or not sure, or asked for help: her pages offer emergency
        support first."""
        return self.safe_now in (self.Safety.NO, self.Safety.UNSURE) or bool(self.help_wanted)

class FollowUp(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="follow_ups")
    happened_on = models.DateField(_("date"))
    note = SealedField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return f"follow-up #{self.pk}"


class Attachment(models.Model):
    """A file sealed chunk by chunk; `sealed_key` says who can open it, `stored_name` is a
    random name under MEDIA_ROOT that tells nothing."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    sealed_key = models.BinaryField()  # an envelope of the file's key (the file itself is on disk)
    filename = SealedField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    stored_name = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Metadata(models.TextChoices):
        """What happened to the file's hidden details (place, device, date): a code, kept in
        clear on purpose — it says nothing of the file, only what the desk should know of it."""

        REMOVED = "removed", _("hidden details removed")
        KEPT = "kept", _("kept as sent: any hidden details (place, device, date) are still in it")
        KEPT_LARGE = "kept_large", _("an image too large to clean: kept as sent, its hidden details "
                                     "(place, device, date) are still in it")

    metadata = models.CharField(max_length=16, choices=Metadata.choices, default=Metadata.KEPT)

    def __str__(self) -> str:
        return f"attachment #{self.pk}"


class DeskIndexKey(models.Model):
    """The key of a desk's blind index of names, sealed to the desk's ring: only members can
    compute an index, so a seized database cannot be searched for a name."""

    desk = models.OneToOneField(Desk, on_delete=models.CASCADE, related_name="index_key")
    sealed_key = models.BinaryField()  # an envelope (vault) of 32 random bytes

    def __str__(self) -> str:
        return f"index key of desk {self.desk_id}"


class AnonymousReceipt(models.Model):
    """An anonymous report's receipt, as the server may keep it: only the lookup tag derived
    from it (Argon2id, then HKDF). The words themselves and the reporter's key are never stored."""

    lookup_tag = models.CharField(max_length=64, unique=True)
    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="receipt")
    # Her public key, derived from the receipt: the desk seals its replies to it.
    public_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"receipt of incident {self.incident_id}"


class Message(models.Model):
    """A message between the desk and an anonymous reporter, sealed to the desk's ring and to
    the reporter's receipt-derived key."""

    class Author(models.TextChoices):
        DESK = "desk", _("The desk")
        REPORTER = "reporter", _("The person who reported")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=8, choices=Author.choices)
    body = SealedField()
    created_at = models.DateTimeField(auto_now_add=True)
    # When the other side first read it (the desk, for her messages: the inbox counts the unread).
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message #{self.pk}"


class ConsentRecord(models.Model):
    """One consent given or taken back, for one use: who gave it, how, and who recorded it. The
    incident's flags say what holds now; these rows say how it came to be."""

    class Use(models.TextChoices):
        STATISTICS = "statistics", _("Anonymous statistics")
        PUBLIC_APPEAL = "public_appeal", _("A public urgent appeal")
        UN = "un", _("UN mechanisms")

    class GivenBy(models.TextChoices):
        HERSELF = "herself", _("The person attacked herself")
        REPRESENTATIVE = "representative", _("Someone she chose to speak for her")

    class How(models.TextChoices):
        ONLINE = "online", _("Herself, on Amparo")
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        WRITING = "writing", _("In writing")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="consent_records")
    use = models.CharField(max_length=16, choices=Use.choices)
    given = models.BooleanField()
    given_by = models.CharField(max_length=16, choices=GivenBy.choices, default=GivenBy.HERSELF)
    how = models.CharField(max_length=16, choices=How.choices, default=How.ONLINE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"consent record #{self.pk}"


class ImportRun(models.Model):
    """One import of a file into a desk: who, when, through which mapping, and what it did.
    The import's audit entry points here; each imported incident points at the run that added
    it and the run that last changed it."""

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="+")
    # The mapping's name (e.g. "cpj_journalists_killed_1992_2018"): a source, not content.
    source = models.CharField(max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import #{self.pk}"


class ImportedRecord(models.Model):
    """An incident that came from a row of a file. `key` is a keyed index (service key) of the
    source and the row's identifier, so the next import of the file finds the incident again
    while a seized database shows no identifier; `digest`, a keyed digest of what the row
    mapped to, tells an unchanged row from an edited one."""

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="+")
    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="imported_from")
    key = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    first_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["desk", "key"], name="one_incident_per_imported_row"),
        ]

    def __str__(self) -> str:
        return f"imported record of incident {self.incident_id}"
