# Amparo: two commands for a fresh machine.
#   make run   installs everything, loads demo data and serves http://127.0.0.1:8000
#   make test  installs everything and runs linters, type checks, the floors contract and pytest
#   make lint  the linters, type checks and the floors contract alone (the pre-commit hooks run the same)
SHELL := /bin/bash
PY := .venv/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-packages fuzz install lint messages bench scale-demo clean

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_cases
	mkdir -p var/broker/queue var/broker/processed
	.venv/bin/honcho --procfile Procfile start

test: install test-packages lint
	.venv/bin/pytest -m "not fault and not fuzz"
	# The fault tests (workers and jobs killed, PostgreSQL and Redis restarted, a full disk) in a run of their own
	.venv/bin/pytest -m fault
	$(MAKE) --no-print-directory fuzz

# schemathesis and Hypothesis against the API, the public forms and the importer, with a fixed
# seed so that a failure is reproduced by the same command (FUZZ_SEED=... to try another).
FUZZ_SEED ?= 20261201
fuzz:
	@echo "== fuzz tests, Hypothesis seed $(FUZZ_SEED) (reproduce: pytest -m fuzz --hypothesis-seed=$(FUZZ_SEED)) =="
	@started=$$(date +%s); .venv/bin/pytest -m fuzz -p no:randomly --hypothesis-seed=$(FUZZ_SEED); \
	  status=$$?; echo "fuzz tests: $$(( $$(date +%s) - started )) s (seed $(FUZZ_SEED))"; exit $$status

lint: .venv/installed
	.venv/bin/ruff check .
	.venv/bin/mypy amparo
	.venv/bin/lint-imports

install: .venv/installed node_modules/.installed messages

# What the tests need beside Python: chromium (browser tests), poppler-utils (PDF pages read
# back) and dovecot-imapd (a real IMAP server on loopback for the e-mail intake).
test-packages:
	scripts/ensure-debian-packages chromium poppler-utils dovecot-imapd

.venv/installed: requirements/pip.txt requirements/dev.txt
	# gettext for the translations; pango, harfbuzz and a font for WeasyPrint (PDF reports)
	scripts/ensure-debian-packages gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
	test -x $(PY) || python3 -m venv .venv
	.venv/bin/pip install --quiet --require-hashes -r requirements/pip.txt
	.venv/bin/pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

messages: .venv/installed
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

bench: install
	bench/run

# Two gunicorn processes, two Celery workers and one beat behind nginx, loaded for 60 s (docs/deploy.md)
scale-demo: install
	scripts/scale-demo

clean:
	rm -rf .venv node_modules var
