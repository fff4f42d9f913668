"""Assessment report pages. Who may ask for and read reports (docs/maps-and-reports.md):

- a coordinator asks for public or internal reports of the networks she coordinates, and reads
  every report of those networks (an internal one is sealed to her too, when she asked for it);
- a documenter asks for internal reports of her own desks, and reads the internal reports
  sealed to her desks (she holds the ring's key);
- everyone else gets 403, and a report of another network or desk answers 404.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Max, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from amparo.accounts.models import User
from amparo.accounts.requests import signed_in_user
from amparo.analytics import reports, services
from amparo.analytics.models import SECTIONS, Grouping, Report
from amparo.core.security import staff_page
from amparo.core.widgets import DateInput
from amparo.network import countries, permissions
from amparo.network.models import Desk, Network, Role
from amparo.registry.bounds import check_period_date
from amparo.registry.models import Incident
from amparo.vault import session as vault_session
from amparo.vault.errors import KeyLocked, NotAReader, Tampered

report_staff_required = permissions.role_required(Role.COORDINATOR, Role.DOCUMENTER)


class ReportForm(forms.Form):
    network = forms.ModelChoiceField(label=gettext_lazy("Network"), queryset=Network.objects.none(), empty_label=None)
    audience = forms.ChoiceField(label=gettext_lazy("Audience"), choices=Report.Audience.choices,
                                 widget=forms.RadioSelect, initial=Report.Audience.INTERNAL)
    date_from = forms.DateField(label=gettext_lazy("From"), widget=DateInput(),
                                validators=[check_period_date])
    date_to = forms.DateField(label=gettext_lazy("To"), widget=DateInput(),
                              validators=[check_period_date])
    desks = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Desks (internal reports; none: every desk of the network)"), required=False,
        queryset=Desk.objects.none(), widget=forms.CheckboxSelectMultiple)
    countries = forms.CharField(label=gettext_lazy("Countries (internal reports; ISO codes, e.g. CO, HN)"),
                                required=False, max_length=400)
    grouping = forms.ChoiceField(label=gettext_lazy("Regions"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language of the report"), choices=settings.LANGUAGES)
    sections = forms.MultipleChoiceField(label=gettext_lazy("Sections"), choices=SECTIONS,
                                         widget=forms.CheckboxSelectMultiple, initial=[c for c, _n in SECTIONS])
    introduction = forms.CharField(label=gettext_lazy("Introduction (optional)"), required=False, max_length=4000,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    submission_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.coordinated = permissions.coordinated_networks(user)
        self.documented = permissions.documented_desks(user)
        self.fields["network"].queryset = Network.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField: Form.fields is typed as the plain Field
            pk__in=[*self.coordinated.values_list("pk", flat=True),
                    *self.documented.values_list("network_id", flat=True)]).order_by("name")
        self.fields["desks"].queryset = (permissions.visible_desks(user)  # type: ignore[attr-defined]  # a ModelChoiceField: Form.fields is typed as the plain Field
                                         if self.coordinated.exists() else self.documented).order_by("name")
        self.fields["grouping"].choices = [(g.code, g.label()) for g in Grouping.objects.all()]  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field
        if not self.coordinated.exists():  # a documenter: internal reports of her own desks only
            self.fields["audience"].choices = [(Report.Audience.INTERNAL, Report.Audience.INTERNAL.label)]  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field
        self.initial.setdefault("language", (translation.get_language() or "en")[:2])
        self.initial.setdefault("submission_key", secrets.token_urlsafe(24))
        first, last = self._period_of_the_data()
        self.initial.setdefault("date_from", first)
        self.initial.setdefault("date_to", last)

    def _period_of_the_data(self) -> tuple[date, date]:
        """From the first of January of the earliest incident she may report on to today (or
        the latest incident, if dated later): a report asked for as it comes covers the data.
        Without any dated incident, the last twelve months."""
        today = date.today()  # noqa: DTZ011 - a calendar default, not a moment
        desks = self.fields["desks"].queryset  # type: ignore[attr-defined]  # a ModelChoiceField: Form.fields is typed as the plain Field
        found = Incident.objects.counted().filter(desk__in=desks).aggregate(
            first=Min("occurred_on"), last=Max("occurred_on"))
        if found["first"] is None:
            return today - timedelta(days=365), today
        return date(found["first"].year, 1, 1), max(today, found["last"])

    def clean_countries(self) -> list[str]:
        raw = self.cleaned_data.get("countries") or ""
        try:
            return countries.normalise(raw)
        except ValueError as unknown:
            raise forms.ValidationError(_("Unknown country codes: %(codes)s.") % {"codes": unknown}) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        network, desks = data.get("network"), list(data.get("desks") or [])
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end comes before the start."))
        if network is None:
            return data
        coordinates = self.coordinated.filter(pk=network.pk).exists()
        if data.get("audience") == Report.Audience.PUBLIC:
            if not coordinates:
                self.add_error("audience", _("Only a coordinator of the network can ask for a public report."))
            if desks or data.get("countries"):
                self.add_error(None, _("A public report covers the public tables as a whole: choose no desk and no "
                                       "country."))
        else:
            if not coordinates:  # a documenter: her own desks in this network
                own = list(self.documented.filter(network=network))
                if not own or any(d not in own for d in desks):
                    self.add_error("desks", _("Choose among your own desks."))
                desks = desks or own
            else:
                in_network = Desk.objects.filter(network__in=[network, *network.children.all()])
                if any(not in_network.filter(pk=d.pk).exists() for d in desks):
                    self.add_error("desks", _("Choose desks of this network."))
                desks = desks or list(in_network.order_by("name"))
            if not desks:
                self.add_error("desks", _("This network has no desk whose key could lock the report."))
            data["desks"] = desks
        return data


def _visible(request: HttpRequest, pk: int | None = None) -> list[Report]:
    user = signed_in_user(request)
    return reports.visible_reports(user, permissions.documented_desks(user), permissions.coordinated_networks(user),
                                   pk=pk)


@require_http_methods(["GET", "POST"])
@report_staff_required
@staff_page
def reports_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = ReportForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = services.request_report(
            user, network_=data["network"], audience=data["audience"], language=data["language"],
            date_from=data["date_from"], date_to=data["date_to"],
            desks=list(data.get("desks") or []) if data["audience"] == Report.Audience.INTERNAL else [],
            countries=data["countries"], grouping=data.get("grouping") or "", sections=data["sections"],
            introduction=data["introduction"], submission_key=data["submission_key"])
        messages.success(request, _("The report is being made. This page shows when it is ready."))
        return redirect("analytics:report", report_id=report.pk)
    return render(request, "analytics/reports/list.html", {"form": form, "reports": _visible(request)})


def _report(request: HttpRequest, report_id: int) -> Report:
    found = _visible(request, pk=report_id)
    if not found:
        raise Http404
    return found[0]


@require_GET
@report_staff_required
@staff_page
def report_page(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    html = ""
    if report.status == Report.Status.DONE:
        try:
            html = reports.open_html(report, vault_session.unlocked_for(request))
        except (KeyLocked, NotAReader, Tampered):
            return render(request, "network/key_locked.html")
    return render(request, "analytics/reports/page.html", {
        "report": report, "html": html, "refresh": not report.finished,
        "titles": dict(SECTIONS),
    })


@require_GET
@report_staff_required
@staff_page
def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    if report.status != Report.Status.DONE:
        raise Http404
    try:
        pdf = reports.open_pdf(report, vault_session.unlocked_for(request))
    except (KeyLocked, NotAReader, Tampered):
        return render(request, "network/key_locked.html", status=403)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"amparo-report-{report.pk}-{report.language}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
