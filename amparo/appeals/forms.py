from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from amparo.core import uploads
from amparo.core.widgets import DateInput
from amparo.network import countries
from amparo.network.models import Desk
from amparo.registry.bounds import check_event_date
from amparo.registry.forms import TermChoices
from amparo.registry.models import Incident
from amparo.vocabulary.models import Term

from .models import LANGUAGES, Action, Addressee, AppealText, Response, Supporter
from .services import AppealData
from .services.subscriptions import Interests


def _submission_key() -> str:
    return secrets.token_urlsafe(24)


def _incident_label(incident: Incident) -> str:
    when = incident.occurred_on.isoformat() if incident.occurred_on else "—"
    where = countries.name(incident.country) if incident.country else "—"
    return f"#{incident.pk} · {when} · {where}"


class TextFields(forms.ModelForm):
    class Meta:
        model = AppealText
        fields = ["title", "summary", "background", "concerns", "actions", "letter"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "background": forms.Textarea(attrs={"rows": 5}),
            "concerns": forms.Textarea(attrs={"rows": 4}),
            "actions": forms.Textarea(attrs={"rows": 4}),
            "letter": forms.Textarea(attrs={"rows": 8}),
        }


class AppealForm(TextFields):
    """The original: its language, country, themes, the incident it comes from (only ones
    whose consent includes a public appeal) and its words. Nothing of the incident is copied."""

    submission_key = forms.CharField(widget=forms.HiddenInput, initial=_submission_key, required=False)
    incident = forms.ModelChoiceField(queryset=Incident.objects.none(), required=False,
                                      label=_("Incident it comes from"),
                                      help_text=_("Only incidents whose consent includes a public appeal are "
                                                  "offered. Nothing of the incident is copied: write what the "
                                                  "public may read."))
    language = forms.ChoiceField(label=_("Written in"), choices=LANGUAGES)
    country = forms.ChoiceField(label=_("Country"), required=False,
                                help_text=_("Taken from the incident when left empty."))
    themes = TermChoices(Term.Kind.THEME, label=_("Themes"))

    class Meta(TextFields.Meta):
        pass

    field_order = ["submission_key", "incident", "language", "country", "themes", "title", "summary", "background",
                   "concerns", "actions", "letter"]

    def __init__(self, *args: Any, desk: Desk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = Incident.objects.counted().filter(desk=desk)  # type: ignore[attr-defined]  # a ModelChoiceField: Form.fields is typed as the plain Field
        linkable = Incident.objects.counted().filter(desk=desk, consent_public_appeal=True).order_by("-created_at")
        self.fields["incident"].choices = [("", "—")] + [  # type: ignore[attr-defined]  # a ModelChoiceField: Form.fields is typed as the plain Field
            (i.pk, _incident_label(i)) for i in linkable[:200]]
        self.fields["country"].choices = [("", "—")] + countries.choices()  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field

    def clean_incident(self) -> Incident | None:
        incident = self.cleaned_data.get("incident")
        if incident is not None and not incident.consent_public_appeal:
            raise forms.ValidationError(_("This incident cannot be the subject of a public appeal: the defender "
                                          "has not consented to it."))
        return incident

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("country") and not data.get("incident"):
            self.add_error("country", _("Choose the country the appeal is about."))
        return data

    def appeal_data(self) -> AppealData:
        d = self.cleaned_data
        country = d.get("country") or (d["incident"].country[:2] if d.get("incident") else "")
        return AppealData(language=d["language"], country=country, themes=list(d["themes"]),
                          **{k: d.get(k, "") for k in ("title", "summary", "background", "concerns", "actions",
                                                       "letter")})


class AddresseeForm(forms.ModelForm):
    class Meta:
        model = Addressee
        fields = ["authority", "salutation", "email", "phone", "postal_address"]
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 3})}


class UpdateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("What is new"), widget=forms.Textarea(attrs={"rows": 6}))


