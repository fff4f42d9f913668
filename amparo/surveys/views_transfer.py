"""XLSForm import and export, the XForm export, and invitations by e-mail: owners only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from amparo.accounts.requests import signed_in_user
from amparo.core.security import staff_page
from amparo.network import permissions

from . import queries, services, xlsform
from .forms import ImportForm, InviteForm

owner_required = permissions.coordinator_required
MAX_BYTES = 2 * 1024 * 1024


@require_http_methods(["GET", "POST"])
@owner_required
@staff_page
def import_xlsform(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = ImportForm(request.POST or None, request.FILES or None, networks=permissions.coordinated_networks(user))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_BYTES:
                raise xlsform.XLSFormRefused(_("This file is larger than 2 MB."))
            spec = xlsform.read_xlsform(upload.read())
            survey = services.create_survey(user, form.cleaned_data["network"], spec, imported=True)
        except (xlsform.XLSFormRefused, ValidationError) as exc:
            form.add_error("file", exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("The survey is imported as a draft."))
            return redirect("surveys:detail", survey_id=survey.pk)
    return render(request, "surveys/import.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
@owner_required
@staff_page
def export_xlsform(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = queries.survey_for_owner(request.user, survey_id)
    response = HttpResponse(xlsform.write_xlsform(queries.spec_of(survey)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{survey.form_id}.xlsx"'
    return response


@require_GET
@owner_required
@staff_page
def export_xform(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = queries.survey_for_owner(request.user, survey_id)
    response = HttpResponse(xlsform.write_xform(queries.spec_of(survey)), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{survey.form_id}.xml"'
    return response


@require_http_methods(["GET", "POST"])
@owner_required
@staff_page
def invite(request: HttpRequest, survey_id: int) -> HttpResponse:
    user = signed_in_user(request)
    survey = queries.survey_for_owner(user, survey_id)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent, skipped = services.send_invitations(user, survey, form.cleaned_data["emails"],
                                                  base_url=request.build_absolute_uri("/").rstrip("/"))
        messages.success(request, ngettext("%(n)s invitation sent.", "%(n)s invitations sent.", sent) % {"n": sent})
        if skipped:
            messages.info(request, ngettext("%(n)s address was invited before: not sent again.",
                                            "%(n)s addresses were invited before: not sent again.", skipped)
                          % {"n": skipped})
        return redirect("surveys:detail", survey_id=survey.pk)
    return render(request, "surveys/invite.html", {"survey": survey, "form": form},
                  status=400 if form.errors else 200)
