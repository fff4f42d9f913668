"""An SMTP server in a process of its own, for the fault tests and bench/circulation.py.

    python -m amparo.appeals.tests.smtp_sink --port 2525 --record /tmp/ids.txt

It accepts every message and appends one line per message to the record file: the time it
accepted it and its Message-ID. The line is written (an unbuffered write, in the page cache
even if this process is killed) before the server answers 250, so a message the client saw
accepted is always in the file. SIGTERM stops it cleanly; started again on the same port it
appends to the same file. `SinkProcess` starts, stops and reads it from a test or the bench.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(<[^>\r\n]+>)", re.M | re.I)


def serve(port: int, record: Path) -> None:
    from aiosmtpd.controller import Controller

    fd = os.open(record, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
            content = envelope.content or b""
            head = content[: content.find(b"\r\n\r\n") if b"\r\n\r\n" in content else 4096]
            found = MESSAGE_ID.search(head)
            os.write(fd, b"%.6f %s\n" % (time.time(), found.group(1) if found else b"<none>"))
            return "250 Message accepted"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port, ready_timeout=10)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller.start()
    print("ready", flush=True)
    stop.wait()
    controller.stop()
    os.close(fd)


class SinkProcess:
    """The sink as a child process: start, stop (SIGTERM), start again on the same port."""

    def __init__(self, record: Path, port: int | None = None) -> None:
        self.record = record
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        root = Path(__file__).resolve().parents[3]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "amparo.appeals.tests.smtp_sink", "--port", str(self.port),
             "--record", str(self.record)],
            cwd=root, stdout=subprocess.PIPE, start_new_session=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if line.strip() != b"ready":
            self.stop()
            raise RuntimeError("the SMTP sink did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None

    def lines(self) -> list[tuple[float, str]]:
        if not self.record.exists():
            return []
        found = []
        for line in self.record.read_bytes().splitlines():
            stamp, _, mid = line.partition(b" ")
            found.append((float(stamp), mid.decode()))
        return found

    def count(self) -> int:
        return self.record.read_bytes().count(b"\n") if self.record.exists() else 0

    def message_ids(self) -> Counter[str]:
        return Counter(mid for _stamp, mid in self.lines())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--record", type=Path, required=True)
    options = parser.parse_args()
    serve(options.port, options.record)
