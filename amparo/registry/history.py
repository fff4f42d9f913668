"""A case's history in words: what each audit action on an incident means to the desk that
reads it (the log itself keeps the stable codes)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from amparo.registry.actions import STATUS_PREFIX, Action
from amparo.registry.models import Incident

WORDS: dict[str, Promise] = {
    Action.INCIDENT_RECORDED: pgettext_lazy("incident history", "Recorded"),
    Action.INCIDENT_UPDATED: pgettext_lazy("incident history", "Edited"),
    Action.CONSENT_WITHDRAWN: pgettext_lazy("incident history", "Consent withdrawn"),
    Action.CONSENT_GIVEN: pgettext_lazy("incident history", "Consent given"),
    Action.ASSIGNED: pgettext_lazy("incident history", "Assigned"),
    Action.MARKED_DUPLICATE: pgettext_lazy("incident history", "Marked as a duplicate"),
    Action.FOLLOW_UP_ADDED: pgettext_lazy("incident history", "Follow-up added"),
    Action.MOVED_OUT: pgettext_lazy("incident history", "Handed to another desk"),
    Action.MOVED_IN: pgettext_lazy("incident history", "Received from another desk"),
    Action.ATTACHMENT_ADDED: pgettext_lazy("incident history", "File added"),
    Action.MESSAGE_FROM_REPORTER: pgettext_lazy("incident history", "Message from the person who reported"),
    Action.MESSAGE_TO_REPORTER: pgettext_lazy("incident history", "Answer sent to the person who reported"),
    Action.EXPIRED: pgettext_lazy("incident history", "Deleted after the retention period"),
}
STATUS = STATUS_PREFIX


def words(action: str) -> str:
    """The words for one action; a status change names the new status."""
    if action.startswith(STATUS):
        label = dict(Incident.Status.choices).get(action[len(STATUS):], action[len(STATUS):])
        return str(pgettext_lazy("incident history", "Status: %(status)s") % {"status": label})
    return str(WORDS.get(action, pgettext_lazy("incident history", "Other change")))
