from __future__ import annotations

import csv
import importlib
import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from amparo.core.models import AuditEntry
from amparo.network.tests.factories import UserFactory
from amparo.registry.models import Incident
from amparo.vocabulary import queries, rules, services
from amparo.vocabulary.models import Term
from amparo.vocabulary.services import csv_transfer
from conftest import enrol_second_factor, sign_in

pytestmark = pytest.mark.django_db

SHIPPED = importlib.import_module("amparo.vocabulary.migrations.0002_shipped_vocabulary")
OUTCOMES = importlib.import_module("amparo.vocabulary.migrations.0003_appeal_outcomes")
HEADER = ",".join(rules.COLUMNS)


def _audit_since(before: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(seq__gt=before).order_by("seq"))


def _head() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _code(code: str) -> Term:
    return Term.objects.get(code=code)


# --- The shipped vocabulary ------------------------------------------------------------------

def test_it_ships_terms_of_every_kind_each_with_four_labels():
    codes = [t["code"] for t in SHIPPED.shipped()] + [row[0] for row in OUTCOMES.OUTCOMES]
    shipped = Term.objects.filter(code__in=codes)
    assert shipped.count() >= 90
    per_kind = {kind: shipped.filter(kind=kind).count() for kind in Term.Kind.values}
    assert all(count >= 5 for count in per_kind.values()), per_kind
    for term in shipped:
        assert all(getattr(term, name).strip() for name in rules.LABELS), term.code
        assert rules.CODE.match(term.code) and term.code == term.code.lower()
        assert term.parent is None or term.parent.kind == term.kind


def test_it_marks_every_perpetrator_state_or_not_and_each_branch_alike():
    perpetrators = Term.objects.filter(kind=Term.Kind.PERPETRATOR)
    assert not perpetrators.filter(state_actor__isnull=True).exists()
    assert not Term.objects.exclude(kind=Term.Kind.PERPETRATOR).filter(state_actor__isnull=False).exists()
    for term in perpetrators.exclude(parent=None):
        assert term.state_actor == term.parent.state_actor, term.code
    assert _code("perpetrator.state.police").state_actor is True
    assert _code("perpetrator.non_state.company.security").state_actor is False
    unknown = _code(rules.UNKNOWN_PERPETRATOR)
    assert unknown.parent is None and unknown.state_actor is False


def test_it_ships_again_without_duplicates_and_unships_only_when_unused(world):
    before = Term.objects.count()
    SHIPPED.ship(apps, None)
    assert Term.objects.count() == before
    incident = Incident.objects.create(desk=world.desk_a)
    incident.attack_types.add(_code("attack.threat.death"))
    with pytest.raises(RuntimeError):
        SHIPPED.unship(apps, None)
    incident.attack_types.clear()
    SHIPPED.unship(apps, None)
    assert not Term.objects.filter(code__in=[t["code"] for t in SHIPPED.shipped()]).exists()
    SHIPPED.ship(apps, None)
    assert Term.objects.count() == before


def test_it_falls_back_to_english_for_a_missing_label(world):
    term = services.create_term("system", kind="theme", code="theme.water_commons", label_en="Water commons",
                                  label_es="Bienes comunes del agua")
    assert term.label("es") == "Bienes comunes del agua"
    assert term.label("fr") == term.label("pt") == "Water commons"
    with translation.override("fr"):
        entry = next(e for e in queries.terms_for("theme") if e.term == term)
        assert entry.label == "Water commons" and entry.in_english
        assert entry.missing == ["Français", "Portugais"]  # language names in the reader's language


def test_it_gives_terms_in_reading_order_with_their_depth():
    entries = queries.terms_for(Term.Kind.ATTACK_TYPE)
    codes = [entry.term.code for entry in entries]
    assert codes[:2] == ["attack.threat", "attack.threat.death"]
    assert [e.depth for e in entries[:2]] == [0, 1]
    for entry in entries:  # every broader term comes before its narrower ones
        if entry.term.parent_id:
            assert codes.index(entry.term.parent.code) < codes.index(entry.term.code)


