"""A desk's import and export page. Thin views: parse, authorise, call `importing` or
`exporting`, render.

Who may do what (docs/import.md):
- importing a file writes to the desk, sealed with the desk's public key only, so the desk's
  documenters and the coordinators of its network may do it (another desk's documenter: 404);
- exporting opens every sealed part, so only the desk's documenters who hold its key, with
  their key unlocked in this session, may do it; a coordinator without the key may not (403).

The uploaded file stays in memory (never a temporary file, whatever the site's upload
settings), up to IMPORT_UPLOAD_MAX_BYTES; a larger file is refused with a pointer to the
command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from amparo.accounts.requests import signed_in_user
from amparo.core.middleware import NoReferrerCsrfMiddleware
from amparo.core.security import staff_page
from amparo.network import permissions
from amparo.network.models import Role
from amparo.registry.transfer import exporting, importing
from amparo.registry.transfer.importing import progress
from amparo.vault import session as vault_session

SHOWN_ERRORS = 200
csrf_protect = decorator_from_middleware(NoReferrerCsrfMiddleware)


class InMemoryUpload(MemoryFileUploadHandler):
    """Keeps an upload in memory up to IMPORT_UPLOAD_MAX_BYTES, whatever
    FILE_UPLOAD_MAX_MEMORY_SIZE says; a larger request is not kept at all (never spilled to a
    temporary file): its file is simply missing, and the view says why."""

    def handle_raw_input(self, input_data: Any, META: Any, content_length: int, boundary: Any,  # noqa: N803
                         encoding: str | None = None) -> None:
        self.activated = content_length <= settings.IMPORT_UPLOAD_MAX_BYTES


def shipped_mappings() -> dict[str, Path]:
    """The mappings kept with the project (docs/mappings), by name."""
    folder = Path(settings.IMPORT_MAPPINGS_DIR)
    return {p.stem: p for p in sorted(folder.glob("*.json"))} if folder.is_dir() else {}


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"), widget=forms.ClearableFileInput(
        attrs={"accept": ".csv,text/csv"}))
    mapping = forms.ChoiceField(label=gettext_lazy("Mapping"), required=False, help_text=gettext_lazy(
        "How the file's columns and words become incidents."))
    mapping_file = forms.FileField(label=gettext_lazy("Or your own mapping (JSON)"), required=False,
                                   widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}))
    dry_run = forms.BooleanField(label=gettext_lazy("Only check the file: write nothing"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mapping"].choices = [("", "—"), *((name, name) for name in shipped_mappings())]  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen, own = data.get("mapping"), data.get("mapping_file")
        if bool(chosen) == bool(own):
            raise forms.ValidationError(_("Choose a mapping, or send your own (not both)."))
        try:
            if own:
                data["mapping_json"] = json.loads(own.read().decode("utf-8-sig"))
            else:
                data["mapping_json"] = json.loads(shipped_mappings()[str(chosen)].read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, OSError) as exc:
            raise forms.ValidationError(_("This mapping is not a JSON file.")) from exc
        return data


def _max_mb() -> float:
    return round(settings.IMPORT_UPLOAD_MAX_BYTES / (1024 * 1024), 1)


@csrf_exempt  # checked below, once the upload handler is in place (Django's documented way)
@require_http_methods(["GET", "POST"])
@permissions.desk_staff_required
@staff_page
def transfer(request: HttpRequest, desk_slug: str) -> HttpResponseBase:
    request.upload_handlers = [InMemoryUpload(request)]
    return _transfer(request, desk_slug)


@csrf_protect
def _transfer(request: HttpRequest, desk_slug: str) -> HttpResponse:
    desk = permissions.desk_for_viewer(request.user, desk_slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    result, problems = None, []
    too_large = request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) \
        > settings.IMPORT_UPLOAD_MAX_BYTES
    if too_large:
        form = UploadForm()
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importing.import_bytes(upload.read(), desk, form.cleaned_data["mapping_json"],
                                            actor=signed_in_user(request), dry_run=form.cleaned_data["dry_run"])
        except importing.MappingError as exc:
            problems = exc.problems
        if result is not None and result.ok:
            # Checked or imported: offer the next step, with the same mapping and no dry run
            # (a file input never comes back filled anyway).
            form = UploadForm(initial={"mapping": form.cleaned_data.get("mapping")})
    errors = result.errors if result else []
    error_count = result.error_count if result else 0
    is_documenter = permissions.is_documenter_of(request.user, desk)
    return render(request, "registry/transfer/page.html", {
        "desk": desk, "form": form, "result": result, "problems": problems, "too_large": too_large,
        "errors": errors[:SHOWN_ERRORS], "more_errors": max(0, error_count - SHOWN_ERRORS),
        "errors_by_column": result.errors_by_column if result and error_count > SHOWN_ERRORS else [],
        "under_way": progress.under_way(desk),
        "max_mb": _max_mb(), "may_export": is_documenter and exporting.may_export(request.user, desk),
        "unlocked": vault_session.unlocked_for(request) is not None,
    })


@require_GET
@permissions.role_required(Role.DOCUMENTER)
@staff_page
def export(request: HttpRequest, desk_slug: str, fmt: str) -> HttpResponseBase:
    """The desk's incidents, opened with her key as they stream out; audited."""
    desk = get_object_or_404(permissions.documented_desks(request.user).select_related("network"), slug=desk_slug)
    if fmt not in exporting.FORMATS:
        raise Http404
    unlocked = vault_session.unlocked_for(request)
    if unlocked is None or not exporting.may_export(request.user, desk):
        return render(request, "network/key_locked.html")
    exporting.record_export(signed_in_user(request), desk, fmt)
    if fmt == "csv":
        chunks: Any = exporting.csv_chunks(desk, unlocked)
        content_type = "text/csv; charset=utf-8"
    else:
        chunks, content_type = exporting.json_chunks(desk, unlocked), "application/json"
    response = StreamingHttpResponse(chunks, content_type=content_type)
    name = f"{desk.slug}-incidents-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
