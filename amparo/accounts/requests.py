"""What a view asks of the request about who is there: one place, so no app copies it."""

from __future__ import annotations

from django.http import HttpRequest

from amparo.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in person of a view behind a login decorator. Raises if there is none, which
    would mean a view forgot its decorator: better a 500 in a test than acting as nobody."""
    if not isinstance(request.user, User):
        raise PermissionError("this view needs a signed-in person")
    return request.user
