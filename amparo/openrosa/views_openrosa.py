"""The OpenRosa API, as ODK Collect and Tella call it, under `/openrosa/<token>/`:
`formList`, the form, its manifest, and `submission` (HEAD, then multipart POSTs).

Every answer carries `X-OpenRosa-Version: 1.0` and is XML (`text/xml`). An unknown or revoked
token answers 404, the same for both, so nobody learns which links existed. Nothing about the
phone (address, user agent) is read or kept.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import wraps
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from amparo.accounts.gates import Gate, TooManyAttempts, check_secret
from amparo.openrosa import queries, services, xform
from amparo.openrosa.instances import XML_MAX_BYTES, Refused
from amparo.openrosa.models import Link

XML = "text/xml; charset=utf-8"
RESPONSE_NS = "http://openrosa.org/http/response"
# The largest POST taken: one file at its limit and the form's words. A phone with more splits
# its submission over several POSTs (`*isIncomplete*`).
MULTIPART_OVERHEAD = 64 * 1024

View = Callable[..., HttpResponse]
# The address for apps that ask for a user name and password instead of a token in the address.
LOGIN_PATH = "login"


def accept_content_length() -> int:
    return int(settings.ATTACHMENT_MAX_BYTES) + XML_MAX_BYTES + MULTIPART_OVERHEAD


def _openrosa(response: HttpResponse) -> HttpResponse:
    response["X-OpenRosa-Version"] = "1.0"
    response["Date"] = http_date()
    return response


def _message(text: str, status: int, nature: str = "") -> HttpResponse:
    attribute = f' nature="{nature}"' if nature else ""
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<OpenRosaResponse xmlns="{RESPONSE_NS}">'
            f"<message{attribute}>{escape(text)}</message></OpenRosaResponse>")
    return HttpResponse(body, status=status, content_type=XML)


def _challenge() -> HttpResponse:
    response = _message(_("Type the user name and password the team gave you."), 401)
    response["WWW-Authenticate"] = 'Basic realm="Amparo", charset="UTF-8"'
    return response


def _credentials(request: HttpRequest) -> tuple[str, str] | None:
    scheme, _space, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        username, colon, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return (username, password) if colon and username.strip() and password else None


def _link_by_password(request: HttpRequest) -> Link | HttpResponse | None:
    """For apps that ask for a user name and password (`/openrosa/login/`): the link's user
    name, and its token as the password, through the throttled door; over HTTPS only."""
    if not (request.is_secure() or settings.DEBUG):
        return _message(_("A password is sent only over HTTPS: use the server's https:// address."), 403)
    credentials = _credentials(request)
    if credentials is None:
        return _challenge()
    username, password = credentials

    def matching_link() -> Link | None:
        return queries.link_for_login(username, password)

    try:
        link = check_secret(username, Gate.OPENROSA_PASSWORD, matching_link)
    except TooManyAttempts as refusal:
        response = _message(refusal.message, 429)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    return link if link is not None else _challenge()


def endpoint(*methods: str) -> Callable[[View], View]:
    """An OpenRosa endpoint: its methods, the link its token opens (404 otherwise), and the
    OpenRosa header on every answer, refusals included."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = _message(_("This address does not take this method."), 405)
                response["Allow"] = ", ".join(methods)
                return _openrosa(response)
            found = _link_by_password(request) if token == LOGIN_PATH else queries.link_for_token(token)
            if isinstance(found, HttpResponse):
                return _openrosa(found)
            if found is None:
                return _openrosa(_message(_("This server address is not valid (any more): ask the team "
                                            "for a new one."), 404))
            return _openrosa(view(request, found, *args, **kwargs))

        return csrf_exempt(wrapped)

    return decorator


def _absolute(request: HttpRequest, name: str, link_token: str, **kwargs: str) -> str:
    return request.build_absolute_uri(reverse(f"openrosa:{name}", kwargs={"token": link_token, **kwargs}))


@endpoint("GET", "HEAD")
def form_list(request: HttpRequest, link: Link) -> HttpResponse:
    form = xform.for_desk(link.desk)
    token = request.resolver_match.kwargs["token"] if request.resolver_match else ""
    download = escape(_absolute(request, "form", token, form_id=xform.FORM_ID))
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xforms xmlns="http://openrosa.org/xforms/xformsList">'
        f"<xform><formID>{xform.FORM_ID}</formID><name>{escape(_('Report'))}</name>"
        f"<version>{xform.FORM_VERSION}</version><hash>{form.hash}</hash>"
        f"<descriptionText></descriptionText><downloadUrl>{download}</downloadUrl>"
        "</xform></xforms>"
    )
    return HttpResponse(body, content_type=XML)


@endpoint("GET", "HEAD")
def form(request: HttpRequest, link: Link, form_id: str) -> HttpResponse:
    if form_id != xform.FORM_ID:
        return _message(_("There is no such form here."), 404)
    return HttpResponse(xform.for_desk(link.desk).xml, content_type=XML)


@endpoint("GET", "HEAD")
def manifest(request: HttpRequest, link: Link, form_id: str) -> HttpResponse:
    """The form has no media files: an empty manifest, for clients that ask anyway."""
    if form_id != xform.FORM_ID:
        return _message(_("There is no such form here."), 404)
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<manifest xmlns="http://openrosa.org/xforms/xformsManifest"></manifest>')
    return HttpResponse(body, content_type=XML)


def _parts(request: HttpRequest) -> tuple[bytes, list[services.Media]]:
    files = request.FILES
    if any(getattr(f, "too_large", False) for f in files.values()):
        raise Refused(413, _("A file is too large for this server: it was not kept."))
    xml_file = files.get("xml_submission_file")
    if xml_file is None:
        raise Refused(400, _("The form's answers (xml_submission_file) are missing."))
    if (xml_file.size or 0) > XML_MAX_BYTES:
        raise Refused(413, _("The form's answers are too long."))
    media = [services.Media(name=f.name or "file", content_type=f.content_type or "", file=f, size=f.size or 0)
             for key in files if key != "xml_submission_file" for f in files.getlist(key)]
    return xml_file.read(), media


@endpoint("HEAD", "GET", "POST")
def submission(request: HttpRequest, link: Link) -> HttpResponse:
    if request.method != "POST":
        response = HttpResponse(status=204)
        response["X-OpenRosa-Accept-Content-Length"] = str(accept_content_length())
        return response
    if int(request.META.get("CONTENT_LENGTH") or 0) > accept_content_length():
        return _message(_("This submission is too large: send it in parts."), 413)
    try:
        xml, media = _parts(request)
        incomplete = request.POST.get("*isIncomplete*", "").lower() == "yes"
        received = services.receive_submission(link, xml, media, incomplete=incomplete)
    except Refused as refusal:
        return _message(refusal.reason, refusal.status, "error")
    services.mark_used(link)
    text = _("Thank you: your report was received by the team.") if received.new else \
        _("Thank you: this report had already arrived; anything new was added to it.")
    return _message(text, 201, "submit_success")


@endpoint("GET", "HEAD")
def root(request: HttpRequest, link: Link) -> HttpResponse:
    """The address itself, opened in a browser: what it is for."""
    return _message(_("This is a server address for ODK Collect or Tella: enter it in the app's server "
                      "settings."), 200)
