from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.core import uploads
from amparo.core.widgets import DateInput
from amparo.network import countries
from amparo.network.models import Desk
from amparo.registry import bounds
from amparo.registry.models import Defender, Incident
from amparo.registry.services import IncidentData
from amparo.vocabulary.models import Term


class TermChoices(forms.ModelMultipleChoiceField):
    """Checkboxes of one kind of term, in the reader's language; retired terms are not
    offered, but stay valid on a record that already has them."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        # Codes are hierarchical ("attack.threat", "attack.threat.death"): ordering by code puts
        # each narrower term right under its broader one.
        super().__init__(queryset=Term.objects.filter(kind=kind, retired_at__isnull=True).order_by("code"), **kwargs)
        self.kind = kind

    def label_from_instance(self, obj: Term) -> str:
        text = obj.label()
        if obj.kind == Term.Kind.PERPETRATOR and obj.state_actor is not None and obj.parent_id:
            text = f"{text} — {_('state') if obj.state_actor else _('non-state')}"
        return f"› {text}" if obj.parent_id else text

    def include(self, chosen: QuerySet[Term]) -> None:
        """Keep a record's retired terms selectable on its edit form."""
        self.queryset = (self.queryset | chosen.filter(kind=self.kind)).distinct()  # type: ignore[operator]  # the stub types ModelChoiceField.queryset as possibly None; it is set in __init__


def _submission_key() -> str:
    return secrets.token_urlsafe(24)


