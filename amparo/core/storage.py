"""The embedded storage of sealed files: a folder under MEDIA_ROOT, written whole or not at all.

`STORAGES["attachments"]` names it by default (an S3-compatible bucket otherwise, see
docs/deploy.md). Code never builds a path to a stored file: it goes through
`django.core.files.storage.storages["attachments"]`, whichever backend that is.

What Django's own FileSystemStorage does not do, and this one does:
- the folder follows MEDIA_ROOT when no `location` is given (`subfolder` under it), so a test
  or a restore that moves MEDIA_ROOT moves the files with it;
- a file is created exclusively (never over another one), flushed to the disk before `save`
  returns (the row that points at it is written after), and removed if writing it fails part
  way (a full disk leaves nothing half-stored behind).
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="amparo.core.storage.SealedFileStorage")
class SealedFileStorage(FileSystemStorage):
    def __init__(self, location: str | None = None, subfolder: str = "", **options: Any) -> None:
        self._subfolder, self._given_location = subfolder, location
        super().__init__(location=location, **options)

    @cached_property
    def base_location(self) -> str:
        if self._given_location is not None:
            return self._given_location
        return os.path.join(settings.MEDIA_ROOT, self._subfolder) if self._subfolder else str(settings.MEDIA_ROOT)

    def _save(self, name: str, content: Any) -> str:
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            with os.fdopen(fd, "wb") as target:
                for chunk in content.chunks():
                    target.write(chunk)
                target.flush()
                os.fsync(target.fileno())
        except BaseException:
            # Nothing half-written stays behind (a full disk, a killed process's last words).
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            raise
        return name
