"""What can go wrong when sealing or opening, each named: never a silent empty value."""


class VaultError(Exception):
    """Base of every vault error."""


class KeyLocked(VaultError):
    """Her member key is not unlocked in this session (log in again, or use the recovery code)."""


class NotAReader(VaultError):
    """She holds no key that opens this: not a member of the ring, or removed from it."""


class Tampered(VaultError):
    """The sealed bytes were changed, truncated, or belong elsewhere."""


class WrongSecret(VaultError):
    """Wrong password, recovery code or recovery sheet."""


class RecoveryNeeded(VaultError):
    """The password changed without the old one (a reset): the recovery code is needed once."""


class LastKeyHolder(VaultError):
    """Removing her would leave nobody able to open the ring, and no recovery sheet is confirmed."""


class NoKeyHolder(VaultError):
    """The ring has no epoch yet: nobody with a key is in it, so nothing can be sealed to it."""
