"""The vault's API for the other apps, named by intent. All key handling happens here.

Sealing needs only public keys, so it works anywhere (a request, a command, a worker).
Opening what is sealed to a ring needs an `Unlocked` member key, which exists only inside
that member's own request; the only thing a worker may open is data sealed with the
service key.

A module per job: `member_keys` (her keypair), `rings` (who may read), `epochs` (a ring's
keys over time), `recovery_sheet`, `sealing` (records and attachments), `service_key` (and
blind indexes), `receipts` (anonymous reporters), `webhooks` (signatures of requests sent to
us), `lockout` (a member taken out of her rings after a seized phone, and put back). Callers
use `from amparo.vault import services as vault` and the names below.
"""

from amparo.vault.services.form_tokens import open_form_state, seal_form_state
from amparo.vault.services.keys import Text, Unlocked, has_member_key, new_recovery_code
from amparo.vault.services.lockout import LockedOut, lock_out_member, restore_member
from amparo.vault.services.member_keys import (
    create_member_key,
    mark_needs_recovery,
    recover_member_key,
    reissue_recovery_code,
    rewrap_for_password,
    unlock_with_password,
)
from amparo.vault.services.receipts import (
    ReporterKeys,
    derive_reporter_keys,
    normal_receipt,
    receipt_binding,
    receipt_binding_valid,
)
from amparo.vault.services.recovery_sheet import confirm_recovery_sheet, issue_recovery_sheet, restore_from_sheet
from amparo.vault.services.rings import (
    add_ring_member,
    complete_pending_grants,
    create_ring,
    is_reader,
    pending_members,
    remove_ring_member,
)
from amparo.vault.services.sealing import (
    EpochBatch,
    open_attachment,
    open_sealed,
    open_sealed_bytes,
    open_with_private_key,
    seal_attachment,
    seal_for_epochs,
    seal_for_ring,
    seal_for_rings,
)
from amparo.vault.services.service_key import blind_index, open_with_service_key, seal_with_service_key
from amparo.vault.services.webhooks import secret_matches, twilio_signature, twilio_signature_valid

__all__ = [
    "EpochBatch",
    "LockedOut",
    "ReporterKeys",
    "Text",
    "Unlocked",
    "add_ring_member",
    "blind_index",
    "complete_pending_grants",
    "confirm_recovery_sheet",
    "create_member_key",
    "create_ring",
    "derive_reporter_keys",
    "has_member_key",
    "is_reader",
    "issue_recovery_sheet",
    "lock_out_member",
    "mark_needs_recovery",
    "new_recovery_code",
    "normal_receipt",
    "open_attachment",
    "open_form_state",
    "open_sealed",
    "open_sealed_bytes",
    "open_with_private_key",
    "open_with_service_key",
    "pending_members",
    "receipt_binding",
    "receipt_binding_valid",
    "recover_member_key",
    "reissue_recovery_code",
    "remove_ring_member",
    "restore_from_sheet",
    "restore_member",
    "rewrap_for_password",
    "seal_attachment",
    "seal_form_state",
    "seal_for_epochs",
    "seal_for_ring",
    "seal_for_rings",
    "seal_with_service_key",
    "secret_matches",
    "twilio_signature",
    "twilio_signature_valid",
    "unlock_with_password",
]
