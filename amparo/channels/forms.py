"""The desk's mailbox settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MailboxForm(forms.Form):
    host = forms.CharField(label=_("IMAP server"), max_length=200,
                           help_text=_("For example imap.example.org"))
    port = forms.IntegerField(label=_("Port"), min_value=1, max_value=65535, initial=993)
    use_tls = forms.BooleanField(label=_("Encrypted connection (IMAPS)"), required=False, initial=True)
    username = forms.CharField(label=_("User name"), max_length=200,
                               widget=forms.TextInput(attrs={"autocomplete": "off"}))
    password = forms.CharField(label=_("Password"), required=False, max_length=500, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("Sealed on the server. Leave empty to keep the one saved."))
    enabled = forms.BooleanField(label=_("Read this mailbox every few minutes"), required=False, initial=True)
