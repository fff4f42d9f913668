"""Names of what Amparo keeps in a session (importable before the app registry is ready)."""

STARTED = "amparo_started_at"  # time of login, for the absolute lifetime
SECOND_FACTOR_OK = "amparo_second_factor_ok"  # this session proved the second factor
PENDING_LOGIN = "amparo_pending_login"  # password accepted, second factor still to come
SECOND_FACTOR_REQUIRED = "amparo_second_factor_required"
