"""The XForm: the anonymous form's questions in four languages, valid for ODK (pyxform's own
validation, ODK Validate), with meta/instanceID; and a submission of it read back."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree  # type: ignore[import-untyped]  # ships no type stubs (types-defusedxml is not locked)
from pyxform import xls2xform  # type: ignore[import-untyped]  # pyxform ships no py.typed marker

from amparo.network import services as network
from amparo.openrosa import instances, xform

XF = "{http://www.w3.org/2002/xforms}"


@pytest.mark.parametrize("countries", [("HN",), ("GT", "HN", "SV"), ()])
def test_the_form_passes_pyxforms_own_validation(countries):
    result = xls2xform.convert(xlsform=xform.workbook(countries), validate=True)
    assert not result.warnings, result.warnings
    root = ElementTree.fromstring(result.xform.encode())
    data = root.find(f".//{XF}instance/{XF}data")
    assert data.get("id") == xform.FORM_ID and data.get("version") == xform.FORM_VERSION
    assert data.find(f"{XF}meta/{XF}instanceID") is not None
    questions = {child.tag.removeprefix(XF) for child in data}
    assert {"narrative", "when", "where", "targeted", "safe_now", "help_wanted", "photo", "consent"} <= questions
    assert ("country" in questions) == (len(countries) != 1)  # one country: nothing to ask


def test_the_form_speaks_four_languages():
    root = ElementTree.fromstring(xform._built(("HN",)).xml)
    languages = {t.get("lang") for t in root.iter(f"{XF}translation")}
    assert languages == {"English (en)", "Español (es)", "Français (fr)", "Português (pt)"}
    texts = {t.get("lang"): {x.get("id"): "".join(x.itertext()) for x in t} for t in root.iter(f"{XF}translation")}
    assert texts["Español (es)"]["/data/narrative:label"] == "¿Qué pasó?"
    assert texts["Português (pt)"]["/data/narrative:label"] != texts["English (en)"]["/data/narrative:label"]
    assert texts["Français (fr)"]["/data/safe_now:label"] != texts["English (en)"]["/data/safe_now:label"]


def test_a_coalition_wide_desk_asks_for_the_country(world):
    desk = network.create_desk("system", world.coalition, slug="coalition-desk", name="Coalition", countries=[],
                               coalition_wide=True)
    form = xform.for_desk(desk)
    assert b'instance id="country"' in form.xml and b"<name>MX</name>" in form.xml
    assert xform.for_desk(world.desk_a).md5 != form.md5


def test_a_filled_form_reads_back_as_the_web_forms_report():
    xml = (b'<data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" '
           b'id="amparo-report" version="2026120601"><narrative>Nos amenazaron</narrative><when>ayer</when>'
           b"<where>Tela</where><targeted>colleague</targeted><perpetrator/><safe_now>yes</safe_now>"
           b"<help_wanted>abogada</help_wanted><photo/><another_photo/><document/><consent>un</consent>"
           b"<meta><instanceID>uuid:abc</instanceID></meta></data>")
    instance = instances.parse(xml)
    assert instance.instance_id == "uuid:abc"
    data = instances.incident_data(instance, {"HN"})
    assert data.country == "HN" and data.locality == "Tela" and data.consent_un and not data.consent_statistics
    assert "Nos amenazaron" in data.narrative and "ayer" in data.narrative
    assert data.help_wanted == "abogada" and data.safe_now == "yes"  # fields of their own (issue 16)
