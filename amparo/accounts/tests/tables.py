"""The accounts rows of the project-wide test tables (see amparo/tests/tables.py)."""

from __future__ import annotations

# Fields kept in clear on purpose, each with its reason (amparo/tests/test_sealed_or_clear.py).
CLEAR_FIELDS: dict[str, str] = {
    "accounts.User.password": "Argon2id hash",
    "accounts.User.username": "login name: needed in clear to log in",
    "accounts.User.first_name": "optional 'what should we call you?' chosen at sign-up (a nickname will do); "
                                "shown on pages without a member key",
    "accounts.User.last_name": "Django's column; no form of ours asks for it",
    "accounts.User.email": "login and reset address: mail is sent to it without a member key",
    "accounts.User.language": "language code",
    "accounts.SecondFactor.sealed_secret": "an envelope sealed with the service key (a migration moved it there)",
    "accounts.RecoveryCode.code_hash": "HMAC of a recovery code",
    "accounts.UserSession.session_key": "SHA-256 of a session key",
    "accounts.ApiToken.name": "a label she gives her token ('phone app'), shown to her only",
    "accounts.ApiToken.prefix": "the first characters of a token, to recognise it",
    "accounts.ApiToken.token_hash": "hash of an API token",
}
