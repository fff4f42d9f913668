"""Every write of the OpenRosa server, a module per job: `links` (a desk's server addresses)
and `submissions` (what the phones send, recorded through the registry's services)."""

from amparo.openrosa.services.links import create_link, mark_used, revoke_link
from amparo.openrosa.services.submissions import Media, Received, receive_submission

__all__ = ["Media", "Received", "create_link", "mark_used", "receive_submission", "revoke_link"]
