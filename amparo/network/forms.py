from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.network import countries
from amparo.network.models import Desk, Network, Organisation, Role


class CountriesField(forms.CharField):
    """Country codes typed as text ("HN, GT"): lighter on a phone than a 250-item list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Two-letter ISO codes separated by commas, e.g. HN, GT."))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # narrows Field.to_python's return to the list this field gives
        text = super().to_python(value)
        try:
            return countries.normalise(text or "")
        except ValueError as exc:
            raise forms.ValidationError(
                _("These are not country codes: %(codes)s"), params={"codes": str(exc)}
            ) from exc

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value


class DeskForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Short name (used in links)"), max_length=50)
    countries = CountriesField(label=_("Countries covered"))

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if Desk.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another desk already uses this short name."))
        return slug


class DeskEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    countries = CountriesField(label=_("Countries covered"))


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    country = forms.CharField(label=_("Country code"), max_length=2, required=False)

    def clean_country(self) -> str:
        code: str = self.cleaned_data["country"].strip().upper()
        if code and code not in countries.codes():
            raise forms.ValidationError(_("This is not a country code."))
        return code


class RoleInNetworkForm(forms.Form):
    """The role, desk and organisation fields shared by giving a role and inviting someone:
    desks and organisations of this network only, and a documenter needs a desk."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    desk = forms.ModelChoiceField(label=_("Desk"), queryset=Desk.objects.none(), required=False,
                                  help_text=_("Needed for documenters."))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["desk"].queryset = network.desks.all()  # type: ignore[attr-defined]  # a ModelChoiceField: Form.fields is typed as the plain Field
        self.fields["organisation"].queryset = network.organisations.all()  # type: ignore[attr-defined]  # a ModelChoiceField: Form.fields is typed as the plain Field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.DOCUMENTER and not data.get("desk"):
            self.add_error("desk", _("A documenter belongs to a desk."))
        return data


class MembershipForm(RoleInNetworkForm):
    username = forms.CharField(label=_("Username of the person"), max_length=150)
    field_order = ["username", "role", "desk", "organisation"]

    def clean_username(self) -> User:
        user = User.objects.filter(username=self.cleaned_data["username"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody has this username."))
        return user


class InviteForm(RoleInNetworkForm):
    email = forms.EmailField(label=_("E-mail address"))
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES)
    field_order = ["email", "role", "desk", "organisation", "language"]


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150,
        help_text=_("It does not need to be your real name. Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    first_name = forms.CharField(label=_("What should we call you? (optional)"), max_length=150,
                                 required=False)
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("At least 15 characters. A few unrelated words work well."))
    password2 = forms.CharField(label=_("The same password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        validator = User.username_validator
        validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken. Please choose another."))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            try:
                password_validation.validate_password(first, User(username=data.get("username", "")))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ContactForm(forms.Form):
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    address = forms.CharField(label=_("Address"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}))
    alternative_email = forms.EmailField(label=_("Another e-mail address"), required=False)
    emergency_contact = forms.CharField(
        label=_("Who to call in an emergency, and how"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SheetForm(forms.Form):
    sheet = forms.CharField(label=_("The recovery sheet's code"), max_length=120,
                            widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Short name (used in links)"), max_length=50)
    country = forms.CharField(label=_("Country code"), max_length=2)

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if Network.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another network already uses this short name."))
        return slug

    def clean_country(self) -> str:
        code: str = self.cleaned_data["country"].strip().upper()
        if code not in countries.codes():
            raise forms.ValidationError(_("This is not a country code."))
        return code