# --- Services ----------------------------------------------------------------------------------

def test_it_audits_every_write_with_the_coordinators_network(world):
    coordinator, before = world.users["coordinator"], _head()
    term = services.create_term(coordinator, kind="risk_factor", code="risk.context.drought",
                                  label_en="Drought", parent=_code("risk.context"))
    services.update_term(coordinator, term, label_pt="Seca")
    services.update_term(coordinator, term, label_pt="Seca")  # nothing changed, nothing written
    services.retire_term(coordinator, term)
    services.retire_term(coordinator, term)
    services.restore_term(coordinator, term)
    entries = _audit_since(before)
    assert [e.action for e in entries] == ["term.created", "term.updated", "term.retired", "term.restored"]
    assert {(e.object_type, e.object_id) for e in entries} == {("registry.term", str(term.pk))}
    assert {e.scope for e in entries} == {f"network:{world.network_a.pk}"}
    assert {e.actor_id for e in entries} == {coordinator.pk}
    assert term.position > _code("risk.protection.digital").position  # a new term comes last


@pytest.mark.parametrize("fields, field", [
    (dict(kind="weather", code="weather.rain"), "kind"),
    (dict(code="Attack Threat"), "code"),
    (dict(code="attack.threat"), "code"),
    (dict(label_en="  "), "label_en"),
    (dict(parent="perpetrator.state"), "parent"),
    (dict(state_actor=True), "state_actor"),
    (dict(kind="perpetrator", code="perpetrator.other"), "state_actor"),
    (dict(kind="perpetrator", code="perpetrator.state.mayor", parent="perpetrator.state", state_actor=False),
     "state_actor"),
])
def test_it_refuses_a_term_that_breaks_a_rule(fields, field):
    values = dict(kind="attack_type", code="attack.new", label_en="New", state_actor=None, **{})
    values.update(fields)
    parent = values.pop("parent", None)
    before = Term.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.create_term("system", parent=_code(parent) if parent else None, **values)
    assert field in refused.value.message_dict
    assert Term.objects.count() == before


def test_it_refuses_to_put_a_term_under_itself_or_a_narrower_term():
    threat = _code("attack.threat")
    for parent in (threat, _code("attack.threat.death")):
        with pytest.raises(ValidationError) as refused:
            services.update_term("system", threat, parent=parent)
        assert "parent" in refused.value.message_dict
    assert _code("attack.threat").parent is None


def test_it_stores_a_double_submit_once():
    first = services.create_term("system", kind="gender", code="gender.two_spirit", label_en="Two-spirit")
    again = services.create_term("system", kind="gender", code="gender.two_spirit", label_en="Two-spirit")
    assert first.pk == again.pk
    with pytest.raises(ValidationError):
        services.create_term("system", kind="gender", code="gender.two_spirit", label_en="Something else")


def test_it_lets_a_perpetrator_inherit_its_state_and_carries_a_change_down_the_branch():
    mayor = services.create_term("system", kind="perpetrator", code="perpetrator.state.local.mayor",
                                   label_en="Mayors", parent=_code("perpetrator.state.local"))
    assert mayor.state_actor is True
    company = _code("perpetrator.non_state.company")
    services.update_term("system", company, parent=_code("perpetrator.state"), state_actor=None)
    assert _code("perpetrator.non_state.company").state_actor is True
    assert _code("perpetrator.non_state.company.security").state_actor is True
    assert _code("perpetrator.non_state.company.agribusiness").state_actor is True


