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
