"""What the circulation tests share: many supporters made fast, an approved appeal in three
languages, a fake SMS gateway on loopback, and real Celery worker processes to kill."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from amparo.appeals import sealing, services
from amparo.appeals.models import Supporter, SupporterCountry

ROOT = Path(__file__).resolve().parents[3]
TITLES = {"en": "Honduras: death threats – Berta Flores", "es": "Honduras: amenazas de muerte – Berta Flores",
          "fr": "Honduras : menaces de mort – Berta Flores"}
SUMMARIES = {"en": "Berta Flores received death threats after speaking about the river.",
             "es": "Berta Flores recibió amenazas de muerte tras hablar del río.",
             "fr": "Berta Flores a reçu des menaces de mort après avoir parlé de la rivière."}
UPDATE_TITLES = {"en": "Charges dropped", "es": "Cargos retirados", "fr": "Charges abandonnées"}


@dataclass
class Made:
    pk: int
    email: str
    token: str
    languages: str
    phone: str = ""


def make_supporters(count: int, *, languages: list[str], countries: list[str] | None = None,
                    prefix: str = "s", phone: bool = False, status: str = Supporter.Status.CONFIRMED) -> list[Made]:
    """`count` confirmed supporters, their languages taken in turn from `languages` (each may be
    "es,en"), sealed as the subscribe service seals them; bulk-inserted."""
    rows, made = [], []
    for n in range(count):
        email = f"{prefix}{n}@supporters.example"
        token = secrets.token_urlsafe(24)
        number = f"+1555{n:07d}" if phone else ""
        langs = languages[n % len(languages)]
        rows.append(Supporter(
            email=sealing.seal_supporter_contact("email", email),
            email_index=sealing.supporter_email_index(email),
            phone=sealing.seal_supporter_contact("phone", number) if phone else None,
            phone_index=sealing.supporter_phone_index(number) if phone else "",
            by_sms=phone, token_hash=hashlib.sha256(token.encode()).hexdigest(),
            token=sealing.seal_supporter_contact("token", token),
            languages=langs, status=status))
        made.append(Made(0, email, token, langs, number))
    created = Supporter.objects.bulk_create(rows, batch_size=1000)
    if created and created[0].pk is None:  # backends that do not return ids
        found = dict(Supporter.objects.filter(email_index__in=[r.email_index for r in rows]).values_list(
            "email_index", "pk"))
        for row, m in zip(rows, made, strict=True):
            m.pk = found[row.email_index]
    else:
        for row, m in zip(created, made, strict=True):
            m.pk = row.pk
    if countries:
        SupporterCountry.objects.bulk_create([SupporterCountry(supporter_id=m.pk, country=c)
                                              for m in made for c in countries], batch_size=1000)
    return made


def draft_in_review(world: Any, languages: tuple[str, ...] = ("en", "es", "fr")) -> Any:
    """An appeal of desk A in Honduras, written in English and translated, waiting for approval."""
    data = services.AppealData(language="en", country="HN", title=TITLES["en"], summary=SUMMARIES["en"],
                               background="She defends the river.", concerns="Her life is at risk.",
                               actions="Protect Berta Flores\nInvestigate the threats")
    author = world.users["documenter_a"]
    appeal = services.draft_appeal(author, world.desk_a, data)
    for code in languages:
        if code != "en":
            services.translate_appeal(author, appeal, code, {"title": TITLES[code], "summary": SUMMARIES[code],
                                                              "actions": "Proteger\nInvestigar"})
    services.add_addressee(author, appeal, authority="Attorney General", email="fiscal@gob.example",
                           salutation="Dear Attorney General")
    services.submit_for_review(author, appeal)
    return appeal


def approve(world: Any, appeal: Any) -> Any:
    """The network's coordinator approves, opening the sealed draft with her key."""
    return services.approve_appeal(world.users["coordinator"], appeal, unlocked=world.unlocked["coordinator"])


def approved_update(world: Any, appeal: Any, languages: tuple[str, ...] = ("en", "es", "fr")) -> Any:
    author = world.users["documenter_a"]
    update = services.add_update(author, appeal, title=UPDATE_TITLES["en"], body="The charges were dropped.")
    for code in languages:
        if code != "en":
            services.translate_update(author, update, code, title=UPDATE_TITLES[code], body="…")
    return services.approve_update(world.users["coordinator"], update, unlocked=world.unlocked["coordinator"])


