"""Receiving a submission: the instance becomes a `registry.Incident` of the link's desk,
sealed on receipt by the registry's own services, and its media are added through the
registry's bounded, metadata-stripping attachment path.

The same instance may arrive more than once: in several POSTs when the phone split it (the
same XML each time, more media; the last without `*isIncomplete*`), or again when the phone
did not hear the answer. It is stored once; the XML must be the same each time (409 if not).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amparo.core.tokens import hash_token
from amparo.openrosa import instances, xform
from amparo.openrosa.instances import Refused
from amparo.openrosa.models import Link, ReceivedMedia, Submission
from amparo.registry import services as registry
from amparo.registry.models import Incident
from amparo.registry.services.intake import ANONYMOUS
from amparo.vault.errors import NoKeyHolder

MAX_MEDIA = 20  # files per submission, over all its parts


@dataclass
class Media:
    name: str
    content_type: str
    file: IO[bytes]
    size: int


@dataclass
class Received:
    incident: Incident
    new: bool
    stored: int  # media files stored by this POST


def _digest(xml: bytes) -> str:
    # The XML holds a random instanceID: its digest confirms no guess of the words.
    return hash_token(xml.hex())


def _submission(link: Link, key: str, digest: str, instance: instances.Instance) -> tuple[Submission, bool]:
    found = Submission.objects.select_for_update().filter(instance_key=key).select_related("incident").first()
    if found is not None:
        if found.xml_digest != digest:
            raise Refused(409, _("A different form was already received with this instance identifier."))
        return found, False
    data = instances.incident_data(instance, xform.country_choices(link.desk))
    incident = registry.record_incident(ANONYMOUS, link.desk, data, channel=Incident.Channel.OPENROSA,
                                        submission_key=f"openrosa:{key[:54]}")
    try:
        with transaction.atomic():
            return Submission.objects.create(desk=link.desk, incident=incident, instance_key=key,
                                             xml_digest=digest), True
    except IntegrityError:  # the same instance, sent twice at once: the other one stored it
        return Submission.objects.select_related("incident").get(instance_key=key), False


def _store_media(submission: Submission, key: str, instance: instances.Instance, media: list[Media]) -> int:
    stored = 0
    for part in media:
        if part.name not in instance.file_names:
            continue  # a file the answers do not name is not part of this report
        name_key = hash_token(f"{key}:{part.name}")
        if ReceivedMedia.objects.filter(submission=submission, name_key=name_key).exists():
            continue
        if ReceivedMedia.objects.filter(submission=submission).count() >= MAX_MEDIA:
            raise Refused(413, _("Too many files for one report."))
        try:
            registry.add_attachment(ANONYMOUS, submission.incident, filename=part.name,
                                    content_type=part.content_type, file=part.file, size=part.size)
        except registry.AttachmentRefused as exc:
            raise Refused(400, _("An empty file was not kept.")) from exc
        ReceivedMedia.objects.create(submission=submission, name_key=name_key)
        stored += 1
    return stored


def receive_submission(link: Link, xml: bytes, media: list[Media], *, incomplete: bool = False) -> Received:
    """Store one POST of a submission for the link's desk; Refused with the HTTP status for
    what cannot be taken (nothing of that POST is then kept)."""
    instance = instances.parse(xml)
    key = hash_token(f"{link.desk_id}:{instance.instance_id}")
    try:
        with transaction.atomic():
            submission, new = _submission(link, key, _digest(xml), instance)
            stored = _store_media(submission, key, instance, media)
            if not incomplete and not submission.complete:
                Submission.objects.filter(pk=submission.pk).update(complete=True)
    except NoKeyHolder as exc:  # a desk nobody can read yet cannot take a report
        raise Refused(503, _("This desk cannot receive reports yet.")) from exc
    return Received(submission.incident, new, stored)
