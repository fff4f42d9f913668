"""A case's history in words: what each audit action on an incident means to the desk that
reads it (the log itself keeps the stable codes)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from amparo.registry.models import Incident

WORDS: dict[str, Promise] = {
    "incident.recorded": pgettext_lazy("incident history", "Recorded"),
    "incident.updated": pgettext_lazy("incident history", "Edited"),
    "incident.consent_withdrawn": pgettext_lazy("incident history", "Consent withdrawn"),
    "incident.assigned": pgettext_lazy("incident history", "Assigned"),
    "incident.marked_duplicate": pgettext_lazy("incident history", "Marked as a duplicate"),
    "incident.follow_up_added": pgettext_lazy("incident history", "Follow-up added"),
    "incident.moved_out": pgettext_lazy("incident history", "Handed to another desk"),
    "incident.moved_in": pgettext_lazy("incident history", "Received from another desk"),
    "incident.attachment_added": pgettext_lazy("incident history", "File added"),
    "incident.message_from_reporter": pgettext_lazy("incident history", "Message from the person who reported"),
    "incident.message_to_reporter": pgettext_lazy("incident history", "Answer sent to the person who reported"),
    "incident.expired": pgettext_lazy("incident history", "Deleted after the retention period"),
}
STATUS = "incident.status."


def words(action: str) -> str:
    """The words for one action; a status change names the new status."""
    if action.startswith(STATUS):
        label = dict(Incident.Status.choices).get(action[len(STATUS):], action[len(STATUS):])
        return str(pgettext_lazy("incident history", "Status: %(status)s") % {"status": label})
    return str(WORDS.get(action, pgettext_lazy("incident history", "Other change")))
