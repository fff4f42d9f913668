"""The steps a new protocol starts with, by kind (the desk edits them before saving): a
starting point drawn from what the networks do, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _


def default_steps(kind: str) -> list[str]:
    steps = {
        "preventive": [
            _("Agree a check-in schedule and a safety contact"),
            _("Keep a list of lawyers and allies to call, off the phone"),
            _("Vary routes and times; do not travel alone to risky places"),
        ],
        "detention": [
            _("The safety contact calls the lawyer and the desk at once"),
            _("Find out where she is held; ask the authorities in writing"),
            _("Prepare an urgent appeal with her consent"),
            _("Tell her family and organisation"),
        ],
        "disappearance": [
            _("Confirm the last contact: when, where, with whom"),
            _("File a report for disappearance with the prosecutor"),
            _("Alert the desk, allies and embassies; prepare an urgent appeal"),
            _("Ask the UN special procedures for urgent action"),
        ],
        "raid": [
            _("Do not resist; ask for the warrant and the officers' names"),
            _("Call the lawyer and the desk"),
            _("Write down what was taken, by whom, as soon as possible"),
        ],
        "seized_phone": [
            _("From another device, change her passwords and log out her sessions"),
            _("Lock down her Amparo account"),
            _("Warn her contacts: they may receive messages from her number"),
            _("Ask the help desk for digital-security help"),
        ],
    }
    return steps.get(kind, [])
