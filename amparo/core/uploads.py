"""Files sent with a form: kept in memory (never a clear temporary file on disk), each up to
ATTACHMENT_MAX_BYTES, and never dropped without a word.

Django's memory-only handler, given a larger request, simply leaves the file out of
`request.FILES`: the form is then valid without it, and a report was saved while its evidence
was gone. Here a file over the limit stops being kept as soon as it passes the limit (its
bytes are read and thrown away, so the fields after it still arrive), and a `TooLargeFile`
stands in its place: every file field of the site (`FileField` below) answers it with a clear
error, so the form comes back filled in and nothing is stored.

A file's name is kept whole, whatever its length and script (Django cuts names at 255
characters for file systems; ours are stored under random names, sealed, so nothing needs
cutting).
"""

from __future__ import annotations

import io
import os
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext

# Django reads a part's headers (its name, file name and type) within 1 KiB: a file name of
# 300 emoji (4 bytes each in UTF-8) would make the whole form fail, her words with it. A file
# name of 255 characters of any script fits in 4 KiB; the bound stays small.
PART_HEADERS_MAX_BYTES = 4096


def _whole_name(name: str | None) -> str | None:
    return os.path.basename(name) if name is not None else None


class WholeNameFile(InMemoryUploadedFile):
    """A file in memory whose name is kept whole (only the folder part is removed)."""

    def _set_whole_name(self, name: str | None) -> None:
        self._name = _whole_name(name)

    name = property(UploadedFile._get_name, _set_whole_name)  # type: ignore[attr-defined]  # UploadedFile._get_name is private and absent from django-stubs


class FileTooLarge(RequestDataTooBig):
    """Code read a file that was refused for its size: a 400, never an empty file stored."""


class TooLargeFile(UploadedFile):
    """Stands in for a file over the limit. It has a name and a size, no content: reading it
    is a mistake (a form's FileField refuses it first)."""

    too_large = True

    def __init__(self, name: str, content_type: str, size: int, limit: int) -> None:
        super().__init__(file=None, name=None, content_type=content_type, size=size)
        self._name, self.limit = _whole_name(name), limit

    def open(self, *args: Any, **kwargs: Any) -> Any:
        raise FileTooLarge("file over the limit")

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        raise FileTooLarge("file over the limit")

    def chunks(self, chunk_size: int | None = None) -> Any:
        raise FileTooLarge("file over the limit")

    def close(self) -> None:
        return None


class BoundedMemoryUpload(FileUploadHandler):
    """Each file in memory up to `limit` bytes (ATTACHMENT_MAX_BYTES unless a view sets
    another); past it, the file's bytes are no longer kept and a TooLargeFile takes its place."""

    def __init__(self, request: HttpRequest | None = None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = limit if limit is not None else settings.ATTACHMENT_MAX_BYTES
        self.buffer: io.BytesIO | None = None
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer, self.received = io.BytesIO(), 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.buffer is not None:
            if self.received > self.limit:
                self.buffer = None  # stop keeping it; what was kept is let go at once
            else:
                self.buffer.write(raw_data)

    def file_complete(self, file_size: int) -> UploadedFile:
        name, content_type = self.file_name or "file", self.content_type or ""
        if self.buffer is None:
            return TooLargeFile(name, content_type, self.received, self.limit)
        self.buffer.seek(0)
        found = WholeNameFile(file=self.buffer, field_name=self.field_name, name=name,
                              content_type=content_type, size=file_size, charset=self.charset,
                              content_type_extra=self.content_type_extra)
        self.buffer = None
        return found


def human_size(size: int) -> str:
    """A size as people say it: "20 MB", "1.5 MB", "300 KB" (in the visitor's language)."""
    mb = size / (1024 * 1024)
    if mb >= 1:
        shown = number_format(mb, decimal_pos=0 if mb == int(mb) else 1)
        return gettext("%(number)s MB") % {"number": shown}
    return gettext("%(number)s KB") % {"number": number_format(max(1, round(size / 1024)))}


def _at_most(size: int) -> str:
    return gettext("%(size)s at most.") % {"size": human_size(size)}


def too_large_message(limit: int) -> str:
    return gettext("This file is larger than %(size)s: it was not kept, and nothing was sent. "
                   "Choose a smaller file (or send it in parts), then send again.") % {"size": human_size(limit)}


def _limit_and_help(limit: int | None, own: str) -> str:
    size = limit if limit is not None else int(settings.ATTACHMENT_MAX_BYTES)
    return f"{_at_most(size)} {own}".strip()


limit_and_help = lazy(_limit_and_help, str)


class FileField(forms.FileField):
    """A form's file field: refuses a file over the limit with a clear message, and shows the
    limit beside the field ("20 MB at most.", before any help text of its own), read from the
    settings when the page is drawn."""

    def __init__(self, *args: Any, limit: int | None = None, **kwargs: Any) -> None:
        self.limit = limit
        kwargs["help_text"] = limit_and_help(limit, kwargs.get("help_text", ""))
        super().__init__(*args, **kwargs)

    def effective_limit(self) -> int:
        return self.limit if self.limit is not None else int(settings.ATTACHMENT_MAX_BYTES)

    def to_python(self, data: Any) -> Any:
        if getattr(data, "too_large", False):
            raise forms.ValidationError(too_large_message(min(self.effective_limit(), data.limit)),
                                        code="too_large")
        found = super().to_python(data)
        if found is not None and found.size is not None and found.size > self.effective_limit():
            raise forms.ValidationError(too_large_message(self.effective_limit()), code="too_large")
        return found
