"""The help desk's forms. Every refusal says what and why, and the form comes back filled."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from amparo.helpdesk.models import Category, ExpertProfile, HelpRequest, TrustedContact
from amparo.helpdesk.services.lockdown import MIN_CODE_LENGTH

LANGUAGES = [(code, name) for code, name in settings.LANGUAGES]
TEXT_MAX = 8000


def _choose_language(form: forms.Form, name: str) -> None:
    """The language names in the visitor's language (settings only marks them)."""
    field = form.fields[name]
    if isinstance(field, forms.ChoiceField):
        field.choices = _language_choices()


def _language_choices() -> list[tuple[str, str]]:
    from django.utils.translation import gettext

    return [(code, gettext(str(name))) for code, name in settings.LANGUAGES]


class CategoryForm(forms.Form):
    """Step one, by GET: what is happening, so the matching guides come first."""

    category = forms.ChoiceField(label=_("What is happening?"), choices=Category.choices)


class AskForm(forms.Form):
    category = forms.ChoiceField(label=_("What is happening?"), choices=Category.choices)
    language = forms.ChoiceField(label=_("The language you want the answer in"), choices=LANGUAGES)
    text = forms.CharField(
        label=_("Tell the expert what happened and what you need"), max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only the help desk's experts and you can read this. Do not write passwords."))
    submission_key = forms.CharField(widget=forms.HiddenInput)
    receipt = forms.CharField(required=False, widget=forms.HiddenInput)
    binding = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_language(self, "language")
        if not self.is_bound and not self.initial.get("submission_key"):
            self.initial["submission_key"] = secrets.token_urlsafe(24)


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Write to the expert"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 4}))


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("Your words"), max_length=400,
                              help_text=_("The words you were given when you asked for help."),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}))


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8}))
    status = forms.ChoiceField(label=_("Then the request is"), initial=HelpRequest.Status.WAITING,
                               choices=[(s.value, s.label) for s in (HelpRequest.Status.WAITING,
                                                                     HelpRequest.Status.OPEN,
                                                                     HelpRequest.Status.RESOLVED)])


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=HelpRequest.Status.choices)


class ProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Who you are"), choices=ExpertProfile.Kind.choices)
    languages = forms.MultipleChoiceField(label=_("Languages you answer in"), choices=LANGUAGES,
                                          widget=forms.CheckboxSelectMultiple)
    skills = forms.MultipleChoiceField(label=_("What you help with"), choices=Category.choices,
                                       widget=forms.CheckboxSelectMultiple)
    available = forms.BooleanField(label=_("I take new requests now"), required=False)
    lead = forms.BooleanField(label=_("Lead: unanswered requests are escalated to me"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_language(self, "languages")


class LockdownCodeForm(forms.Form):
    code = forms.CharField(label=_("Your lockdown code"), min_length=MIN_CODE_LENGTH, max_length=200,
                           help_text=_("At least 8 characters. Give it to the people you trust, on paper or "
                                       "in person, never in a message from this phone."),
                           widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}))
    code_again = forms.CharField(label=_("The same code again"), max_length=200,
                                 widget=forms.PasswordInput(render_value=True,
                                                            attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("code") and data.get("code") != data.get("code_again"):
            self.add_error("code_again", _("The two codes are not the same."))
        return data


class TrustedContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("How to warn them"), choices=TrustedContact.Channel.choices)
    address = forms.CharField(label=_("E-mail address or phone number"), max_length=200)
    language = forms.ChoiceField(label=_("Their language"), choices=LANGUAGES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_language(self, "language")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        address = (data.get("address") or "").strip()
        if data.get("channel") == TrustedContact.Channel.EMAIL and address:
            try:
                forms.EmailField().clean(address)
            except forms.ValidationError:
                self.add_error("address", _("This is not an e-mail address."))
        elif data.get("channel") == TrustedContact.Channel.SMS and address:
            digits = address.replace(" ", "").replace("-", "")
            if not (digits.startswith("+") and digits[1:].isdigit() and 8 <= len(digits) <= 16):
                self.add_error("address", _("Write the number with its country code, like +50499998888."))
        return data


class LockNowForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, lock my account down now"),
                                 error_messages={"required": _("Tick the box to lock your account down.")})


class ContactLockdownForm(forms.Form):
    username = forms.CharField(label=_("Her account name in Amparo"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}))
    code = forms.CharField(label=_("The lockdown code she gave you"), max_length=200,
                           widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}))


class UndoForm(forms.Form):
    identity_checked = forms.BooleanField(
        label=_("I have checked that it is really her (in person, or by a call to a number we knew before)"),
        error_messages={"required": _("Check who she is first, then tick the box.")})
