"""The support forms: her request (asked by her, or filed for her), a reviewer's decision, a
message, her receipt, a fund of the directory and the directory's CSV. No field asks her for
proof: what she writes is her word."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from amparo.network import countries

from .models import LANGUAGES, Applicant, Decision, Fund, Kind, Urgency
from .services import FundData, RequestData

CURRENCIES = [("USD", "USD"), ("EUR", "EUR"), ("HNL", "HNL"), ("GTQ", "GTQ"), ("MXN", "MXN"), ("COP", "COP"),
              ("BRL", "BRL"), ("XOF", "XOF"), ("CDF", "CDF"), ("KES", "KES")]


def _submission_key() -> str:
    return secrets.token_urlsafe(24)


def _text(label: Any, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=4000, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class RequestForm(forms.Form):
    submission_key = forms.CharField(widget=forms.HiddenInput, initial=_submission_key, required=False)
    kind = forms.ChoiceField(label=_("What help do you need?"), choices=Kind.choices, widget=forms.RadioSelect,
                             help_text=_("Digital help goes to the help desk."))
    urgency = forms.ChoiceField(label=_("How urgent is it?"), choices=Urgency.choices, widget=forms.RadioSelect,
                                initial=Urgency.HIGH)
    help_wanted = _text(_("What help would you like?"))
    what_happened = _text(_("What happened, in a few words"), 4)
    amount = forms.DecimalField(label=_("Amount"), required=False, min_value=Decimal(1), max_digits=12,
                                decimal_places=2, help_text=_("If you know it. Leave empty if you do not."))
    currency = forms.ChoiceField(label=_("Currency"), choices=[("", "—"), *CURRENCIES], required=False)
    country = forms.ChoiceField(label=_("Country where you are"), required=False)
    language = forms.ChoiceField(label=_("Language for our answer"), choices=LANGUAGES)
    applicant = forms.ChoiceField(label=_("Who asks"), choices=Applicant.choices, initial=Applicant.INDIVIDUAL)
    women_trans_led = forms.BooleanField(label=_("Women- or trans-led"), required=False, initial=True)
    other_help = _text(_("Other help you already have or asked for"), 2)
    abroad = forms.BooleanField(label=_("Relocation abroad (not in my country)"), required=False)
    months = forms.IntegerField(label=_("For how many months"), required=False, min_value=1, max_value=36)
    travellers = _text(_("Who travels (you, and family members if they come)"), 2)
    destination = _text(_("Where to, and where you would stay"), 2)
    travel_security = _text(_("How the journey can be safe"), 2)
    return_plan = _text(_("How and when you could return"), 2)

    RELOCATION = ("abroad", "months", "travellers", "destination", "travel_security", "return_plan")
    DETAILS = ("help_wanted", "what_happened", "other_help", "travellers", "destination", "travel_security",
               "return_plan")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = translation.get_language() or "en"
        self.fields["country"].choices = [("", "—"), *countries.choices(language)]  # type: ignore[attr-defined]  # a ChoiceField
        if not self.is_bound and "language" not in self.initial:
            self.initial["language"] = language[:2] if language[:2] in dict(LANGUAGES) else "en"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("amount") and not data.get("currency"):
            self.add_error("currency", _("Say in which currency the amount is."))
        return data

    def request_data(self, incidents: list[Any] | None = None) -> RequestData:
        d = self.cleaned_data
        return RequestData(kind=d["kind"], urgency=d["urgency"], amount=d.get("amount"),
                           currency=d.get("currency") or "", country=d.get("country") or "",
                           language=d["language"], applicant=d["applicant"],
                           women_trans_led=bool(d.get("women_trans_led")), abroad=bool(d.get("abroad")),
                           months=d.get("months"), details={name: d.get(name) or "" for name in self.DETAILS},
                           incidents=incidents or [])


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    amount = forms.DecimalField(label=_("Amount approved"), required=False, min_value=Decimal(1), max_digits=12,
                                decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=[("", "—"), *CURRENCIES], required=False,
                                 help_text=_("The request's currency when left empty."))
    fund = forms.ModelChoiceField(label=_("Referred to"), queryset=Fund.objects.none(), required=False)
    note = _text(_("For her to read: the reason, or what you need to know"), 3,
                 _("Sealed: only she and the fund reviewers read it. Never ask her for proof."))

    def __init__(self, *args: Any, funds: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if funds is not None:
            self.fields["fund"].queryset = funds  # type: ignore[attr-defined]  # a ModelChoiceField


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("The words of your receipt"), max_length=300,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none",
                                                            "spellcheck": "false"}))


class FundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    runner = forms.CharField(label=_("Who runs it"), max_length=200, required=False)
    languages = forms.MultipleChoiceField(label=_("Languages accepted"), choices=LANGUAGES, required=False,
                                          widget=forms.CheckboxSelectMultiple,
                                          help_text=_("None ticked: any language."))
    countries = forms.CharField(label=_("Countries (ISO codes)"), max_length=500, required=False,
                                help_text=_("Separated by commas, e.g. HN, GT. Empty: anywhere."))
    applicants = forms.MultipleChoiceField(label=_("Who may apply"), choices=Applicant.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    women_trans_led_only = forms.BooleanField(label=_("Only women- or trans-led"), required=False)
    covers = forms.MultipleChoiceField(label=_("What it pays for"), choices=Kind.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    relocation_abroad = forms.BooleanField(label=_("Pays relocation abroad"), required=False, initial=True)
    does_not_pay = forms.CharField(label=_("What it does not pay for"), max_length=500, required=False)
    max_amount = forms.DecimalField(label=_("Maximum amount"), required=False, min_value=Decimal(0),
                                    max_digits=12, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=[("", "—"), *CURRENCIES], required=False)
    decision_hours = forms.IntegerField(label=_("Typical decision time (hours)"), min_value=1, initial=72)
    payment_days = forms.IntegerField(label=_("Typical payment time (days)"), min_value=0, initial=7)
    how_to_apply = forms.CharField(label=_("How to apply"), required=False, max_length=4000,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    contact = forms.CharField(label=_("Private contact"), required=False, max_length=500,
                              help_text=_("Sealed: only coordinators and fund reviewers read it. Leave empty to "
                                          "keep the one stored."))

    def clean_countries(self) -> list[str]:
        try:
            return countries.normalise(self.cleaned_data.get("countries") or "")
        except ValueError as unknown:
            raise forms.ValidationError(_("Unknown country codes: %(codes)s") % {"codes": str(unknown)}) from unknown

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("max_amount") is not None and not data.get("currency"):
            self.add_error("currency", _("Say in which currency the maximum is."))
        return data

    def fund_data(self) -> FundData:
        d = self.cleaned_data
        return FundData(name=d["name"], runner=d.get("runner") or "", languages=list(d.get("languages") or []),
                        countries=list(d.get("countries") or []), applicants=list(d.get("applicants") or []),
                        women_trans_led_only=bool(d.get("women_trans_led_only")), covers=list(d.get("covers") or []),
                        relocation_abroad=bool(d.get("relocation_abroad")), does_not_pay=d.get("does_not_pay") or "",
                        max_amount=d.get("max_amount"), currency=d.get("currency") or "",
                        decision_hours=d["decision_hours"], payment_days=d["payment_days"],
                        how_to_apply=d.get("how_to_apply") or "")

    @classmethod
    def initial_for(cls, fund: Fund) -> dict[str, Any]:
        return {name: getattr(fund, name) for name in cls.base_fields if name != "contact"} | {
            "countries": ", ".join(fund.countries)}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
