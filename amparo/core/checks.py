from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

CSRF = "amparo.core.middleware.NoReferrerCsrfMiddleware"


@register(Tags.security, deploy=False)
def csrf_middleware_present(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Stands in for Django's security.W003, silenced because our CSRF middleware is a subclass."""
    if CSRF not in settings.MIDDLEWARE:
        return [Error(f"{CSRF} must be in MIDDLEWARE: every form relies on it.", id="amparo.E001")]
    return []
