"""The openrosa rows of the project-wide test tables (see amparo/tests/tables.py)."""

from __future__ import annotations

from typing import Any

from amparo.core.tests.pages import Page
from amparo.tests.tables import LOGIN, Row, same, signed_in

# The desk's documenters and its network's coordinators; another desk's documenter gets 404;
# roles that never see a desk get 403.
DESK_STAFF = dict(defender=403, documenter_a=200, documenter_b=404, coordinator=200, supporter=403, outsider=403,
                  fund_reviewer=403, ict_expert=403)

AUTHORIZATION: dict[str, Row] = {
    "openrosa:desk": signed_in("GET", LOGIN, **DESK_STAFF),
    "openrosa:revoke": signed_in("POST", LOGIN, **{**DESK_STAFF, "documenter_a": 302, "coordinator": 302}),
    # The OpenRosa API answers to a link's token only; the table's made-up token opens nothing,
    # for anyone signed in or not (a revoked link answers the same: tests/test_protocol.py).
    "openrosa:root": same("GET", 404),
    "openrosa:form_list": same("GET", 404),
    "openrosa:form": same("GET", 404),
    "openrosa:manifest": same("GET", 404),
    "openrosa:submission": same("POST", 404),
}


def url_values(world: Any) -> dict[str, object]:
    from amparo.openrosa import services
    from amparo.openrosa.models import Link

    link = Link.objects.filter(desk=world.desk_a).first() or services.create_link("system", world.desk_a)[0]
    return {"link_id": link.pk, "form_id": "amparo-report"}


PAGES: dict[str, Page] = {
    "openrosa:desk": Page("documenter_a"),
}

NOT_PAGES: dict[str, str] = {
    "openrosa:revoke": "POST only; then a redirect to the desk's page",
    "openrosa:root": "OpenRosa XML for phone apps (tests/test_protocol.py)",
    "openrosa:form_list": "OpenRosa XML for phone apps (tests/test_protocol.py)",
    "openrosa:form": "an XForm for phone apps, validated by pyxform (tests/test_xform.py)",
    "openrosa:manifest": "OpenRosa XML for phone apps (tests/test_protocol.py)",
    "openrosa:submission": "OpenRosa submission API (tests/test_protocol.py, test_live.py)",
}

ANSWERED_IN_PLACE: dict[str, str] = {
    "openrosa:desk": "a new server address is shown once, in the answer: only its hash is kept",
}

CLEAR_FIELDS: dict[str, str] = {
    "openrosa.Link.username": "the user name of a link, '<desk slug>-<number>': names no person",
    "openrosa.Link.token_hash": "SHA-256 of a random token (core.tokens.hash_token)",
    "openrosa.Submission.instance_key": "SHA-256 of the desk and the phone's random instanceID",
    "openrosa.Submission.xml_digest": "SHA-256 of the XML, which holds a random instanceID: confirms no guess",
    "openrosa.ReceivedMedia.name_key": "SHA-256 of the submission's key and a media file's name",
}


def _write_openrosa_submission(client: Any, world: Any, canary: str) -> None:
    """As ODK Collect sends it, to a link of desk A: words, a photo whose hidden details hold
    the canary, and a document; split over two POSTs."""
    from amparo.openrosa import services
    from amparo.openrosa.models import Submission
    from amparo.openrosa.tests.helpers import instance_xml, multipart, photo_with_hidden_details

    _link, token = services.create_link(world.users["documenter_a"], world.desk_a)
    xml = instance_xml(f"uuid:{canary}", narrative=f"{canary}-openrosa", where=f"{canary}-place",
                       perpetrator=f"{canary}-who", help_wanted=f"{canary}-help", photo=f"{canary}.jpg",
                       document=f"{canary}-document.txt")
    parts = [({f"{canary}.jpg": (photo_with_hidden_details(f"{canary}-maker"), "image/jpeg")}, True),
             ({f"{canary}-document.txt": ((canary + "\n").encode() * 500, "text/plain")}, False)]
    for media, incomplete in parts:
        body, content_type = multipart(xml, media, incomplete=incomplete)
        response = client.generic("POST", f"/openrosa/{token}/submission", body, content_type=content_type,
                                  HTTP_X_OPENROSA_VERSION="1.0")
        assert response.status_code == 201, response.content
    assert Submission.objects.get().incident.attachments.count() == 2


CANARY_WRITERS = {"openrosa submission": _write_openrosa_submission}
