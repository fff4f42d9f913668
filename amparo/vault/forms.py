from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RecoverForm(forms.Form):
    code = forms.CharField(label=_("Your key's recovery code"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
    password = forms.CharField(label=_("Your current password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class PasswordProofForm(forms.Form):
    """Her password again, before something that would let whoever holds the phone take over."""

    password = forms.CharField(label=_("Your current password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
