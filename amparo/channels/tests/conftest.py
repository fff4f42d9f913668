"""Real servers on loopback for the channels' tests: Debian's Dovecot (IMAP) with its own
configuration and mail folder, and a fake SMS gateway that speaks Twilio's REST format."""

from __future__ import annotations

import getpass
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

DOVECOT = "/usr/sbin/dovecot"


def _spare_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Imap:
    host: str
    port: int
    user: str
    password: str
    log: Path


CONFIG = """\
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:{base}/mail/%u
first_valid_uid = {uid}
{users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={base}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


@pytest.fixture
def imap_server(tmp_path: Path) -> Iterator[Imap]:
    """Dovecot on a spare loopback port, stopped after the test. As root, Dovecot refuses to
    open mail as root: the mail then belongs to its own `dovecot` user, in a folder it can
    reach (pytest's temporary folders are closed to other users)."""
    if not os.path.exists(DOVECOT):
        pytest.fail("dovecot-imapd is missing: scripts/ensure-debian-packages dovecot-imapd")
    if os.getuid() == 0:
        base = Path(tempfile.mkdtemp(prefix="amparo-imap-"))
        base.chmod(0o711)
        owner = pwd.getpwnam("dovecot")
        uid, gid, users = owner.pw_uid, owner.pw_gid, ""
    else:
        base, uid, gid = tmp_path / "imap", os.getuid(), os.getgid()
        base.mkdir()
        me = getpass.getuser()
        users = f"default_internal_user = {me}\ndefault_login_user = {me}\n"
    for folder in ("run", "state", "mail"):
        (base / folder).mkdir()
    os.chown(base / "mail", uid, gid)
    port = _spare_port()
    (base / "passwd").write_text("desk-a:{PLAIN}a mailbox password\n")
    (base / "dovecot.conf").write_text(CONFIG.format(base=base, uid=uid, gid=gid, port=port, users=users))
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(base / "dovecot.conf")],  # noqa: S603 - our own config
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    log = (base / "dovecot.log").read_text() if (base / "dovecot.log").exists() else ""
                    pytest.fail(f"dovecot did not start: {log[-2000:]}")
                time.sleep(0.05)
        yield Imap("127.0.0.1", port, "desk-a", "a mailbox password", base / "dovecot.log")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if base != tmp_path / "imap":
            shutil.rmtree(base, ignore_errors=True)


@dataclass
class FakeGateway:
    """An SMS gateway on loopback speaking Twilio's REST format: what it was sent, as parsed."""

    url: str
    account: str
    token: str
    sent: list[dict[str, str]] = field(default_factory=list)
    auth: list[str] = field(default_factory=list)
    fail_next: int = 0  # answer 503 this many times first


@pytest.fixture
def fake_gateway() -> Iterator[FakeGateway]:
    gateway = FakeGateway(url="", account="AC0123456789abcdef0123456789abcdef", token="a gateway token")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's API
            length = int(self.headers.get("Content-Length", 0))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            if self.path != f"/2010-04-01/Accounts/{gateway.account}/Messages.json":
                self._answer(404, {"code": 20404})
                return
            if gateway.fail_next:
                gateway.fail_next -= 1
                self._answer(503, {"code": 20503})
                return
            gateway.sent.append(form)
            gateway.auth.append(self.headers.get("Authorization", ""))
            self._answer(201, {"sid": f"SM{len(gateway.sent):032d}", "status": "queued"})

        def _answer(self, status: int, body: dict) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
