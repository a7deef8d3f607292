# Two commands for a newcomer: `make run` and `make test`. Only python3 and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-pgbouncer install assets demo lint format migrate bench screenshots messages clean

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

install: $(STAMP) assets

# Front-end assets come from the npm registry at install time: the QR decoder for the scanner
# (copied into static/vendor/), and for tests and benchmarks axe-core and lighthouse.
assets:
	@if [ -f package.json ] && command -v npm >/dev/null 2>&1; then \
		npm ci --silent --no-audit --no-fund && $(BIN)/python manage.py vendor_assets; \
	else echo "npm not found: the scanner falls back to the browser's BarcodeDetector"; fi

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# The whole system with embedded defaults: SQLite, filesystem broker, web + worker + beat.
run: demo
	@echo "Multaqa: http://127.0.0.1:$${MULTAQA_PORT:-8000}/ (organizers: /login/ then /organizer/, admin: /admin/, API docs: /api/v1/docs)"
	DEBUG=1 $(BIN)/honcho start

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The suite's PostgreSQL connections through a real PgBouncer in transaction mode (Debian package
# pgbouncer), as docker-compose.yml deploys: see tests/pgbouncer.py. Needs DATABASE_URL (PostgreSQL).
test-pgbouncer: install
	TEST_THROUGH_PGBOUNCER=1 DB_PREPARED_STATEMENTS=0 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Benchmarks (bench/README.md): own PostgreSQL database and Redis db, prints the results table.
bench: install
	$(BIN)/python -m bench.run

# Phone-sized (360×740) PNGs of the registration, ticket, scanner and figures pages in French and
# Arabic, on the demo data, into var/screenshots/ for review (bench/screenshots.py).
screenshots: demo
	DEBUG=1 $(BIN)/python -m bench.screenshots

messages: install
	for app in core events participants attendance assessments proposals reporting notifications forums; do \
		(cd $$app && ../$(BIN)/django-admin makemessages -l fr -l ar -l en --no-obsolete); done
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var node_modules staticfiles
