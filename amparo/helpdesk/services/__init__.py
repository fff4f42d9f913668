"""Every write of the help desk, a module per job: `requests` (asking, routing, the
conversation), `escalation` (the 60- and 90-minute job), `experts` (profiles), `tutorials`
(done marks) and `lockdown`."""

from amparo.helpdesk.services.escalation import Escalated, escalate_unanswered, leads_of
from amparo.helpdesk.services.experts import Profile, save_profile
from amparo.helpdesk.services.lockdown import (
    Claimed,
    active_lockdown,
    add_trusted_contact,
    check_lockdown_code,
    claim_desk_alerts,
    claim_warnings,
    has_lockdown_code,
    her_desk,
    lock_down,
    lock_down_with_code,
    release_warning,
    remove_trusted_contact,
    set_lockdown_code,
    undo_lockdown,
    warning_sent,
    warnings_due,
)
from amparo.helpdesk.services.requests import (
    Asked,
    NoExperts,
    Opened,
    ReceiptRefused,
    add_requester_message,
    ask_anonymously,
    ask_for_help,
    change_status,
    match_expert,
    network_for,
    open_thread,
    open_with_receipt,
    reopen,
    reply_as_expert,
    take_request,
)
from amparo.helpdesk.services.tutorials import load_shipped_guides, mark_done

__all__ = [
    "Asked", "Claimed", "Escalated", "NoExperts", "Opened", "Profile", "ReceiptRefused", "active_lockdown",
    "load_shipped_guides",
    "add_requester_message", "add_trusted_contact", "ask_anonymously", "ask_for_help", "change_status",
    "check_lockdown_code", "claim_desk_alerts", "claim_warnings", "escalate_unanswered", "has_lockdown_code",
    "her_desk", "leads_of",
    "lock_down", "lock_down_with_code", "mark_done", "match_expert", "network_for", "open_thread",
    "open_with_receipt", "release_warning", "remove_trusted_contact", "reopen", "reply_as_expert", "save_profile",
    "set_lockdown_code", "take_request", "undo_lockdown", "warning_sent", "warnings_due",
]