class IncidentForm(forms.Form):
    """What happened, when, where, to whom and by whom. Every field is optional but one: a
    record with nothing in it helps nobody, so a date, a place or a description is asked for."""

    submission_key = forms.CharField(widget=forms.HiddenInput, initial=_submission_key)
    narrative = forms.CharField(label=_("What happened"), required=False,
                                widget=forms.Textarea(attrs={"rows": 5}))
    occurred_on = forms.DateField(label=_("When"), required=False,
                                  widget=DateInput(), validators=[bounds.check_event_date],
                                  help_text=_("If you do not know the day, pick any day of the month or year "
                                              "and say so below."))
    date_precision = forms.ChoiceField(label=_("How exact is the date?"), choices=Incident.Precision.choices,
                                       initial=Incident.Precision.DAY)
    country = forms.ChoiceField(label=_("Country"), required=False)
    subdivision = forms.CharField(label=_("Region (ISO code, e.g. HN-FM)"), max_length=8, required=False)
    locality = forms.CharField(label=_("Town or place"), max_length=300, required=False)
    coordinates = forms.CharField(label=_("Coordinates (latitude, longitude)"), max_length=60, required=False)
    defender_name = forms.CharField(label=_("Name of the person or group attacked"), max_length=300,
                                    required=False)
    defender_kind = forms.ChoiceField(label=_("Who was attacked"), choices=Defender.Kind.choices,
                                      initial=Defender.Kind.INDIVIDUAL)
    victims = forms.IntegerField(label=_("How many people were attacked"), min_value=0,
                                 max_value=bounds.MAX_VICTIMS, initial=1)
    attack_types = TermChoices(Term.Kind.ATTACK_TYPE, label=_("Type of attack"))
    perpetrators = TermChoices(Term.Kind.PERPETRATOR, label=_("Who did it"))
    risk_factors = TermChoices(Term.Kind.RISK_FACTOR, label=_("Risk factors"))
    profiles = TermChoices(Term.Kind.PROFILE, label=_("Profile of the people attacked"))
    victim_genders = TermChoices(Term.Kind.GENDER, label=_("Gender of the people attacked"))
    sources = forms.CharField(label=_("Sources"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reported_to_authorities = forms.ChoiceField(label=_("Was it reported to the authorities?"),
                                                choices=Incident.Reported.choices,
                                                initial=Incident.Reported.UNKNOWN)
    reported_on = forms.DateField(label=_("Reported on"), required=False,
                                  widget=DateInput(), validators=[bounds.check_event_date])
    reported_to = forms.CharField(label=_("Reported to"), max_length=200, required=False)
    justice = forms.ChoiceField(label=_("State of the justice process"), choices=Incident.Justice.choices,
                                initial=Incident.Justice.NONE)
    safe_now = forms.ChoiceField(label=_("Is she safe now?"), choices=Incident.Safety.choices, required=False,
                                 initial=Incident.Safety.UNKNOWN)
    help_wanted = forms.CharField(label=_("What help she would like"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    consent_statistics = forms.BooleanField(label=_("May be counted in anonymous statistics"), required=False)
    consent_public_appeal = forms.BooleanField(label=_("May be the subject of a public urgent appeal"),
                                               required=False)
    consent_un = forms.BooleanField(label=_("May be shared with UN mechanisms"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—")] + countries.choices()  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field

    def clean_coordinates(self) -> str:
        return bounds.normal_coordinates(self.cleaned_data["coordinates"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sub = (data.get("subdivision") or "").strip().upper()
        if sub and (not data.get("country") or sub not in countries.subdivision_codes(data["country"])):
            self.add_error("subdivision", _("This region code is not one of the chosen country's."))
        data["subdivision"] = sub
        if not any(data.get(f) for f in ("narrative", "occurred_on", "country", "attack_types", "defender_name")):
            raise forms.ValidationError(_("Write at least what happened, when, where or to whom."))
        return data

    def incident_data(self) -> IncidentData:
        d = self.cleaned_data
        return IncidentData(
            occurred_on=d["occurred_on"], date_precision=d["date_precision"], country=d["country"] or "",
            subdivision=d["subdivision"], locality=d["locality"], coordinates=d["coordinates"],
            narrative=d["narrative"], sources=d["sources"], attack_types=list(d["attack_types"]),
            perpetrators=list(d["perpetrators"]), risk_factors=list(d["risk_factors"]),
            profiles=list(d["profiles"]), victim_genders=list(d["victim_genders"]),
            victims=d["victims"] if d["victims"] is not None else 1,
            reported_to_authorities=d["reported_to_authorities"], reported_on=d["reported_on"],
            reported_to=d["reported_to"], justice=d["justice"], consent_statistics=d["consent_statistics"],
            consent_public_appeal=d["consent_public_appeal"], consent_un=d["consent_un"],
            safe_now=d.get("safe_now") or "", help_wanted=d.get("help_wanted") or "",
        )


class InboxFilter(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + list(Incident.Status.choices))
    country = forms.ChoiceField(label=_("Country"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput(),
                            validators=[bounds.check_period_date])
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput(),
                            validators=[bounds.check_period_date])
    attack_type = forms.ModelChoiceField(label=_("Type of attack"), required=False,
                                         queryset=Term.objects.filter(kind=Term.Kind.ATTACK_TYPE))
    perpetrator = forms.ModelChoiceField(label=_("Perpetrator"), required=False,
                                         queryset=Term.objects.filter(kind=Term.Kind.PERPETRATOR))
    state = forms.ChoiceField(label=_("State or non-state"), required=False, choices=[
        ("", _("Either")), ("state", _("State actor")), ("non_state", _("Non-state actor"))])
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    name = forms.CharField(label=_("Name of a defender"), required=False, max_length=300)
    order = forms.ChoiceField(label=_("Order"), required=False, choices=[
        ("", _("Newest first")), ("danger", _("Not safe and not sure first"))])

    def __init__(self, *args: Any, assignees: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country"))] + countries.choices()  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field
        self.fields["assignee"].choices = [("", _("Anyone")), ("none", _("Nobody"))] + assignees  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field
        for name in ("attack_type", "perpetrator"):
            self.fields[name].label_from_instance = lambda term: term.label()  # type: ignore[attr-defined]  # a ModelChoiceField: Form.fields is typed as the plain Field


class FollowUpForm(forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=DateInput(),
                                  validators=[bounds.check_event_date])
    note = forms.CharField(label=_("What happened since"), widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    file = uploads.FileField(label=_("Add a file"), help_text=_(
        "Photos lose their hidden details, such as where they were taken; other files, and very large "
        "photos, are kept as they are."))


class MoveForm(forms.Form):
    desk: forms.ModelChoiceField[Desk] = forms.ModelChoiceField(label=_("Move to the desk"),
                                                                queryset=Desk.objects.none())

    def __init__(self, *args: Any, desks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = desks  # type: ignore[attr-defined]  # a ModelChoiceField: Form.fields is typed as the plain Field


class DuplicateForm(forms.Form):
    original = forms.IntegerField(label=_("Number of the incident it repeats"), min_value=1,
                                  max_value=2**63 - 1)  # an id (a 64-bit integer): more is no incident