def parse(raw: bytes | str) -> EmailMessage:
    data = raw.encode() if isinstance(raw, str) else raw
    return message_from_bytes(data, policy=policy.default)


# --- A fake SMS gateway (Twilio's request format) on loopback --------------------------------

@dataclass
class GatewayRequest:
    path: str
    authorization: str
    form: dict[str, str]


@dataclass
class FakeGateway:
    """Records each request; answers 201, or what `answers` says for a number (a status, once
    or always)."""

    requests: list[GatewayRequest] = field(default_factory=list)
    answers: dict[str, list[int]] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/base"

    def start(self) -> FakeGateway:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's API
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                gateway.requests.append(GatewayRequest(self.path, self.headers.get("Authorization", ""), form))
                planned = gateway.answers.get(form.get("To", ""), [])
                status = planned.pop(0) if len(planned) > 1 else (planned[0] if planned else 201)
                answer = {"sid": f"SM{len(gateway.requests):032d}", "status": "queued"} if status < 300 else \
                    {"code": 21211, "message": "invalid", "status": status}
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def basic(account: str, token: str) -> str:
    return "Basic " + base64.b64encode(f"{account}:{token}".encode()).decode()


# --- Real Celery workers against the test database -------------------------------------------

def database_url() -> str:
    """The test database, for processes of their own: pytest-django renamed it (a file of its
    own on SQLite, test_<name> on PostgreSQL); a transactional test commits into it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Workers:
    """`celery worker` and `celery beat` processes, each in a session of its own so that
    SIGKILL reaches the worker and its pool children at once, as a crash would."""

    def __init__(self, tmp: Path, env: dict[str, str]) -> None:
        self.tmp = tmp
        self.env = env
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *, beat: bool = False) -> None:
        queue = self.env["AMPARO_CIRCULATION_QUEUE"]
        celery = str(Path(sys.executable).parent / "celery")
        if beat:
            argv = [celery, "-A", "amparo", "beat", "--loglevel=WARNING", "-s", str(self.tmp / "beat-schedule")]
        else:
            argv = [celery, "-A", "amparo", "worker", "--loglevel=WARNING", "--pool=prefork", "--concurrency=1",
                    "-n", f"{name}@%h", "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat"]
        with (self.tmp / f"{name}.log").open("ab") as log:
            self.processes[name] = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=log, stderr=log,
                                                    start_new_session=True)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        """At the end of a test nothing needs a clean exit: killed, so the database is free."""
        for name in list(self.processes):
            self.kill(name)

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def worker_env(tmp: Path, *, smtp_port: int, queue: str, **extra: str) -> dict[str, str]:
    """The environment of a worker that shares the test's database, broker and keys."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update({
        "DATABASE_URL": database_url(),
        "VAULT_SERVICE_KEY": settings.VAULT_SERVICE_KEY,
        "AMPARO_VAR_DIR": str(tmp / "var"),
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port),
        "AMPARO_CIRCULATION_QUEUE": queue,
        "AMPARO_PUBLIC_URL": settings.AMPARO_PUBLIC_URL,
        "AMPARO_MAIL_DOMAIN": settings.AMPARO_MAIL_DOMAIN,
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
        **extra,
    })
    return env


def use_broker_of(app: Any, tmp: Path) -> None:
    """Point this process's Celery app at the broker the workers use: the file broker under
    their AMPARO_VAR_DIR, or the configured server (Redis in CI)."""
    if app.conf.broker_url.startswith("filesystem"):
        folder = tmp / "var" / "broker"
        for name in ("queue", "processed", "control"):
            (folder / name).mkdir(parents=True, exist_ok=True)
        app.conf.broker_transport_options = {
            "data_folder_in": str(folder / "queue"), "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"), "processed_folder": str(folder / "processed"),
            "store_processed": False,
        }
    reset_connections(app)


def reset_connections(app: Any) -> None:
    """Producers pool their connections with the options they were made with, in kombu's own
    registry too (where an earlier test may have closed them): new ones."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def wait_for(predicate: Any, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())
