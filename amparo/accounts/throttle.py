"""Login throttling without storing who is asking from where.

Keys are a keyed hash of the account name (so no store holds usernames) or the minute alone;
never a client address (DESIGN.md rules 3 and 4). The limits are counted with atomic counters
(core/counters.py): each try is counted before the password is checked, so a burst of
parallel tries for one account gets five through, not one per request in flight. The delay
that grows with each further failure is kept in the shared cache.

Per account: at most five failures within a minute; after the fifth the account waits out
the minute, and each further failure doubles the wait (15 s, 30 s, 60 s… up to 15 minutes);
attempts made while waiting are refused without checking the password. A success clears it,
unless it was only the first of two steps (the password, when a second factor follows): then
the try is taken back but earlier failures stand, so whoever knows the password cannot wipe the
count of wrong codes by logging in again.
Every check of a password or code goes through `accounts.gates.check_secret`, which uses these
counters: the login, the password reset, the supporter export and the rest count together.
Globally: more than `LOGIN_GLOBAL_FAILURES_PER_MINUTE` failures in a minute, across all
accounts, pause every login until the minute is over: a brake on credential stuffing.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from amparo.core import counters

FREE_FAILURES = 5
WINDOW = 60
BASE_DELAY = 15
MAX_DELAY = 15 * 60


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0


def _account_key(username: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{username.strip().lower()}".encode()).hexdigest()
    return f"login-throttle:{digest[:32]}"


GLOBAL_KEY = "login-throttle:global"


def _tries_key(username: str) -> str:
    return _account_key(username).replace("login-throttle:", "login-tries:", 1)


def check(username: str, now: float | None = None) -> Verdict:
    """May a login for `username` be tried now? Counts the try when it may."""
    now = time.time() if now is None else now
    end_of_minute = WINDOW - int(now % WINDOW)
    if counters.peek(GLOBAL_KEY, WINDOW, now) >= settings.LOGIN_GLOBAL_FAILURES_PER_MINUTE:
        return Verdict(False, end_of_minute)
    state = cache.get(_account_key(username))
    if state and state.get("locked_until", 0) > now:
        return Verdict(False, int(state["locked_until"] - now) + 1)
    if counters.bump(_tries_key(username), WINDOW, now) > FREE_FAILURES:
        return Verdict(False, end_of_minute)
    return Verdict(True)


def failed(username: str, now: float | None = None) -> None:
    """Count a failure for the account and for the whole site."""
    now = time.time() if now is None else now
    key = _account_key(username)
    state = cache.get(key) or {"failures": [], "streak": 0, "locked_until": 0}
    recent = [t for t in state["failures"] if t > now - WINDOW] + [now]
    state["failures"] = recent
    state["streak"] += 1
    if len(recent) >= FREE_FAILURES or state["locked_until"]:
        delay = min(BASE_DELAY * 2 ** max(state["streak"] - FREE_FAILURES, 0), MAX_DELAY)
        # Never a sixth failure within the minute, then a delay that doubles each time.
        window_end = recent[0] + WINDOW if len(recent) >= FREE_FAILURES else 0
        state["locked_until"] = max(now + delay, window_end)
    cache.set(key, state, timeout=MAX_DELAY + WINDOW)
    counters.bump(GLOBAL_KEY, WINDOW, now)


def succeeded(username: str, now: float | None = None) -> None:
    """The whole proof passed: forget the account's failures."""
    cache.delete(_account_key(username))
    counters.clear(_tries_key(username), WINDOW, now)


def first_step_passed(username: str, now: float | None = None) -> None:
    """The password passed and a second factor is still to come: this try does not count,
    the failures before it still do."""
    counters.unbump(_tries_key(username), WINDOW, now)
