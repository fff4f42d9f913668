"""The shared results as a PDF (WeasyPrint): a standalone document with its style inline, so
the fetcher refuses every URL — nothing is loaded from anywhere, not even our own files."""

from __future__ import annotations

from typing import Any


def _refusing_fetcher() -> Any:
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]  # weasyprint ships no type hints

    class RefuseAll(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError("the survey PDF loads nothing")

    return RefuseAll(allowed_protocols=(), allow_redirects=False)


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # weasyprint ships no type hints

    return bytes(HTML(string=html, base_url="https://amparo.invalid/", url_fetcher=_refusing_fetcher()).write_pdf())
