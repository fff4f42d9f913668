"""A link's server address, as a phone app is given it: text, and a QR code."""

from __future__ import annotations

import base64
import json
import zlib

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _


def address(token: str) -> str:
    """The server address a phone app is given, on the site's public address."""
    return settings.AMPARO_PUBLIC_URL + reverse("openrosa:root", kwargs={"token": token})


def qr_svg(text: str) -> str:
    """The address as a QR code, an SVG drawn on the server (no script, nothing fetched)."""
    return str(segno.make(text, error="m").svg_inline(scale=5, border=2, title=_("QR code of the server address")))


def collect_settings(url: str) -> str:
    """What ODK Collect's "Reconfigure with QR code" reads: its settings as JSON, compressed
    with zlib and written in base64. The project's name is a plain word, as the form's title."""
    settings_json = {"general": {"server_url": url}, "admin": {}, "project": {"name": _("Report"), "icon": "R"}}
    return base64.b64encode(zlib.compress(json.dumps(settings_json).encode())).decode()
