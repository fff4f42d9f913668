"""The directory of funds: read by coordinators and fund reviewers, kept by coordinators (add,
edit, CSV import and export of the public facts)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.requests import signed_in_user
from amparo.core.security import staff_page
from amparo.network import permissions
from amparo.vault import session as vault_session
from amparo.vault.errors import KeyLocked, NotAReader, Tampered

from . import queries, rules, sealing, services
from .forms import FundForm, ImportForm
from .models import Fund


def _contacts(request: HttpRequest, funds: list[Fund]) -> dict[int, str]:
    unlocked = vault_session.unlocked_for(request)
    opened = {}
    for fund in funds:
        try:
            opened[fund.pk] = sealing.open_fund_contact(unlocked, fund)
        except (KeyLocked, NotAReader, Tampered):
            opened[fund.pk] = ""
    return opened


@require_GET
@rules.directory_required
@staff_page
def funds(request: HttpRequest) -> HttpResponse:
    return _funds_page(request)


def _funds_page(request: HttpRequest, import_form: ImportForm | None = None, status: int = 200) -> HttpResponse:
    user = signed_in_user(request)
    listed = list(queries.directory_for(user).order_by("name")[:500])
    contacts = _contacts(request, listed)
    editable = set(queries.editable_funds(user).values_list("pk", flat=True))
    return render(request, "support/funds.html", {
        "funds": [(f, contacts.get(f.pk, ""), f.pk in editable) for f in listed],
        "networks": list(permissions.coordinated_networks(user).order_by("kind", "name")),
        "import_form": import_form or ImportForm()}, status=status)


@require_http_methods(["GET", "POST"])
@rules.coordinator_required
@staff_page
def fund_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    network = rules.coordinated_network(user, request)
    form = FundForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.add_fund(user, network, form.fund_data(), contact=form.cleaned_data.get("contact") or "")
            messages.success(request, _("The fund is in the directory."))
            return redirect("support:funds")
        return render(request, "support/fund_form.html", {"form": form, "network": network}, status=400)
    return render(request, "support/fund_form.html", {"form": form, "network": network})


@require_http_methods(["GET", "POST"])
@rules.coordinator_required
@staff_page
def fund_edit(request: HttpRequest, fund_id: int) -> HttpResponse:
    user = signed_in_user(request)
    fund = rules.editable_fund(user, fund_id)
    form = FundForm(request.POST or None, initial=FundForm.initial_for(fund))
    if request.method == "POST":
        if form.is_valid():
            services.edit_fund(user, fund, form.fund_data(), contact=form.cleaned_data.get("contact") or None)
            messages.success(request, _("Saved."))
            return redirect("support:funds")
        return render(request, "support/fund_form.html", {"form": form, "fund": fund, "network": fund.network},
                      status=400)
    return render(request, "support/fund_form.html", {"form": form, "fund": fund, "network": fund.network})


@require_GET
@rules.coordinator_required
def funds_export(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    network = rules.coordinated_network(user, request)
    response = HttpResponse(services.export_funds(user, network), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="funds-{network.slug}.csv"'
    return response


@require_POST
@rules.coordinator_required
def funds_import(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    network = rules.coordinated_network(user, request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused_import(request, form)
    try:
        count = services.import_funds(user, network, form.cleaned_data["file"].read().decode("utf-8", "replace"))
    except services.ImportRefused as refused:
        form.add_error("file", str(refused))
        return _refused_import(request, form)
    messages.success(request, _("%(n)s funds read into the directory.") % {"n": count})
    return redirect("support:funds")


def _refused_import(request: HttpRequest, form: ImportForm) -> HttpResponse:
    return _funds_page(request, import_form=form, status=400)
