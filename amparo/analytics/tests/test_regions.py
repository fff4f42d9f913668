"""The shipped region groupings: every country placed, checked against Global Witness's continents;
and the UN Special Rapporteur's 2013 table reproduced through the normal import."""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
import re
from pathlib import Path

import pycountry
import pytest
from django.core.management import call_command
from django.urls import reverse

from amparo.analytics.models import Grouping, RegionCountry
from amparo.analytics.tests.stats_data import ship_groupings
from amparo.registry.models import Incident
from conftest import sign_in

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
DATA = Path("/work/shared/data") if Path("/work/shared/data").is_dir() else ROOT.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _shipped(db, vocabulary):
    ship_groupings()


def test_every_country_has_a_special_rapporteur_region_and_a_continent():
    current = {c.alpha_2 for c in pycountry.countries}
    for code in ("un-sr", "continents"):
        placed = set(RegionCountry.objects.filter(grouping__code=code).values_list("country", flat=True))
        missing = current - placed
        assert missing <= {"AQ"}, f"{code}: {sorted(missing)}"
    sr = dict(RegionCountry.objects.filter(grouping__code="un-sr").values_list("country", "region__code"))
    assert Grouping.objects.get(code="un-sr").regions.count() == 5
    expected = {"CO": "lac", "HT": "lac", "EG": "mena", "MA": "mena", "IL": "mena", "IR": "ap", "PH": "ap",
                "FJ": "ap", "US": "ena-ca", "TR": "ena-ca", "KZ": "ena-ca", "RU": "ena-ca", "CD": "africa",
                "SD": "africa", "ZA": "africa"}
    assert {c: sr[c] for c in expected} == expected
    # former countries (ISO 3166-3) have a region too, for old records
    assert sr["YUCS"] == "ena-ca" and sr["ZRCD"] == "africa"


@pytest.mark.skipif(not (DATA / "global_witness_defenders_killed_2012_2023.csv").exists(),
                    reason="the shared data files are not here")
def test_continents_agree_with_the_global_witness_file():
    continents = dict(RegionCountry.objects.filter(grouping__code="continents")
                      .values_list("country", "region__code"))
    with open(DATA / "global_witness_defenders_killed_2012_2023.csv", encoding="utf-8") as f:
        pairs = {(row["continent"], row["country_numeric"]) for row in csv.DictReader(f)}
    for continent, numeric in pairs:
        country = pycountry.countries.get(numeric=numeric.zfill(3))
        assert continents[country.alpha_2] == continent.lower(), (continent, country.name)


# --- The Special Rapporteur's 2013 table --------------------------------------------------------

# A/HRC/25/55 (2013 communications): about 420 to Asia-Pacific (28 %), about 400 to Latin America
# (26 %), more than 250 to the Middle East and North Africa (17 %), about 230 to Europe, North
# America and Central Asia (15.2 %), about 200 to Africa (13 %); 18 % expressly involving women.
QUOTED = {"ap": (420, 28.0), "lac": (400, 26.0), "mena": (255, 17.0), "ena-ca": (230, 15.2), "africa": (200, 13.0)}
WOMEN = 18.0
COUNTRIES = {
    "ap": ["PH", "IN", "PK", "ID", "CN", "TH", "MM", "KH", "NP", "BD", "LK", "VN", "MY"],
    "lac": ["CO", "MX", "BR", "GT", "HN", "PE", "VE", "EC", "PY"],
    "mena": ["EG", "SY", "BH", "SA", "TN", "IQ", "PS", "YE", "AE"],
    "ena-ca": ["RU", "TR", "BY", "AZ", "UZ", "KZ", "US", "HU", "TJ"],
    "africa": ["CD", "ZW", "KE", "SD", "ET", "UG", "NG", "CM", "BI"],
}
MAPPING = {
    "name": "special_rapporteur_2013",
    "description": "Communications of the UN Special Rapporteur on human rights defenders, 2013 (generated).",
    "identifier": "reference",
    "unknown": [""],
    "dates": {"formats": [{"pattern": "%d/%m/%Y", "precision": "day"}]},
    "fields": {
        "occurred_on": {"column": "sent"},
        "country": {"column": "country"},
        "victim_genders": {"column": "concerns", "values": {"women": "gender.woman", "men": "gender.man"}},
        "attack_types": {"column": "allegation", "split": ";",
                         "values": {"threats": "attack.threat", "detention": "attack.detention",
                                    "killing": "attack.killing", "harassment": "attack.harassment"}},
    },
    "constants": {"status": "documented", "consent_statistics": True, "consent_public_appeal": False,
                  "consent_un": True},
}


