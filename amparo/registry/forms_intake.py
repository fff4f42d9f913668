"""The public form for an anonymous report, and the form to come back with a receipt. Plain
words; everything optional; no JavaScript."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from amparo.core import uploads
from amparo.network import countries
from amparo.registry.models import ConsentRecord, Incident
from amparo.registry.services import IncidentData
from amparo.registry.services.intake import Upload

# What happens to a file's hidden details (registry services, `without_metadata`), said plainly.
PHOTOS_PROMISE = _("Photos lose their hidden details (place, phone, date) before they are locked. Other "
                   "files, and very large photos, are kept as they are: the team is told.")

# Said at the top of the page when the file was refused: the error itself is by the file.
NOT_SENT = _("Nothing was sent yet: the file is too large (see below). Everything you wrote is still here.")


class ShortReportForm(forms.Form):
    """The plain questions: what happened, when, where in words, who did it if she knows, is she
    safe now, what help she would like, a file. Everything optional; the desk completes the rest.
    The anonymous form and the form of a defender with an account are this one."""

    country = forms.ChoiceField(label=_("In which country?"), required=False,
                                help_text=_("It sends your words to the team that covers this country."))
    narrative = forms.CharField(label=_("What happened?"), required=False, max_length=20_000,
                                widget=forms.Textarea(attrs={"rows": 6}),
                                help_text=_("Write in your own words, as much or as little as you want."))
    when = forms.CharField(label=_("When? Even roughly"), required=False, max_length=200,
                           help_text=_("For example: last week, in March, early 2024."))
    where = forms.CharField(label=_("Where?"), required=False, max_length=500,
                            help_text=_("A town or a place, if you want to say."))
    targeted = forms.ChoiceField(label=_("Who was it done to?"), required=False, choices=[
        ("", _("I prefer not to say")), ("herself", _("Me")), ("colleague", _("A colleague")),
        ("relative", _("A relative")), ("organisation", _("An organisation or group"))],
        widget=forms.RadioSelect)
    perpetrator = forms.CharField(label=_("Who did it, if you know?"), required=False, max_length=1000)
    safe_now = forms.ChoiceField(label=_("Are you safe now?"), required=False, choices=[
        ("", _("I prefer not to say")), (Incident.Safety.YES, _("Yes")), (Incident.Safety.NO, _("No")),
        (Incident.Safety.UNSURE, _("I am not sure"))], widget=forms.RadioSelect)
    help_wanted = forms.CharField(label=_("What help would you like?"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    file = uploads.FileField(label=_("A file, if you have one (a photo, a document)"), required=False,
                             help_text=PHOTOS_PROMISE)
    consent_statistics = forms.BooleanField(
        label=_("You may count it, without any names, in the network's figures."), required=False)
    consent_public_appeal = forms.BooleanField(
        label=_("You may use it in a public call for action, after asking me through the messages here."),
        required=False)
    consent_un = forms.BooleanField(label=_("You may send it to the United Nations' experts."), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("I prefer not to say"))] + countries.choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_error("file", "too_large"):
            raise forms.ValidationError(NOT_SENT)
        said = ("narrative", "when", "where", "targeted", "perpetrator", "safe_now", "help_wanted", "file")
        if not any(data.get(name) for name in said):
            raise forms.ValidationError(_("Write a few words, answer one question or add a file, then send."))
        return data

    def incident_data(self) -> IncidentData:
        """Coarse fields in clear (country, consent, whether she is safe); her answer on help
        sealed in its own field; everything else she wrote, sealed, in the narrative, with plain
        headings the desk can read."""
        data = self.cleaned_data
        parts = [str(_("What happened")) + ": " + data["narrative"]] if data["narrative"] else []
        choices = {"targeted": dict(self.fields["targeted"].choices)}  # type: ignore[attr-defined]
        for name, heading in (("when", _("When")), ("targeted", _("Who was it done to")),
                              ("perpetrator", _("Who did it"))):
            value = data.get(name) or ""
            if value:
                text = str(choices[name][value]) if name in choices else value
                parts.append(f"{heading}: {text}")
        return IncidentData(
            country=data["country"] or "", locality=data["where"] or "", narrative="\n\n".join(parts),
            consent_statistics=data["consent_statistics"], consent_public_appeal=data["consent_public_appeal"],
            consent_un=data["consent_un"], safe_now=data["safe_now"] or "", help_wanted=data["help_wanted"] or "")


class AnonymousReportForm(ShortReportForm):
    receipt = forms.CharField(widget=forms.HiddenInput)
    binding = forms.CharField(widget=forms.HiddenInput)

    field_order = ["receipt", "binding"]


class OwnReportForm(ShortReportForm):
    """A defender with an account: the same plain questions, and whether she wants an e-mail
    when her desk writes."""

    submission_key = forms.CharField(widget=forms.HiddenInput, initial=lambda: secrets.token_urlsafe(24))
    notify = forms.BooleanField(
        label=_("Send me an e-mail when the team writes to me. It only says “you have a new message”."),
        required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].help_text = _("It sends your report to the team that covers this country.")
        self.fields["consent_public_appeal"].label = _(
            "You may use it in a public call for action, after asking me through the messages here.")


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("Your words"), max_length=300,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none",
                                                            "spellcheck": "false"}),
                              help_text=_("The words you were given, in order, separated by spaces."))
    # A message she wrote on a page that closed meanwhile: it waits in this page, in her
    # browser, and is sent once her words open the report again.
    text = forms.CharField(required=False, max_length=20_000, widget=forms.HiddenInput)


class ReporterMessageForm(forms.Form):
    text = forms.CharField(label=_("Write to the team"), required=False, max_length=20_000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    file = uploads.FileField(label=_("Add a file"), required=False, help_text=PHOTOS_PROMISE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_error("file", "too_large"):
            raise forms.ValidationError(NOT_SENT)
        if not (data.get("text") or "").strip() and not data.get("file") and not self.errors:
            # Otherwise the page would say "sent" for a message that was never stored.
            raise forms.ValidationError(_("Write a few words or add a file, then send."))
        return data


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Answer the person who reported"), max_length=20_000,
                           widget=forms.Textarea(attrs={"rows": 4}))



class DefenderMessageForm(forms.Form):
    """She writes to her desk from her report's page (a file may go with it)."""

    text = forms.CharField(label=_("Write to the team"), required=False, max_length=20_000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    file = uploads.FileField(label=_("Add a file"), required=False, help_text=PHOTOS_PROMISE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_error("file", "too_large"):
            raise forms.ValidationError(NOT_SENT)
        if not (data.get("text") or "").strip() and not data.get("file") and not self.errors:
            raise forms.ValidationError(_("Write a few words or add a file, then send."))
        return data


class NotifyForm(forms.Form):
    notify = forms.BooleanField(
        label=_("Send me an e-mail when the team writes to me. It only says “you have a new message”."),
        required=False)


class ConsentChangeForm(forms.Form):
    """Give or take back one use: her confirmation, or a member of the desk's record of it."""

    given = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")], widget=forms.HiddenInput)


class RecordedConsentForm(ConsentChangeForm):
    """A member of the desk records a consent she heard: who gave it and how."""

    given_by = forms.ChoiceField(label=_("Who gave it"), choices=ConsentRecord.GivenBy.choices,
                                 initial=ConsentRecord.GivenBy.HERSELF, widget=forms.RadioSelect)
    how = forms.ChoiceField(label=_("How"), widget=forms.RadioSelect, choices=[
        c for c in ConsentRecord.How.choices if c[0] != ConsentRecord.How.ONLINE])


def upload_of(form: forms.Form) -> Upload | None:
    """The file a form accepted (a file over the limit never gets here: the form refused it)."""
    found = form.cleaned_data.get("file")
    if found is None:
        return None
    return Upload(filename=found.name or "file", content_type=found.content_type or "", file=found,
                  size=found.size or 0)


def refused_file() -> str:
    return str(_("This file cannot be added: it is empty or larger than %(size)s.") % {
        "size": uploads.human_size(settings.ATTACHMENT_MAX_BYTES)})


def unstored_file() -> str:
    """The file storage did not take her file: nothing was sent, and she is told so."""
    return str(_("Your file could not be stored just now, so nothing was sent. What you wrote is still "
                 "here: choose the file again and send it in a few minutes."))