def test_it_keeps_a_retired_term_on_old_records_but_out_of_what_is_offered(world):
    online, leak = _code("attack.online"), _code("attack.online.leak")
    incident = Incident.objects.create(desk=world.desk_a)
    incident.attack_types.add(leak)
    services.retire_term("system", online)
    assert set(incident.attack_types.all()) == {leak}
    offered = {entry.term.code for entry in queries.terms_for("attack_type")}
    assert "attack.online" not in offered and "attack.online.leak" not in offered
    everything = {entry.term.code for entry in queries.terms_for("attack_type", include_retired=True)}
    assert {"attack.online", "attack.online.leak"} <= everything
    with pytest.raises(ValidationError):
        services.restore_term("system", leak)  # its broader term is still retired
    services.restore_term("system", online)
    assert _code("attack.online.leak").retired_at is None  # retired with it, back with it
    assert Term.objects.filter(pk=leak.pk).exists()


# --- CSV -----------------------------------------------------------------------------------------

def test_it_round_trips_the_csv_without_changing_anything():
    services.retire_term("system", _code("attack.raid"))
    exported, before = services.export_csv(), _head()
    result = services.import_csv(exported, "system")
    assert result.ok and (result.created, result.updated, result.retired, result.restored) == (0, 0, 0, 0)
    assert result.unchanged == Term.objects.count()
    assert _audit_since(before) == []
    assert services.export_csv() == exported
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {row["kind"] for row in rows} == set(Term.Kind.values)
    assert next(r for r in rows if r["code"] == "attack.raid.seizure")["retired"] == "yes"
    assert next(r for r in rows if r["code"] == "perpetrator.state.police")["state_actor"] == "yes"


def test_it_exports_one_kind():
    rows = list(csv.DictReader(io.StringIO(services.export_csv("gender"))))
    assert [row["code"] for row in rows][:2] == ["gender.woman", "gender.man"]
    assert {row["kind"] for row in rows} == {"gender"}


def test_it_escapes_cells_that_a_spreadsheet_would_run_as_formulas():
    for label in ("=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)"):
        services.create_term("system", kind="theme", code=f"theme.t{ord(label[0])}", label_en=label)
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(services.export_csv("theme")))}
    assert rows["theme.t61"]["label_en"] == "'=HYPERLINK(\"http://x\")"
    assert rows["theme.t43"]["label_en"] == "'+1"
    assert rows["theme.t45"]["label_en"] == "'-1"
    assert rows["theme.t64"]["label_en"] == "'@SUM(A1)"
    assert csv_transfer._escape("\tcmd") == "'\tcmd" and csv_transfer._escape("\rcmd") == "'\rcmd"
    assert csv_transfer._escape("Threats") == "Threats"
    result = services.import_csv(services.export_csv("theme"), "system")  # read back as they were
    assert result.ok and result.updated == 0
    assert _code("theme.t61").label_en == "=HYPERLINK(\"http://x\")"


def test_it_imports_new_changed_retired_and_restored_terms_in_any_order():
    services.retire_term("system", _code("gender.another"))
    before = _head()
    text = "\n".join([
        "kind,code,parent,state_actor,label_en,label_es,retired",
        "perpetrator,perpetrator.state.local.mayor,perpetrator.state.local.council,,Mayors,Alcaldes,",
        "perpetrator,perpetrator.state.local.council,perpetrator.state.local,yes,Councils,Concejos,",
        "gender,gender.woman,,,Woman,Mujer (actualizado),",
        "gender,gender.another,,,Another gender,Otro género,no",
        "profile,profile.student,,,Student,Estudiante,yes",
    ])
    result = services.import_csv(text, "system")
    assert result.ok, result.errors
    assert (result.created, result.updated, result.retired, result.restored) == (2, 1, 1, 1)
    mayor = _code("perpetrator.state.local.mayor")
    assert mayor.parent.code == "perpetrator.state.local.council" and mayor.state_actor is True
    woman = _code("gender.woman")
    assert woman.label_es == "Mujer (actualizado)" and woman.label_fr == "Femme"  # absent columns kept
    assert _code("gender.another").retired_at is None and _code("profile.student").retired_at is not None
    assert len(_audit_since(before)) == 5


