"""GET /api/v1/stats/incidents: the statistics as JSON or CSV, from `stats.compute`.

Anonymous callers (and anyone without a desk to see) get only the public tables (public=1),
read from the version the public-table job published (with `as_of`, the time it was computed;
never computed in the request); desk staff get exact numbers for the desks they may see, or for
one of them with desk=SLUG, computed at once."""

from __future__ import annotations

from collections.abc import Mapping
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import renderers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from amparo.analytics import published_pages, stats
from amparo.analytics.services import public as services_public
from amparo.core.api import has_nul
from amparo.network.models import Desk

RESERVED = ("group_by", "public", "format", "language", "desk")


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: Mapping[str, Any] | None = None) -> bytes:
        view = (renderer_context or {}).get("view")
        result = getattr(view, "result", None)
        if result is None:  # an error: its message, one line
            return str(data.get("detail", data) if isinstance(data, dict) else data).encode()
        return stats.to_csv(result).encode()


class PublicOrSignedIn(drf_permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return _public(request) or bool(request.user and request.user.is_authenticated)


def _public(request: Request) -> bool:
    return request.query_params.get("public", "") in ("1", "true", "yes")


def _refuse(visible: list[int]) -> None:
    """403 for someone without a desk to see (exact numbers are for desk staff)."""
    if not visible:
        raise PermissionDenied("Only desk staff see exact numbers; ask for public=1.")


class StatsIncidents(APIView):
    """Counts of incidents and victims grouped by group_by (e.g. country,year), filtered by
    any dimension (year, from, to, country, region with grouping, attack_type, perpetrator,
    state, risk_factor, profile, gender, status, level). `public=1` answers the fixed public
    tables only. `format=csv` gives CSV."""

    permission_classes = [PublicOrSignedIn]
    result: stats.Result | None = None
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("group_by", str, description="Comma-separated dimensions, e.g. country,year"),
            OpenApiParameter("public", bool, description="The fixed public tables, with suppression"),
            OpenApiParameter("desk", str, description="A desk's slug (desk staff)"),
            OpenApiParameter("format", str, enum=["json", "csv"]),
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            202: OpenApiResponse(OpenApiTypes.OBJECT, description="public=1 before the public tables' first "
                                                                  "computation: ask again after Retry-After"),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="A dimension, filter or value it does not know"),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Exact numbers without a desk to see: ask for "
                                                                  "public=1"),
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such desk among those she may see"),
        },
        description="Counts of incidents and victims; any other parameter is a filter (docs/analytics.md).",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        group_by = params.get("group_by") or "country,year"
        filters = {k: v for k, v in params.items() if k not in RESERVED}
        language = (params.get("language") or translation.get_language() or "en")[:2]
        public = _public(request)
        desks: list[int] | None = None
        visible: list[int] | None = None
        if not public:
            # Her desks' ids: one query compiled once per process (the staff figures answer
            # in a few milliseconds, docs/analytics.md).
            visible = desks = stats.desk_ids_for(request.user)
            if params.get("desk"):
                desks = [] if has_nul(params["desk"]) or not visible else list(
                    Desk.objects.filter(pk__in=visible, slug=params["desk"]).values_list("pk", flat=True))
                if not desks:
                    _refuse(visible)
                    raise NotFound("No such desk among those you may see.")
        elif params.get("desk"):
            filters["desk"] = params["desk"]  # refused below with the public tables' message
        if public:
            return self._published(request, group_by, filters, language)
        try:
            result = stats.compute(group_by, filters, desks=desks, public=public, language=language)
        except stats.InvalidQuery as problem:
            if visible is not None:
                _refuse(visible)
            return Response({"detail": str(problem)}, status=status.HTTP_400_BAD_REQUEST)
        if visible is not None and not result.total.get("incidents"):
            _refuse(visible)  # nothing counted: perhaps because she has no desk to see
        return self._answer(request, result)

    def _answer(self, request: Request, result: stats.Result) -> Response:
        self.result = result  # for the CSV renderer
        response = Response(result.as_dict())
        if getattr(request, "accepted_renderer", None) and request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = 'attachment; filename="amparo-statistics.csv"'
        return response

    def _published(self, request: Request, group_by: str, filters: dict[str, Any], language: str) -> Any:
        """A public table from the published version (never computed here), its rendering kept
        per version, language and question; 202 with Retry-After before the first run."""
        version = stats.published_version()
        if version is None:
            try:  # a question the public tables refuse is still a 400, job or no job
                stats.check_public(stats.parse_group_by(group_by), stats.parse_filters(filters), None)
            except stats.InvalidQuery as problem:
                return Response({"detail": str(problem)}, status=status.HTTP_400_BAD_REQUEST)
            services_public.queue_first_version()
            return Response({"detail": _("The figures are being prepared. Please come back in a minute."),
                             "preparing": True}, status=status.HTTP_202_ACCEPTED, headers={"Retry-After": "60"})
        csv = getattr(request, "accepted_renderer", None) is not None and request.accepted_renderer.format == "csv"
        parts = _parts(request._request, language)

        def render() -> Any:
            try:
                result = stats.published(group_by, filters, language=language, version=version)
            except stats.InvalidQuery as problem:
                return Response({"detail": str(problem)}, status=status.HTTP_400_BAD_REQUEST)
            if csv:
                answer = HttpResponse(stats.to_csv(result).encode(), content_type="text/csv; charset=utf-8")
                answer["Content-Disposition"] = 'attachment; filename="amparo-statistics.csv"'
                return answer
            body = {**result.as_dict(), "as_of": version.computed_at.isoformat()}
            return HttpResponse(renderers.JSONRenderer().render(body), content_type="application/json")

        with translation.override(language):
            return published_pages.cached("api", request._request, version, parts, render, personal=False)


def _parts(request: Any, language: str) -> str:
    """What a public answer depends on besides the version: the question as asked (every
    parameter), the language and how the format is negotiated (format=, Accept)."""
    return repr((sorted(request.GET.lists()), language, request.headers.get("Accept", "")))


_drf_view = StatsIncidents.as_view()


@wraps(_drf_view)
def stats_incidents(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
    """The URL's view: a public answer already rendered for this version, language and question
    is given back before the REST framework's dispatch; anything else goes through it."""
    if (request.method == "GET" and request.GET.get("public", "") in ("1", "true", "yes")
            and "Authorization" not in request.headers):
        version = stats.published_version()
        if version is not None:
            language = (request.GET.get("language") or translation.get_language() or "en")[:2]
            with translation.override(language):
                kept = published_pages.lookup("api", request, version, _parts(request, language))
            if kept is not None:
                patch_vary_headers(kept, ("Accept",))
                kept["Allow"] = "GET, HEAD, OPTIONS"
                return kept
    return _drf_view(request, *args, **kwargs)
