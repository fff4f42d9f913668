"""Reports by SMS (through the gateway's webhook) and by e-mail (a desk's mailbox over IMAP), sealed on receipt."""
