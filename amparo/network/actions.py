"""The audit actions of network: the network: networks, organisations, desks, memberships,
invitations and contacts. Every `record_audit` call of this app passes one of these; the values
are the ones stored in the audit log, so they never change."""

from __future__ import annotations

from amparo.core.audit import AuditAction


class Action(AuditAction):
    CONTACT_UPDATED = "contact.updated"
    DESK_CREATED = "desk.created"
    DESK_UPDATED = "desk.updated"
    INVITATION_ACCEPTED = "invitation.accepted"
    INVITATION_SENT = "invitation.sent"
    MEMBERSHIP_ADDED = "membership.added"
    MEMBERSHIP_ENDED = "membership.ended"
    NETWORK_CREATED = "network.created"
    ORGANISATION_CREATED = "organisation.created"
