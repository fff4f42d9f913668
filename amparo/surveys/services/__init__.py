"""Every write of the surveys app, by job: `building` (the builder and imports), `answering`
(a respondent's sheet), `invitations` (links by e-mail)."""

from .answering import InvitationSpent, open_invitation, submit_response, within_global_limit
from .building import (
    add_question,
    add_section,
    create_survey,
    machine_name,
    remove_question,
    set_status,
    translate_survey,
)
from .exporting import answers_csv_rows
from .invitations import send_invitations

__all__ = [
    "InvitationSpent",
    "add_question",
    "answers_csv_rows",
    "add_section",
    "create_survey",
    "machine_name",
    "open_invitation",
    "remove_question",
    "send_invitations",
    "set_status",
    "submit_response",
    "translate_survey",
    "within_global_limit",
]
