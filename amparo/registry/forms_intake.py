"""The public form for an anonymous report, and the form to come back with a receipt. Plain
words; everything optional; no JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.core import uploads
from amparo.network import countries
from amparo.registry.services import IncidentData

# What happens to a file's hidden details (registry services, `without_metadata`), said plainly.
PHOTOS_PROMISE = _("Photos lose their hidden details (place, phone, date) before they are locked. Other "
                   "files, and very large photos, are kept as they are: the team is told.")

# Said at the top of the page when the file was refused: the error itself is by the file.
NOT_SENT = _("Nothing was sent yet: the file is too large (see below). Everything you wrote is still here.")


class AnonymousReportForm(forms.Form):
    receipt = forms.CharField(widget=forms.HiddenInput)
    binding = forms.CharField(widget=forms.HiddenInput)
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
        ("", _("I prefer not to say")), ("yes", _("Yes")), ("no", _("No")), ("unsure", _("I am not sure"))],
        widget=forms.RadioSelect)
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
        """Coarse fields in clear (country, consent); everything she wrote, sealed, in the
        narrative, with plain headings the desk can read."""
        data = self.cleaned_data
        parts = [str(_("What happened")) + ": " + data["narrative"]] if data["narrative"] else []
        choices = {name: dict(self.fields[name].choices)  # type: ignore[attr-defined]
                   for name in ("targeted", "safe_now")}
        for name, heading in (("when", _("When")), ("targeted", _("Who was it done to")),
                              ("perpetrator", _("Who did it")), ("safe_now", _("Safe now")),
                              ("help_wanted", _("Help wanted"))):
            value = data.get(name) or ""
            if value:
                text = str(choices[name][value]) if name in choices else value
                parts.append(f"{heading}: {text}")
        return IncidentData(
            country=data["country"] or "", locality=data["where"] or "", narrative="\n\n".join(parts),
            consent_statistics=data["consent_statistics"], consent_public_appeal=data["consent_public_appeal"],
            consent_un=data["consent_un"])


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

