"""API authentication by token. Kept apart from `api.py`: DRF imports it while its own views
module loads, so it must not import DRF views itself."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from amparo.accounts import services
from amparo.accounts.models import User


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer amp_…` with a token created on the account's security page."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[User, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Malformed token header.")
        user = services.user_for_api_token(parts[1].decode("ascii", "replace"))
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        return user, None

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"
