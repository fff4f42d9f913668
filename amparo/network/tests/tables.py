"""The network rows of the project-wide test tables (see amparo/tests/tables.py)."""

from __future__ import annotations

# Fields kept in clear on purpose, each with its reason (amparo/tests/test_sealed_or_clear.py).
CLEAR_FIELDS: dict[str, str] = {
    "network.Network.name": "public name of a network",
    "network.Network.slug": "public short name",
    "network.Network.kind": "status code",
    "network.Network.country": "ISO country code",
    "network.Organisation.name": "public name of a member organisation",
    "network.Organisation.country": "ISO country code",
    "network.Desk.name": "name of a desk, shown to staff",
    "network.Desk.slug": "short name",
    "network.Desk.countries": "ISO country codes the desk covers",
    "network.Membership.role": "role code",
    "network.AuditAnchorDelivery.hash": "hash of the audit chain",
    "network.Invitation.role": "role code",
    "network.Invitation.email": "where the invitation goes: the address becomes her login address",
    "network.Invitation.language": "language code",
    "network.Invitation.token_hash": "hash of the invitation link",
}
