"""gunicorn's own logger with the access log switched off, for bench/run only.

gunicorn.conf.py has no off switch: GUNICORN_ACCESS_LOG="" is taken as a file name and gunicorn
refuses to start, and /dev/null still formats every line (measured at about a sixth of the
ping view's CPU time). bench/run passes `--logger-class access_log_off.NoAccessLog`.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger


class NoAccessLog(Logger):
    def _compute_access_log_enabled(self) -> bool:  # gunicorn >= 24 asks this once per setup
        return False

    def access(self, *args: Any, **kwargs: Any) -> None:  # and older releases call this
        return None
