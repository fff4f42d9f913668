"""What each use of a report means, and what giving or taking it back changes, in plain words:
for her page and for the desk's record of a consent."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from amparo.registry.models import ConsentRecord

# What each use means, and what giving or taking it back changes, in plain words.
USES: dict[str, dict[str, Any]] = {
    ConsentRecord.Use.STATISTICS: {
        "name": gettext_lazy("Count it in anonymous statistics"),
        "give": gettext_lazy("Your report will be counted, without any name, in the network's figures and map "
                             "from their next update."),
        "take_back": gettext_lazy("Your report will no longer be counted in the network's figures and map, from "
                                  "their next update. The team keeps it on record and can still help you."),
        "give_staff": gettext_lazy("it is counted in anonymous statistics from their next update."),
        "take_back_staff": gettext_lazy("it leaves anonymous statistics from their next update."),
    },
    ConsentRecord.Use.PUBLIC_APPEAL: {
        "name": gettext_lazy("Make it the subject of a public urgent appeal"),
        "give": gettext_lazy("The team may prepare a public urgent appeal about it. They will ask you through the "
                             "messages here before anything is published."),
        "take_back": gettext_lazy("No new public appeal will be made about it. An appeal already published stays "
                                  "public; ask the team in a message if you want it taken down."),
    },
    ConsentRecord.Use.UN: {
        "name": gettext_lazy("Share it with UN mechanisms"),
        "give": gettext_lazy("The team may send it to the United Nations' experts (special rapporteurs)."),
        "take_back": gettext_lazy("The team will not send it to the United Nations' experts. What was already sent "
                                  "cannot be called back."),
        "give_staff": gettext_lazy("the team may send it to the United Nations' experts."),
        "take_back_staff": gettext_lazy("it will not be sent to the United Nations' experts."),
    },
}