def test_it_imports_a_change_of_state_that_carries_down_past_terms_the_file_leaves_out():
    text = "\n".join([
        "kind,code,parent,state_actor,label_en",
        "perpetrator,perpetrator.non_state.company.security,perpetrator.non_state.company,,Private security",
        "perpetrator,perpetrator.non_state,,yes,Non-state actors",
    ])
    result = services.import_csv(text, "system")
    assert result.ok, result.errors
    for code in ("perpetrator.non_state", "perpetrator.non_state.company", "perpetrator.non_state.company.security",
                 "perpetrator.non_state.armed_group.insurgent"):
        assert _code(code).state_actor is True, code
    assert services.import_csv(services.export_csv(), "system").updated == 0


def test_it_reports_import_errors_by_line_and_writes_nothing():
    count, before, exported = Term.objects.count(), _head(), services.export_csv()
    text = "\n".join([
        HEADER,
        "theme,theme.fine,,,A fine new theme,,,,",                        # 2: good, not written
        "weather,weather.rain,,,Rain,,,,",                               # 3: unknown kind
        "theme,theme.orphan,theme.nowhere,,Orphan,,,,",                  # 4: unknown parent
        "theme,theme.crossed,attack.threat,,Crossed,,,,",                # 5: parent of another kind
        "theme,theme.stately,,yes,Stately,,,,",                          # 6: state on a non-perpetrator
        "theme,theme.unnamed,,,,Sin nombre,,,",                          # 7: no English label
        "theme,theme.fine,,,Twice,,,,",                                   # 8: same code again
        "gender,gender.man,,,Man,,,,maybe",                             # 9: retired is yes or no
        "perpetrator,perpetrator.state.army,perpetrator.state,no,Army,,,,",  # 10: against its branch
        "gender,gender.woman,,,Woman,,,,,extra",                          # 11: more cells than columns
        "attack_type,attack.threat,attack.threat.death,,Threats,,,,",    # 12: under its own branch
        "profile,gender.trans_man,,,T,,,,",                                # 13: a kind never changes
    ])
    result = services.import_csv(text, "system")
    assert not result.ok
    found = {(error.line, error.column) for error in result.errors}
    assert found == {(3, "kind"), (4, "parent"), (5, "parent"), (6, "state_actor"), (7, "label_en"),
                     (8, "code"), (9, "retired"), (10, "state_actor"), (11, ""), (12, "parent"), (13, "kind")}
    assert [error.line for error in result.errors] == sorted(error.line for error in result.errors)
    assert Term.objects.count() == count and _audit_since(before) == []
    assert services.export_csv() == exported


def test_it_refuses_a_file_whose_first_line_does_not_name_the_columns():
    for text in ("", "code,label\nx,y", "kind,code,label_en,colour\ntheme,theme.x,X,red"):
        result = services.import_csv(text, "system")
        assert [(e.line, e.column) for e in result.errors] == [(1, "")]


