"""Every write to defenders, incidents and their files, a module per job: `cases` (defenders and
incidents), `names` (the blind index of names), `attachments` (files), `images` (photos without
their hidden details), `consent` (consent per use), `importing` (the rows of a checked import
file), and, imported by their module, `intake` and `receipts` (anonymous reports), `own_reports`
(a defender's own short form) and `conversation` (a defender with an account and her desk).
Callers write `from amparo.registry import services`. (`open_incident` and `open_defender_name`
are reads of registry.sealing, named here too for the callers that knew them here.)"""

from amparo.registry.sealing import open_defender_name, open_incident
from amparo.registry.services.attachments import (
    AttachmentNotStored,
    AttachmentRefused,
    AttachmentUnavailable,
    add_attachment,
    move_attachment,
    open_attachment,
)
from amparo.registry.services.cases import (
    IncidentData,
    add_follow_up,
    assign,
    create_defender,
    follow_justice,
    mark_duplicate,
    move_to_desk,
    record_incident,
    set_status,
    update_incident,
)
from amparo.registry.services.common import desk_scope
from amparo.registry.services.consent import holds as consent_holds
from amparo.registry.services.consent import set_consent, withdraw_consent
from amparo.registry.services.images import Cleaned, without_metadata
from amparo.registry.services.importing import Counts, import_session
from amparo.registry.services.names import (
    find_defenders,
    index_pending_names,
    name_indexes,
)

__all__ = [
    "AttachmentNotStored", "AttachmentRefused", "AttachmentUnavailable", "Cleaned", "Counts", "consent_holds",
    "IncidentData", "add_attachment", "add_follow_up",
    "assign", "create_defender", "desk_scope", "follow_justice", "find_defenders", "index_pending_names",
    "mark_duplicate", "move_attachment", "move_to_desk", "name_indexes", "open_attachment",
    "open_defender_name", "open_incident", "record_incident", "set_consent", "set_status", "update_incident",
    "withdraw_consent", "without_metadata", "import_session",
]
