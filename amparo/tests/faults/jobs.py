"""Jobs the fault tests run in a process of their own (through amparo.tests.faults.stall),
called by the service entry points the app itself uses."""

from __future__ import annotations

from amparo.accounts.models import User
from amparo.vault import services as vault
from amparo.vault.models import KeyRing


def remove_member(ring_id: int, user_id: int) -> str:
    """A key-ring rotation: she leaves the ring, which moves to a new epoch."""
    vault.remove_ring_member(KeyRing.objects.get(pk=ring_id), User.objects.get(pk=user_id))
    return "rotated"


def seed_desk(password: str) -> str:
    """A fresh database gets one network, a desk for Honduras and its documenter (with a member
    key), so that anonymous reports from Honduras have a desk to be sealed to."""
    from amparo.network import services as network
    from amparo.network.models import Network, Role

    national = network.create_network("system", slug="network-hn", name="Network HN", kind=Network.Kind.NATIONAL,
                                      country="HN")
    desk = network.create_desk("system", national, slug="desk-hn", name="Desk HN", countries=["HN"])
    user = User.objects.create(username="documenter", email="documenter@example.org", password="!unusable")
    vault.create_member_key(user, password)
    network.add_membership("system", user=user, role=Role.DOCUMENTER, network=national, desk=desk)
    return desk.slug


def check_receipts(path: str) -> str:
    """Each acknowledged receipt (a JSON file: receipt -> the words she wrote) opens her report
    with her words; and no report is half-written. Answers JSON."""
    import json

    from amparo.registry.models import AnonymousReceipt, Incident
    from amparo.registry.services import intake

    wanted: dict[str, str] = json.loads(open(path).read())  # noqa: SIM115, PTH123 - read once
    missing, wrong = [], []
    for receipt, words in wanted.items():
        opened = intake.open_with_receipt(receipt)
        if opened is None:
            missing.append(receipt)
        elif words not in opened.narrative:
            wrong.append(receipt)
    anonymous = Incident.objects.filter(channel=Incident.Channel.ANONYMOUS)
    return json.dumps({
        "acknowledged": len(wanted), "missing": len(missing), "wrong": len(wrong),
        "stored": anonymous.count(), "receipts": AnonymousReceipt.objects.count(),
        "without_receipt": anonymous.filter(receipt__isnull=True).count(),
        "without_words": anonymous.filter(narrative__isnull=True).count(),
    })
