"""Every write of the channels, a module per job: `sms` (the guided conversation, STOP,
DELETE, expiry, the replies waiting), `email` (a desk's mailbox polled over IMAP) and
`mailboxes` (its settings). Callers write `from amparo.channels import services`."""

from amparo.channels.services.email import Polled, ingest_message, note_poll_failure, poll_mailbox, reply_address
from amparo.channels.services.mailboxes import MailboxData, MailboxRefused, save_mailbox
from amparo.channels.services.sms import Incoming, Outcome, expire_conversations, receive_sms, sending, sent

__all__ = [
    "Incoming", "MailboxData", "MailboxRefused", "Outcome", "Polled", "expire_conversations", "ingest_message",
    "note_poll_failure", "poll_mailbox", "receive_sms", "reply_address", "save_mailbox", "sending", "sent",
]
