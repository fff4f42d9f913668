"""Server-side sessions whose keys are not stored: the database holds a hash of each session
key, so a copy of the database (or a read of the session table) cannot be replayed as a
cookie. The browser's cookie is the only place the key itself exists.

Django's database store with one change: every lookup, insert and delete goes through
`stored_key`. The hash fits Django's 40-character column (160 bits of SHA-256: session keys
are 32 random characters, so no salt or key is needed against guessing)."""

from __future__ import annotations

import hashlib
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

PREFIX = "h:"


def stored_key(session_key: str) -> str:
    """What the database keeps for a session key."""
    return PREFIX + hashlib.sha256(session_key.encode()).hexdigest()[:38]


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        try:
            return self.model.objects.get(session_key=stored_key(self.session_key or ""),
                                          expire_date__gt=timezone.now())
        except (self.model.DoesNotExist, SuspiciousOperation):
            self._session_key = None
            return None

    def exists(self, session_key: str) -> bool:
        return bool(self.model.objects.filter(session_key=stored_key(session_key)).exists())

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        return self.model(session_key=stored_key(self._get_or_create_session_key()),  # type: ignore[attr-defined]  # SessionBase's private helper is absent from django-stubs
                          session_data=self.encode(data), expire_date=self.get_expiry_date())

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        if key is None:
            return
        self.model.objects.filter(session_key=stored_key(key)).delete()

    # The async twins go through the same hashing (Django's own would query raw keys).
    async def _aget_session_from_db(self) -> Any:
        return await sync_to_async(self._get_session_from_db)()

    async def aexists(self, session_key: str) -> bool:
        return await sync_to_async(self.exists)(session_key)

    async def acreate_model_instance(self, data: dict[str, Any]) -> Any:
        return await sync_to_async(self.create_model_instance)(data)

    async def adelete(self, session_key: str | None = None) -> None:
        await sync_to_async(self.delete)(session_key)
