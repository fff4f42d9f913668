#!/usr/bin/env python3
"""Surveys benchmark: `.venv/bin/python bench/surveys.py [--answers 10000] [--runs 5] [--postgres]`
(never run in CI).

A 30-question survey (five pages of single and multiple choices, scales, numbers, countries,
a date and free text) gets 10,000 answer sheets, written straight into the tables in bulk
(free text sealed to the owners' ring, as the service seals it). Then, per run, the results
page is fetched as its owner (a coordinator signed in with her key unlocked, through Django's
test client: the view, the queries, the opened free text and the template) beside a
hand-written GROUP BY over the same tables. Prints both medians and their ratio. Target: the
page under 1 s; exits 1 above it.

SQLite in a temporary directory by default; `--postgres` uses (and drops afterwards) the
database amparo_h21_bench on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_DB = "amparo_h21_bench"
TARGET_SECONDS = 1.0
# The counts a person would write by hand: every answer value per question, and the sheets that
# answered each multiple-choice question (several rows per sheet there).
HAND_SQL = ("SELECT question_id, choice_id, number, code, COUNT(*) FROM surveys_answer WHERE question_id IN "
            "(SELECT id FROM surveys_question WHERE survey_id = %s) GROUP BY 1, 2, 3, 4")
HAND_SQL_ANSWERED = ("SELECT question_id, COUNT(DISTINCT response_id) FROM surveys_answer WHERE question_id IN "
                     "(SELECT id FROM surveys_question WHERE survey_id = %s AND kind = 'multiple') GROUP BY 1")


def psql(command: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", command], check=True,
                   capture_output=True)


def spec_30():  # noqa: ANN201 - a SurveySpec, imported after setup
    from amparo.surveys.spec import ChoiceSpec, QuestionSpec, SectionSpec, SurveySpec

    kinds = ["single", "single", "multiple", "scale", "number", "single"] * 5
    kinds[4], kinds[10], kinds[17], kinds[23], kinds[29] = "country", "date", "text", "number", "text"
    sections = []
    for page in range(5):
        questions = []
        for i in range(6):
            n = page * 6 + i
            choices = [ChoiceSpec(f"c{c}", {"en": f"Choice {c}"}) for c in range(5)] if kinds[n] in (
                "single", "multiple") else []
            questions.append(QuestionSpec(f"q{n}", kinds[n], {"en": f"Question {n}"}, choices=choices))
        sections.append(SectionSpec(f"page{page}", {"en": f"Page {page}"}, questions=questions))
    return SurveySpec("bench", {"en": "Bench survey"}, "en", ["en"], sections)


def generate(answers: int):  # noqa: ANN201
    from django.db import connection

    from amparo.accounts.models import User
    from amparo.network import services as network
    from amparo.network.models import Network, Role
    from amparo.surveys import sealing, services
    from amparo.surveys.models import Answer, Response, Survey
    from amparo.vault import services as vault
    from conftest import enrol_second_factor

    rng = random.Random(2026)
    coalition = network.create_network("system", name="Bench", slug="bench", kind=Network.Kind.COALITION)
    owner = User.objects.create_user(username="bench-coordinator", password=secrets.token_urlsafe(16))
    unlocked = vault.create_member_key(owner, "bench password that is long enough")[0]
    network.add_membership("system", user=owner, network=coalition, role=Role.COORDINATOR)
    enrol_second_factor(owner)
    survey = services.create_survey("system", coalition, spec_30())
    services.set_status("system", survey, Survey.Status.OPEN)
    questions = list(survey.questions.prefetch_related("choices"))
    texts = [sealing.seal_free_text_answer(survey, f"what she needs, number {i}") for i in range(50)]
    started = time.perf_counter()
    day = survey.created_on
    Response.objects.bulk_create([Response(survey=survey, submitted_on=day) for _ in range(answers)],
                                 batch_size=5000)
    ids = list(Response.objects.filter(survey=survey).values_list("id", flat=True))
    rows: list[Answer] = []
    for rid in ids:
        for q in questions:
            if rng.random() < 0.1:
                continue  # an optional question left empty
            rows += _answers(rng, rid, q, texts)
        if len(rows) > 20000:
            Answer.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Answer.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return survey, owner, unlocked, time.perf_counter() - started, Answer.objects.count()


def _answers(rng: random.Random, rid: int, q, texts: list[bytes]) -> list:  # noqa: ANN001
    import datetime

    from amparo.surveys.models import Answer

    choices = list(q.choices.all())
    if q.kind == "single":
        return [Answer(response_id=rid, question=q, choice=rng.choice(choices))]
    if q.kind == "multiple":
        return [Answer(response_id=rid, question=q, choice=c) for c in rng.sample(choices, rng.randint(1, 3))]
    if q.kind in ("scale", "number"):
        return [Answer(response_id=rid, question=q, number=rng.randint(1, 5))]
    if q.kind == "country":
        return [Answer(response_id=rid, question=q, code=rng.choice(["HN", "GT", "CD", "BR", "PH", "MX", "KE"]))]
    if q.kind == "date":
        day = datetime.date(2026, 1, 1) + datetime.timedelta(rng.randint(0, 300))
        return [Answer(response_id=rid, question=q, day=day)]
    return [Answer(response_id=rid, question=q, sealed=rng.choice(texts))] if rng.random() < 0.3 else []


def timed(fn, runs: int) -> list[float]:  # noqa: ANN001
    fn()
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        found.append(time.perf_counter() - started)
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="amparo-bench-surveys-")
    if args.postgres:
        psql(f"DROP DATABASE IF EXISTS {PG_DB}")
        psql(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("VAULT_SERVICE_KEY", base64.b64encode(secrets.token_bytes(32)).decode())
    os.environ["AMPARO_VAR_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from conftest import sign_in

        call_command("migrate", verbosity=0)
        survey, owner, unlocked, seconds, rows = generate(args.answers)
        print(f"{args.answers} answer sheets to a 30-question survey ({rows} answer rows) written in {seconds:.1f} s")
        client = Client(HTTP_HOST="127.0.0.1")
        sign_in(client, owner, unlocked)
        url = f"/surveys/{survey.pk}/results/"

        def page() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            assert f'<strong id="total">{args.answers}</strong>' in response.content.decode()

        def hand() -> None:
            with connection.cursor() as cursor:
                cursor.execute(HAND_SQL, [survey.pk])
                cursor.fetchall()
                cursor.execute(HAND_SQL_ANSWERED, [survey.pk])
                cursor.fetchall()

        page_times, hand_times = timed(page, args.runs), timed(hand, args.runs)
        p, h = statistics.median(page_times), statistics.median(hand_times)
        backend = "PostgreSQL" if args.postgres else "SQLite"
        print(f"{backend}: results page {p * 1000:.0f} ms (median of {args.runs}); hand-written GROUP BY "
              f"{h * 1000:.0f} ms; ratio {p / h:.2f}")
        print(f"target: the page under {TARGET_SECONDS:.0f} s — {'met' if p < TARGET_SECONDS else 'MISSED'}")
        return 0 if p < TARGET_SECONDS else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if args.postgres:
            from django.db import connections

            connections.close_all()
            psql(f"DROP DATABASE IF EXISTS {PG_DB}")


if __name__ == "__main__":
    sys.exit(main())