def test_it_exports_and_imports_through_the_command(tmp_path):
    path = tmp_path / "genders.csv"
    call_command("vocabulary_csv", "export", "--kind", "gender", str(path))
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HEADER) and "gender.non_binary" in text and "attack." not in text
    path.write_text(text.replace("Not known,No se sabe", "Not known,Sin información"), encoding="utf-8")
    out = io.StringIO()
    call_command("vocabulary_csv", "import", str(path), stdout=out)
    assert "1 changed" in out.getvalue() and _code("gender.unknown").label_es == "Sin información"
    path.write_text(HEADER + "\nweather,weather.rain,,,Rain,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("vocabulary_csv", "import", str(path), stderr=io.StringIO())
    assert not Term.objects.filter(code="weather.rain").exists()


# --- Pages -----------------------------------------------------------------------------------

@pytest.fixture
def coordinator(client, world):
    sign_in(client, world.users["coordinator"])
    return client


def test_it_lets_a_coordinator_add_edit_retire_and_restore_a_term(coordinator, world):
    response = coordinator.post("/registry/vocabulary/perpetrator/new/", {
        "code": "Perpetrator.State.Police.Military_Police", "parent": _code("perpetrator.state.police").pk,
        "state_actor": "", "label_en": "Military police", "label_es": "Policía militar"})
    assert response.status_code == 302 and response["Location"] == "/registry/vocabulary/perpetrator/"
    term = _code("perpetrator.state.police.military_police")
    assert term.state_actor is True and term.label_es == "Policía militar"
    edit = f"/registry/vocabulary/terms/{term.pk}/"
    assert coordinator.get(edit).status_code == 200
    response = coordinator.post(edit, {"parent": term.parent_id, "state_actor": "yes", "label_en": "Military police",
                                       "label_pt": "Polícia Militar"})
    assert response.status_code == 302 and _code(term.code).label_pt == "Polícia Militar"
    assert coordinator.post(f"{edit}retire/").status_code == 302
    assert _code(term.code).retired_at is not None
    page = coordinator.get("/registry/vocabulary/perpetrator/").content.decode()
    assert "perpetrator.state.police.military_police" in page and "retired" in page
    assert coordinator.post(f"{edit}restore/").status_code == 302
    assert _code(term.code).retired_at is None
    actions = [e.action for e in AuditEntry.objects.filter(object_type="registry.term", object_id=str(term.pk))]
    assert actions == ["term.created", "term.updated", "term.retired", "term.restored"]


def test_it_gives_the_form_back_filled_with_what_was_wrong(coordinator):
    response = coordinator.post("/registry/vocabulary/perpetrator/new/", {
        "code": "perpetrator.state.mayor", "parent": _code("perpetrator.state").pk, "state_actor": "no",
        "label_en": "Mayors", "label_fr": "Maires"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "is a state actor, so this one is too" in page
    assert 'value="Maires"' in page and 'value="perpetrator.state.mayor"' in page
    assert not Term.objects.filter(code="perpetrator.state.mayor").exists()


def test_it_offers_only_the_same_kind_as_broader_term_and_state_only_for_perpetrators(coordinator):
    page = coordinator.get("/registry/vocabulary/theme/new/").content.decode()
    assert "Land and territory" in page and "Death threats" not in page and 'name="state_actor"' not in page
    page = coordinator.get("/registry/vocabulary/perpetrator/new/").content.decode()
    assert 'name="state_actor"' in page and "— Police" in page
    threat = _code("attack.threat")
    page = coordinator.get(f"/registry/vocabulary/terms/{threat.pk}/").content.decode()
    assert f'value="{_code("attack.threat.death").pk}"' not in page  # not under its own branch


def test_it_shows_the_tree_in_the_readers_language(coordinator):
    services.create_term("system", kind="gender", code="gender.two_spirit", label_en="Two-spirit")
    coordinator.cookies["django_language"] = "pt"
    page = coordinator.get("/registry/vocabulary/gender/").content.decode()
    assert "Pessoa não binária" in page and 'lang="en">Two-spirit</a>' in page
    page = coordinator.get("/registry/vocabulary/perpetrator/").content.decode()
    assert page.count('<ul class="terms">') > 3  # nested lists, not a wide table
    assert coordinator.get("/registry/vocabulary/weather/").status_code == 404


def test_it_downloads_the_vocabulary_as_csv(coordinator):
    response = coordinator.get("/registry/vocabulary/export.csv?kind=perpetrator")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="amparo-vocabulary-perpetrator.csv"'
    text = response.content.decode("utf-8-sig")
    assert text.startswith(HEADER) and "perpetrator.unknown.online" in text
    assert coordinator.get("/registry/vocabulary/export.csv?kind=weather").status_code == 404


def test_it_imports_through_the_page_and_lists_problems_by_line(coordinator):
    bad = SimpleUploadedFile("v.csv", (HEADER + "\ntheme,theme.ok,,,Fine,,,,\ntheme,theme.x,nowhere,,X,,,,\n")
                             .encode(), content_type="text/csv")
    response = coordinator.post("/registry/vocabulary/import/", {"file": bad})
    assert response.status_code == 200
    assert "Line 3, parent:" in response.content.decode()
    assert not Term.objects.filter(code__in=["theme.ok", "theme.x"]).exists()
    good = SimpleUploadedFile("v.csv", ("\ufeff" + HEADER + "\ntheme,theme.ok,,,Fine,Bien,,,\n").encode(),
                              content_type="text/csv")
    response = coordinator.post("/registry/vocabulary/import/", {"file": good})
    assert response.status_code == 302 and _code("theme.ok").label_es == "Bien"
    latin = SimpleUploadedFile("v.csv", "kind,code,label_en\ntheme,theme.y,Ameaças".encode("latin-1"))
    assert "CSV UTF-8" in coordinator.post("/registry/vocabulary/import/", {"file": latin}).content.decode()


@pytest.mark.parametrize("who", ["defender", "documenter_a", "documenter_b", "supporter", "outsider"])
def test_it_refuses_everyone_but_coordinators(client, world, who):
    sign_in(client, world.users[who])
    threat = _code("attack.threat")
    assert client.get("/registry/vocabulary/").status_code == 403
    new = {"code": "attack.x", "label_en": "X"}
    assert client.post("/registry/vocabulary/attack_type/new/", new).status_code == 403
    assert client.post(f"/registry/vocabulary/terms/{threat.pk}/", {"label_en": "Changed"}).status_code == 403
    assert client.post(f"/registry/vocabulary/terms/{threat.pk}/retire/").status_code == 403
    assert client.get("/registry/vocabulary/export.csv").status_code == 403
    assert _code("attack.threat").label_en == "Threats" and _code("attack.threat").retired_at is None
    assert not Term.objects.filter(code="attack.x").exists()


# --- Admin -----------------------------------------------------------------------------------

@pytest.fixture
def admin_client(client, db):
    admin = UserFactory.create(username="admin", is_staff=True, is_superuser=True)
    enrol_second_factor(admin)
    sign_in(client, admin)
    client.admin_user = admin
    return client


def test_it_writes_admin_changes_through_the_services_with_an_audit_entry(admin_client):
    before = _head()
    response = admin_client.post("/admin/vocabulary/term/add/", {
        "kind": "risk_factor", "code": "risk.context.mining_town", "parent": _code("risk.context").pk,
        "state_actor": "unknown", "label_en": "Mining town", "label_es": "", "label_fr": "", "label_pt": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    term = _code("risk.context.mining_town")
    police = _code("perpetrator.state.police")
    response = admin_client.post(f"/admin/vocabulary/term/{police.pk}/change/", {
        "parent": police.parent_id, "state_actor": "true", "label_en": "Police forces", "label_es": "Policía",
        "label_fr": "Police", "label_pt": "Polícia"})
    assert response.status_code == 302 and _code("perpetrator.state.police").label_en == "Police forces"
    entries = _audit_since(before)
    assert [(e.action, e.object_id) for e in entries] == [("term.created", str(term.pk)),
                                                           ("term.updated", str(police.pk))]
    assert {e.actor_id for e in entries} == {admin_client.admin_user.pk}


def test_it_gives_admin_refusals_back_on_the_form_and_never_deletes(admin_client):
    police = _code("perpetrator.state.police")
    response = admin_client.post(f"/admin/vocabulary/term/{police.pk}/change/", {
        "parent": police.parent_id, "state_actor": "false", "label_en": "Police", "label_es": "", "label_fr": "",
        "label_pt": ""})
    assert response.status_code == 200 and "is a state actor, so this one is too" in response.content.decode()
    assert _code("perpetrator.state.police").state_actor is True
    assert admin_client.get(f"/admin/vocabulary/term/{police.pk}/delete/").status_code in {302, 403}
    assert Term.objects.filter(pk=police.pk).exists()
    listing = admin_client.get("/admin/vocabulary/term/?kind__exact=gender&retired=no&q=trans")
    assert listing.status_code == 200 and "gender.trans_woman" in listing.content.decode()
