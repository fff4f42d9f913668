"""The OpenAPI schema says every status an endpoint really answers, not only its success.

drf-spectacular documents the 200 or 201 of each view; clients (and the schemathesis run in
CI, `amparo/tests/test_fuzz_api.py`) also meet the refusals, so they are described here once,
from what each view is made of, instead of by hand on every view:

- 401 everywhere: no credentials where they are needed, or a token that is malformed,
  unknown, expired or revoked (checked even on the public endpoints when one is sent);
- 403 where a role decides (any permission class beyond "signed in" or "anyone"), and on
  writes, where a session without its CSRF token is refused;
- 404 where the path names an object (another desk's object answers as a missing one) and on
  paginated lists (a page past the end);
- 400 on writes that take a body (the answer names each problem);
- 429 where the view has a throttle.

A view documents any other answer (409, a 404 of its own) with `extend_schema(responses=...)`;
what it declares is kept.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions

# Permission classes that let anyone in, or anyone signed in: no 403 of their own.
NO_ROLE = (permissions.AllowAny, permissions.IsAuthenticated)

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "Why, in words for people"}},
    "additionalProperties": True,
}
PROBLEMS = {
    "type": "object",
    "description": "Each field's problems by name (`non_field_errors` for the whole request), or `detail`",
    "additionalProperties": True,
}

SLUG = "^[-a-zA-Z0-9_]+$"  # Django's `slug` path converter

DESCRIPTIONS = {
    "400": "The request was refused; the answer names each problem.",
    "401": "No credentials where they are needed, or a token that is malformed, unknown, expired or revoked.",
    "403": "This role may never use the endpoint (or a session write came without its CSRF token).",
    "404": "No such object among those this person may see, or a page past the end.",
    "429": "Too many requests; try again after the time in Retry-After.",
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the refusals each view answers (see the module)."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in self._error_statuses():
            if code not in responses:
                body = PROBLEMS if code == "400" else ERROR
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=body, description=DESCRIPTIONS[code]), code, direction=direction)
        return responses

    def _error_statuses(self) -> list[str]:
        view, method = self.view, self.method.upper()
        write = method not in permissions.SAFE_METHODS
        chosen = {"401"}
        checks = view.get_permissions() if hasattr(view, "get_permissions") else []
        if write or any(not isinstance(check, NO_ROLE) for check in checks):
            chosen.add("403")
        if "{" in self.path or (method == "GET" and self._is_list_view() and self._get_paginator() is not None):
            chosen.add("404")
        if write and self._get_request_body() is not None:
            chosen.add("400")
        if hasattr(view, "get_throttles") and view.get_throttles():
            chosen.add("429")
        return sorted(chosen)

    def _resolve_path_parameters(self, variables: Any) -> list[dict[str, Any]]:
        """Say what Django's converters take (digits for `int`, letters, digits, - and _ for
        `slug`): another path is no endpoint at all."""
        parameters: list[dict[str, Any]] = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            schema, route = parameter.get("schema", {}), str(self.path_regex)
            if schema.get("type") == "integer" and f"<int:{parameter['name']}>" in route:
                schema.setdefault("minimum", 0)
            if schema.get("type") == "string" and f"<slug:{parameter['name']}>" in route:
                schema.setdefault("pattern", SLUG)
        return parameters
