"""Run a management command or a job in a process of its own, and stop it dead at a chosen
point of its database work, so that a test can SIGKILL it there: a crash mid-way, at the same
place every run, instead of a kill timed by luck.

    python -m amparo.tests.faults.stall --after 'INSERT INTO "registry_incident"' --nth 3 \\
        -- import_incidents file.csv --desk desk-a --mapping m.json
    python -m amparo.tests.faults.stall --after '...' --call amparo.analytics.tasks.generate_report --args '[7]'

After the `nth` SQL statement matching `--after` (a regular expression) has run, inside
whatever transaction the code holds, it prints "stalled" on stdout and sleeps; the statement's
effect is in the database's hands, uncommitted unless the code committed it. Without `--after`
it simply runs to the end and prints "finished <result>".
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
import time
from typing import Any


def _stall_after(pattern: str, nth: int) -> Any:
    matcher = re.compile(pattern, re.I | re.S)
    seen = [0]

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if matcher.search(sql):
            seen[0] += 1
            if seen[0] == nth:
                sys.stdout.write("stalled\n")
                sys.stdout.flush()
                time.sleep(3600)  # until the test kills the process
        return result
    return wrapper


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--after", default="")
    parser.add_argument("--nth", type=int, default=1)
    parser.add_argument("--call", default="", help="a dotted path to a callable (a Celery task runs in-process)")
    parser.add_argument("--args", default="[]", help="its arguments, a JSON list")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- a management command and its arguments")
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if options.after:
        connection.execute_wrappers.append(_stall_after(options.after, options.nth))
    if options.call:
        module, _, name = options.call.rpartition(".")
        result = getattr(importlib.import_module(module), name)(*json.loads(options.args))
    else:
        command = [part for part in options.command if part != "--"]
        result = call_command(*command)
    sys.stdout.write(f"finished {result}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
