"""Anonymous intake benchmark: report submissions per second through the real /r/ view (seal
to the desk's ring and to the reporter's key, store, audit), beside a view that only runs the
same receipt derivation (Argon2id once + HKDF) behind the same middleware. Same run, same
settings (production KDF: VAULT_KDF_OPS 3, 64 MiB), so the ratio is what matters.

    .venv/bin/python bench/intake.py [--reports 40]

Target: submissions reach at least 0.8 of the derivation-only view's rate (the derivation
dominates; everything else the submission does must stay small beside it). Exits 1 below.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET = 0.8
urlpatterns: list = []


def setup(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["AMPARO_VAR_DIR"] = str(workdir)
    os.environ.setdefault("ANONYMOUS_GLOBAL_PER_MINUTE", "1000000")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.MEDIA_ROOT = str(workdir / "media")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from django.http import HttpRequest, HttpResponse
    from django.urls import include, path
    from django.views.decorators.http import require_POST

    from amparo.vault import services as vault

    @require_POST
    def derive_only(request: HttpRequest) -> HttpResponse:
        vault.derive_reporter_keys(request.POST.get("receipt", ""))
        return HttpResponse("ok", content_type="text/plain")

    urlpatterns[:] = [path("bench-derive/", derive_only), path("", include("amparo.urls"))]
    settings.ROOT_URLCONF = __name__


def world() -> None:
    from amparo.network import services as network
    from amparo.network.models import Network, Role
    from amparo.network.tests.factories import UserFactory
    from amparo.vault import services as vault

    coalition = network.create_network("system", slug="coalition", name="Coalition", kind=Network.Kind.COALITION)
    national = network.create_network("system", slug="hn", name="HN", kind=Network.Kind.NATIONAL,
                                      parent=coalition, country="HN")
    desk = network.create_desk("system", national, slug="desk-hn", name="Desk HN", countries=["HN"])
    member = UserFactory.create(username="bench-documenter")
    vault.create_member_key(member, "a long enough passphrase for the bench")
    network.add_membership("system", user=member, role=Role.DOCUMENTER, network=national, desk=desk)


def run(count: int) -> float:
    from django.test import Client

    from amparo.registry.models import Incident
    from amparo.registry.services import intake

    client = Client()
    receipts = [intake.issue_receipt("es") for _ in range(count * 2)]
    narrative = "Me siguieron desde la radio hasta mi casa. " * 40  # about 1.7 KB
    for receipt, _binding in receipts[:2]:  # warm up both paths
        client.post("/bench-derive/", {"receipt": receipt})
    rounds: list[tuple[float, float]] = []
    for half in (receipts[:count], receipts[count:]):  # interleaved halves: fairer on a busy machine
        started = time.perf_counter()
        for receipt, _binding in half[: count // 2]:
            assert client.post("/bench-derive/", {"receipt": receipt}).status_code == 200
        derive = (count // 2) / (time.perf_counter() - started)
        started = time.perf_counter()
        for receipt, binding in half[count // 2:]:
            response = client.post("/r/", {"receipt": receipt, "binding": binding, "country": "HN",
                                           "narrative": narrative, "when": "la semana pasada",
                                           "help_wanted": "Una abogada"})
            assert response.status_code == 303, response.status_code  # to her conversation's address
        submit = (count - count // 2) / (time.perf_counter() - started)
        rounds.append((derive, submit))
    assert Incident.objects.count() == count
    derive = sum(r[0] for r in rounds) / len(rounds)
    submit = sum(r[1] for r in rounds) / len(rounds)
    ratio = submit / derive
    print(f"  derivation only                     {derive:8.2f} requests/s")
    print(f"  anonymous report submission         {submit:8.2f} requests/s")
    print(f"  ratio                               {ratio:8.2f}  (target >= {TARGET})")
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="amparo-bench-intake-") as tmp:
        setup(Path(tmp))
        world()
        ratio = run(args.reports)
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
