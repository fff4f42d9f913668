"""Every write of the appeals app, a module per job:

- `drafting`: an appeal's draft, edits, translations, addressees, sending it for review;
- `approval`: review by the network's coordinators (four eyes), reference numbers, stopping;
- `updates`: updates of a published appeal, written, approved, stopped;
- `outcome`: responses, the close with its outcome, the count of visitors' actions;
- `subscriptions`: supporters' subscriptions, preferences, import and export;
- `circulation_queue`: deliveries enqueued, claimed, their outcomes recorded, the sweep.

Each write is audited in its transaction, scoped to the appeal's network (supporters' to
"supporters"); who may do what is checked here too (`rules`), because the API and commands
call the same functions. The names below are the ones callers use
(`services.approve_appeal(...)`).
"""

from .approval import approve_appeal, next_reference, return_to_draft, stop_appeal, wrote_part_of
from .circulation_queue import mark_circulated
from .drafting import (
    TEXT_FIELDS,
    AppealData,
    add_addressee,
    draft_appeal,
    edit_appeal,
    linkable_incidents,
    remove_addressee,
    submit_for_review,
    translate_appeal,
)
from .outcome import close_appeal, log_response, record_action
from .rules import AppealRefused
from .updates import add_update, approve_update, stop_update, translate_update, wrote_part_of_update

__all__ = [
    "TEXT_FIELDS", "AppealData", "AppealRefused", "add_addressee", "add_update", "approve_appeal", "approve_update",
    "close_appeal", "draft_appeal", "edit_appeal", "linkable_incidents", "log_response", "mark_circulated",
    "next_reference", "record_action", "remove_addressee", "return_to_draft", "stop_appeal", "stop_update",
    "submit_for_review", "translate_appeal", "translate_update", "wrote_part_of", "wrote_part_of_update",
]
