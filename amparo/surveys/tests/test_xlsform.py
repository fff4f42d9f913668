"""XLSForm in and out: a hand-written real-world form imports; what Amparo cannot keep is
refused by name; an exported survey imported back is the same survey; the XForm is valid XML."""

from __future__ import annotations

import io
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.surveys import queries, xlsform
from amparo.surveys.demo import needs_survey
from amparo.surveys.models import Survey
from amparo.surveys.tests.fixtures.needs_xlsform import workbook
from amparo.surveys.tests.tables import table_survey
from conftest import sign_in

FIXTURE = Path(__file__).parent / "fixtures" / "needs.xlsx"


def _bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_fixture_file_is_the_hand_written_one() -> None:
    again = xlsform.read_xlsform(_bytes(workbook()))
    assert xlsform.read_xlsform(FIXTURE.read_bytes()) == again


def test_a_real_world_xlsform_with_groups_relevance_and_choice_lists_imports() -> None:
    spec = xlsform.read_xlsform(FIXTURE.read_bytes())
    assert spec.form_id == "whrd_needs_2026" and spec.languages == ["en", "es", "pt"]
    assert [s.name for s in spec.sections] == ["about", "threats", "digital", "support"]
    about, threats, digital, _support = spec.sections
    assert [q.kind for q in about.questions] == ["single", "text", "number"]  # start/end dropped
    assert (about.questions[1].show_if_question, about.questions[1].show_if_value) == ("in_org", "yes")
    assert (digital.show_if_question, digital.show_if_value) == ("in_org", "yes")
    assert threats.questions[2].show_if_value == "online" and threats.questions[1].scale_max == 5
    assert threats.questions[0].label["pt"] == "O que você enfrentou no último ano?"
    assert [c.name for c in digital.questions[0].choices] == ["yes", "no"]  # the shared list, on both


@pytest.mark.parametrize(("column", "value", "named"), [
    ("constraint", ". > 0", "“constraint”"),
    ("calculation", "1 + 1", "“calculation”"),
    ("label::Kiswahili (sw)", "Jina", "“label::Kiswahili (sw)”"),
])
def test_an_unsupported_column_is_refused_by_name(column: str, value: str, named: str) -> None:
    with pytest.raises(xlsform.XLSFormRefused) as refused:
        xlsform.read_xlsform(_bytes(workbook((column, value))))
    assert named in str(refused.value)


def test_an_unsupported_type_or_relevance_is_refused_by_name() -> None:
    book = workbook()
    book["survey"].append(["begin_repeat", "people", "People"])
    with pytest.raises(xlsform.XLSFormRefused, match="“begin_repeat”"):
        xlsform.read_xlsform(_bytes(book))
    book = workbook()
    book["survey"]["I6"] = "${in_org} != 'yes' and ${years_active} > 2"
    with pytest.raises(xlsform.XLSFormRefused, match="relevant"):
        xlsform.read_xlsform(_bytes(book))
    with pytest.raises(xlsform.XLSFormRefused, match="not an XLSForm"):
        xlsform.read_xlsform(b"not a workbook")


def test_an_exported_survey_imported_back_is_the_same(db, world) -> None:
    survey = table_survey(world)
    spec = queries.spec_of(survey)
    assert spec == needs_survey()
    assert xlsform.read_xlsform(xlsform.write_xlsform(spec)) == spec
    imported = xlsform.read_xlsform(FIXTURE.read_bytes())
    assert xlsform.read_xlsform(xlsform.write_xlsform(imported)) == imported


def test_the_xform_export_is_an_xform(db, world) -> None:
    root = ElementTree.fromstring(  # noqa: S314 - our own export, not untrusted data
        xlsform.write_xform(queries.spec_of(table_survey(world))))
    assert root.tag == "{http://www.w3.org/1999/xhtml}html"
    xml = ElementTree.tostring(root, encoding="unicode")
    assert "selected( /data/protection/threats , 'physical')" in xml and "Português (pt)" in xml


def test_a_coordinator_imports_and_exports_through_the_pages(client, world) -> None:
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    upload = SimpleUploadedFile("needs.xlsx", FIXTURE.read_bytes())
    response = client.post("/surveys/import/", {"network": world.network_a.pk, "file": upload})
    assert response.status_code == 302
    survey = Survey.objects.get(form_id="whrd_needs_2026")
    exported = client.get(f"/surveys/{survey.pk}/xlsform/")
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsform.read_xlsform(exported.content) == xlsform.read_xlsform(FIXTURE.read_bytes())
    assert client.get(f"/surveys/{survey.pk}/xform/").content.startswith(b"<?xml")
    bad = SimpleUploadedFile("bad.xlsx", _bytes(workbook(("constraint", ". > 0"))))
    refused = client.post("/surveys/import/", {"network": world.network_a.pk, "file": bad})
    assert refused.status_code == 400 and "“constraint”" in refused.content.decode()