class ResponseForm(forms.ModelForm):
    # Sealed columns: the form declares them (a model form leaves sealed fields out).
    source = forms.CharField(label=_("from"), max_length=200, required=False)
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Response
        fields = ["kind", "received_on"]
        widgets = {"received_on": DateInput()}

    field_order = ["kind", "received_on", "source", "note"]


class CloseForm(forms.Form):
    outcome = forms.ModelChoiceField(queryset=Term.objects.filter(kind=Term.Kind.OUTCOME, retired_at__isnull=True)
                                     .order_by("code"), label=_("Outcome"), widget=forms.RadioSelect, empty_label=None)
    outcome_on = forms.DateField(label=_("Date of the outcome"), widget=DateInput(),
                                 validators=[check_event_date])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].label_from_instance = (  # type: ignore[attr-defined]  # a ModelChoiceField: Form.fields is typed as the plain Field
            lambda t: f"› {t.label()}" if t.parent_id else t.label())


class ActionForm(forms.Form):
    """What she did, and where from. No name, no address."""

    # Hidden: only a changed page gets it wrong, and then the page must still say why.
    submission_key = forms.CharField(widget=forms.HiddenInput, initial=_submission_key, max_length=64,
                                     error_messages={"required": _("Please send the form again."),
                                                     "max_length": _("Please send the form again.")})
    kind = forms.ChoiceField(label=_("What did you do?"), choices=Action.Kind.choices, widget=forms.RadioSelect)
    country = forms.ChoiceField(label=_("Where are you? (optional)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—")] + countries.choices()  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field


class InterestsForm(forms.Form):
    languages = forms.MultipleChoiceField(label=_("Languages you read"), choices=LANGUAGES,
                                          widget=forms.CheckboxSelectMultiple, initial=["en"])
    countries = forms.MultipleChoiceField(label=_("Countries (optional)"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    themes = TermChoices(Term.Kind.THEME, label=_("Themes (optional)"))
    by_email = forms.BooleanField(label=_("By e-mail"), required=False, initial=True)
    by_sms = forms.BooleanField(label=_("By text message (SMS), short, with a link"), required=False)
    phone = forms.CharField(label=_("Mobile number for SMS (optional)"), required=False, max_length=32,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = countries.choices()  # type: ignore[attr-defined]  # a MultipleChoiceField: Form.fields is typed as the plain Field

    def chosen_countries(self) -> list[str]:
        """Names of the countries already chosen, for the closed list's summary."""
        value = self["countries"].value() or []
        return [countries.name(code) for code in value if code in countries.codes()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("by_sms") and not (data.get("phone") or "").strip() and not self.initial.get("has_phone"):
            self.add_error("phone", _("Give a mobile number to receive text messages."))
        if not data.get("by_email") and not data.get("by_sms"):
            self.add_error("by_email", _("Choose at least one way to receive appeals."))
        return data

    def interests(self) -> Interests:
        d = self.cleaned_data
        # Her preference order is unknown from checkboxes: the language she reads this page in first.
        active = (translation.get_language() or "en")[:2]
        languages = sorted(d["languages"], key=lambda code: code != active)
        return Interests(languages=languages, countries=list(d["countries"]), themes=list(d["themes"]),
                         by_email=d["by_email"], by_sms=d["by_sms"])


class SubscribeForm(InterestsForm):
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    name = forms.CharField(label=_("Name (optional)"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("You subscribe as"), choices=Supporter.Kind.choices,
                             initial=Supporter.Kind.INDIVIDUAL, widget=forms.RadioSelect)

    field_order = ["email", "name", "kind", "languages", "countries", "themes", "by_email", "by_sms", "phone"]


class ImportForm(forms.Form):
    file = uploads.FileField(label=_("CSV file"),
                           help_text=_("Columns: email, name, phone, languages (e.g. es,en), countries (e.g. HN GT), "
                                       "themes (codes), sms (yes/no)."))


class ExportForm(forms.Form):
    code = forms.CharField(label=_("Code from your authenticator app"), max_length=32,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))