def sr_file(folder: Path) -> tuple[Path, Path]:
    """About 1,500 communications in plausible countries of each region, 18 % about women."""
    rng = random.Random(2013)
    lines = []
    for region, (count, _share) in QUOTED.items():
        for i in range(count):
            day = datetime.date(2013, 1, 1) + datetime.timedelta(days=rng.randrange(365))
            lines.append({"reference": f"{region.upper()}-2013-{i + 1:04d}", "sent": day.strftime("%d/%m/%Y"),
                          "country": rng.choice(COUNTRIES[region]), "concerns": "men",
                          "allegation": ";".join(rng.sample(["threats", "detention", "killing", "harassment"],
                                                            rng.randint(1, 2)))})
    rng.shuffle(lines)
    for line in lines[:round(len(lines) * WOMEN / 100)]:
        line["concerns"] = "women"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(lines[0]))
    writer.writeheader()
    writer.writerows(lines)
    csv_path, mapping_path = folder / "special_rapporteur_2013.csv", folder / "special_rapporteur_2013.json"
    csv_path.write_text(out.getvalue(), encoding="utf-8")
    mapping_path.write_text(json.dumps(MAPPING, indent=1), encoding="utf-8")
    return csv_path, mapping_path


def test_the_special_rapporteurs_2013_shares_come_back_from_the_page_the_api_and_the_csv(client, world, tmp_path):
    csv_path, mapping_path = sr_file(tmp_path)
    call_command("import_incidents", str(csv_path), desk=world.desk_a.slug, mapping=str(mapping_path))
    assert Incident.objects.filter(desk=world.desk_a).count() == 1505

    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    html = client.get(reverse("analytics:regions"), {"year": "2013", "grouping": "un-sr"}).content.decode()
    api = client.get("/api/v1/stats/incidents", {"group_by": "region", "year": "2013"}).json()
    csv_text = client.get("/api/v1/stats/incidents", {"group_by": "region", "year": "2013",
                                                      "format": "csv"}).content.decode()
    from_csv = {r["region"]: float(r["share"]) for r in csv.DictReader(io.StringIO(csv_text))}
    from_api = {r["region"]: r["share"] for r in api["rows"]}
    labels = {r["region"]: r["region_label"] for r in api["rows"]}
    for region, (count, share) in QUOTED.items():
        assert abs(from_api[region] - share) <= 1.0, (region, from_api[region], share)
        assert from_csv[region] == from_api[region]
        shown = re.search(rf"<th scope=\"row\">{re.escape(labels[region])}</th>"
                          r"<td[^>]*>(\d+)</td><td[^>]*>([\d.]+)</td>", html)
        assert shown, labels[region]
        assert int(shown.group(1)) == count and abs(float(shown.group(2)) - share) <= 1.0
    women = client.get("/api/v1/stats/incidents", {"group_by": "gender", "year": "2013"}).json()
    assert abs({r["gender"]: r["share"] for r in women["rows"]}["gender.woman"] - WOMEN) <= 1.0
    gender_page = client.get(reverse("analytics:profiles"), {"year": "2013"}).content.decode()
    assert re.search(r"Woman</th><td[^>]*>271</td><td[^>]*>18.0</td>", gender_page)
