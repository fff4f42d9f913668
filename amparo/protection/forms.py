"""The protection forms. Each refuses with a reason on the field it concerns."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.core.widgets import DateInput
from amparo.registry.models import Incident

from . import risk, un_document
from .models import Measure, Protocol, UnCommunication

ROWS = {"threats": 3, "vulnerabilities": 3, "capacities": 3}
NAMES = {"threats": _("Threat"), "vulnerabilities": _("Vulnerability"), "capacities": _("Capacity")}
DATE = DateInput()


class AssessmentForm(forms.Form):
    """Three rows of each kind (no JavaScript: a blank row is left out); each row a text and a
    rating; a threat may point at one of her documented incidents."""

    reason = forms.CharField(label=_("What changed since the last assessment, and why"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, incidents: list[tuple[int, str]], reassessment: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reassessment = reassessment
        if not reassessment:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True
        for kind, count in ROWS.items():
            for n in range(count):
                self.fields[f"{kind}_{n}_text"] = forms.CharField(
                    label=f"{NAMES[kind]} {n + 1}", required=False, max_length=500)
                self.fields[f"{kind}_{n}_rating"] = forms.TypedChoiceField(
                    label=_("Rating"), choices=risk.RATINGS, coerce=int, initial=3)
                if kind == "threats":
                    self.fields[f"{kind}_{n}_incident"] = forms.TypedChoiceField(
                        label=_("Documented incident"), required=False, coerce=int, empty_value=None,
                        choices=[("", _("Not yet acted on (no incident)")), *incidents])

    def rows(self) -> list[tuple[str, list[list[forms.BoundField]]]]:
        """Bound fields grouped for the template: per kind, per row."""
        out = []
        for kind, count in ROWS.items():
            rows = []
            for n in range(count):
                names = [f"{kind}_{n}_text", f"{kind}_{n}_rating"] + ([f"{kind}_{n}_incident"]
                                                                      if kind == "threats" else [])
                rows.append([self[name] for name in names])
            out.append((str({"threats": _("Threats"), "vulnerabilities": _("Vulnerabilities"),
                             "capacities": _("Capacities")}[kind]), rows))
        return out

    def items(self) -> list[dict[str, Any]]:
        found = []
        for kind, count in ROWS.items():
            for n in range(count):
                text = self.cleaned_data.get(f"{kind}_{n}_text", "").strip()
                if text:
                    found.append({"kind": kind, "text": text, "rating": self.cleaned_data[f"{kind}_{n}_rating"],
                                  "incident": self.cleaned_data.get(f"{kind}_{n}_incident")})
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in ROWS:
            if not any(str(data.get(f"{kind}_{n}_text", "")).strip() for n in range(ROWS[kind])):
                self.add_error(f"{kind}_0_text", _("Name at least one."))
        return data


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("What it does"), choices=Measure.Kind.choices)
    text = forms.CharField(label=_("Measure"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("Who does it"), max_length=200)
    due_on = forms.DateField(label=_("Due by"), required=False, widget=DATE)


class ProtocolForm(forms.Form):
    kind = forms.ChoiceField(label=_("Protocol"), choices=Protocol.Kind.choices)
    steps = forms.CharField(label=_("Steps, one per line (leave empty to start from the usual steps)"),
                            required=False, widget=forms.Textarea(attrs={"rows": 4}))


class CheckInForm(forms.Form):
    contact_name = forms.CharField(label=_("Safety contact's name"), max_length=200)
    contact_phone = forms.CharField(label=_("Safety contact's phone"), max_length=32, required=False)
    contact_email = forms.EmailField(label=_("Safety contact's e-mail"), required=False)
    contact_language = forms.ChoiceField(label=_("Language of her alerts"), initial="es",
                                         choices=[("es", "Español"), ("en", "English"), ("fr", "Français"),
                                                  ("pt", "Português")])
    every_hours = forms.IntegerField(label=_("Every how many hours"), min_value=1, max_value=168, initial=12)
    grace_minutes = forms.IntegerField(label=_("Grace period before the alert (minutes)"), min_value=0,
                                       max_value=1440, initial=60)
    first_due_in_hours = forms.IntegerField(label=_("First check-in due in (hours)"), min_value=1, max_value=168,
                                            initial=12)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("contact_phone") or data.get("contact_email")) and "contact_email" not in self.errors:
            self.add_error("contact_phone", _("Give her phone or her e-mail: the alert needs one of them."))
        return data


class ComplaintForm(forms.Form):
    authority = forms.CharField(label=_("Authority that received it"), max_length=300)
    filed_on = forms.DateField(label=_("Filed on"), required=False, widget=DATE)
    case_number = forms.CharField(label=_("Case number"), max_length=100, required=False)
    stage = forms.ChoiceField(label=_("Stage reached"),
                              choices=[c for c in Incident.Justice.choices if c[0] != Incident.Justice.NONE])
    notes = forms.CharField(label=_("Obstacles met, outcome"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage reached"),
                              choices=[c for c in Incident.Justice.choices if c[0] != Incident.Justice.NONE])


class CommunicationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the communication"), choices=UnCommunication.Language.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for element in un_document.ELEMENTS:
            widget = forms.Textarea(attrs={"rows": 4}) if element.long else forms.TextInput()
            self.fields[element.key] = forms.CharField(label=element.label, required=False, widget=widget,
                                                       max_length=20000)

    def elements(self) -> dict[str, str]:
        return {key: str(self.cleaned_data.get(key, "")).strip() for key in un_document.KEYS}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for element in un_document.ELEMENTS:
            if not str(data.get(element.key, "")).strip():
                self.add_error(element.key, _("The special procedures require this."))
        return data


class SentForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE)


class ReplyForm(forms.Form):
    replied_on = forms.DateField(label=_("Reply received on"), widget=DATE)
    reply = forms.CharField(label=_("What the reply says"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
