"""A defender with an account reports an attack with her own short form: sealed to the desk of
the country (or her network's desk) and to herself, with a file if she has one, and her choice
of a neutral e-mail when the desk writes."""

from __future__ import annotations

from django.db import transaction

from amparo.accounts.models import User
from amparo.network import services as network
from amparo.network.models import Desk, Membership
from amparo.registry.models import Defender, Incident
from amparo.registry.services.attachments import add_attachment
from amparo.registry.services.cases import IncidentData, create_defender, record_incident
from amparo.registry.services.intake import NoDesk, Upload


def desk_for(user: User, country: str) -> Desk | None:
    """The desk of the country, else the desk of her own network (the coalition's first)."""
    desk = network.desk_for_country(country or "")
    if desk is not None:
        return desk
    network_ids = Membership.objects.active().filter(user=user).values("network_id")
    return Desk.objects.filter(network_id__in=network_ids).order_by("-coalition_wide", "id").first()


def submit_own_report(user: User, data: IncidentData, *, upload: Upload | None = None, notify: bool = False,
                      herself: bool = False, submission_key: str | None = None) -> Incident:
    """Record her report (a double submit stores one). `herself`: she says it was done to her,
    so she is recorded as the person attacked, her name sealed to the desk and to her."""
    desk = desk_for(user, data.country)
    if desk is None:
        raise NoDesk
    if submission_key and (existing := Incident.objects.filter(submission_key=submission_key).first()):
        return existing
    with transaction.atomic():
        defenders = [create_defender(user, desk, name=user.display_name(), kind=Defender.Kind.INDIVIDUAL,
                                     account=user)] if herself else []
        incident = record_incident(user, desk, data, channel=Incident.Channel.DEFENDER, defenders=defenders,
                                   reporter=user, submission_key=submission_key)
        if notify:
            Incident.objects.filter(pk=incident.pk).update(notify_reporter=True)
            incident.notify_reporter = True
        if upload is not None:
            add_attachment(user, incident, filename=upload.filename, content_type=upload.content_type,
                           file=upload.file, size=upload.size)
    return incident
