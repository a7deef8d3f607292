"""The whole application fits a 1 GB server (README, "Small server"; `BENCH_ONLY=memory make
bench` measures it). What keeps it there, held by tests that watch real process starts, each in a
fresh interpreter: the libraries only a few pages or tasks use (PDF, spreadsheet, QR drawing) are
not loaded by a web worker, a Celery worker or the beat at start; the beat never sets Django up;
gunicorn's master loads and freezes what its workers share."""

import json
import os
import uuid

import pytest

from tests.child_process import run_python

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Loaded where they are used (PDFs, spreadsheets, QR images), each several MB per process.
LOADED_ON_USE = ("reportlab", "openpyxl", "qrcode", "arabic_reshaper", "bidi", "pypdf")

_REPORT = f"""
import json, sys
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}} & set({LOADED_ON_USE!r}))))
"""


def _loaded(script: str, *, extra_env: dict | None = None) -> list[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **(extra_env or {})}
    output = run_python("-c", script + _REPORT, cwd=BASE_DIR, env=env, timeout=120)
    return json.loads(output.strip().splitlines()[-1])


def test_web_worker_loads_no_pdf_spreadsheet_or_qr_library_to_serve_its_pages():
    # Resolving loads the URLconf, hence every router, schema and view module of every app.
    script = """
import config.wsgi
from django.urls import resolve
for path in ("/", "/api/v1/checkin/scan", "/organizer/programmes/1/figures/"):
    resolve(path)
"""
    assert _loaded(script) == []


def test_they_load_when_a_pdf_a_spreadsheet_or_a_qr_code_is_made():
    # The other side of the test above: what the views and exports call still loads them.
    script = """
import config.wsgi
from django.utils import translation
translation.activate("fr")
from events.badges import badges_pdf
from reporting.exports import donor_xlsx
from core.qr import qr_png_bytes
assert badges_pdf([]).startswith(b"%PDF")
assert donor_xlsx([], [], hxl=False, title="t", filters={}, notes=[]).startswith(b"PK")
assert qr_png_bytes("secret").startswith(b"\\x89PNG")
"""
    assert set(_loaded(script)) >= {"reportlab", "openpyxl", "qrcode"}


@pytest.mark.redis
def test_celery_worker_starts_without_pdf_spreadsheet_or_qr_library():
    # A real worker start, with its Django set-up, system checks and task imports; it reports
    # from the worker_ready signal, then leaves. Its own queue takes no one else's tasks.
    queue = f"small-server-{uuid.uuid4().hex}"
    script = f"""
import json, os, sys
from celery.signals import worker_ready
from config.celery import app

@worker_ready.connect
def report(**kwargs):
    print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}} & set({LOADED_ON_USE!r}))))
    sys.stdout.flush()
    os._exit(0)

app.worker_main(["worker", "--pool=threads", "--concurrency=2", "--loglevel=WARNING",
                 "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", {queue!r}])
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    output = run_python("-c", script, cwd=BASE_DIR, env=env, timeout=120)
    assert json.loads(output.strip().splitlines()[-1]) == []


def test_beat_reads_its_schedule_without_setting_django_up():
    script = """
import sys
from django.apps import apps
from config.beat import app
schedule = app.conf.beat_schedule
assert schedule and app.conf.broker_url, schedule
app.loader.import_default_modules()
assert not apps.ready, "the beat set Django up"
assert not any(name.endswith(".models") for name in sys.modules if name.split(".")[0] in
               ("core", "events", "attendance", "notifications", "forums")), "models imported"
"""
    assert _loaded(script) == []


def test_beat_sends_each_entry_by_the_name_the_worker_knows():
    # The beat process imports no task module (test above), so each entry goes out by name: it
    # must be one the worker's app has, with no routing of its own that a send by name would lose.
    from config.beat import app as beat_app
    from config.celery import app as worker_app

    worker_app.loader.import_default_modules()
    for entry in beat_app.conf.beat_schedule.values():
        task = worker_app.tasks[entry["task"]]
        assert getattr(task, "queue", None) is None and not entry.get("options")


def test_gunicorn_master_loads_urls_and_catalogs_then_freezes_them_before_forking():
    script = """
import gc, runpy, sys
import config.wsgi
settings = runpy.run_path("config/gunicorn.py")
assert settings["preload_app"] is True
assert "config.api" not in sys.modules
from types import SimpleNamespace
settings["when_ready"](SimpleNamespace(cfg=SimpleNamespace(preload_app=True)))
assert "config.api" in sys.modules, "URLconf not loaded in the master"
from django.utils.translation import trans_real
assert {"fr", "ar", "en"} <= set(trans_real._translations), trans_real._translations.keys()
assert gc.get_freeze_count() > 10000, gc.get_freeze_count()
"""
    assert _loaded(script) == []


def test_compose_runs_the_small_server_settings():
    import yaml

    with open(os.path.join(BASE_DIR, "docker-compose.yml")) as compose:
        services = yaml.safe_load(compose)["services"]
    web, worker, beat = (services[name]["command"] for name in ("web", "worker", "beat"))
    assert web[web.index("--config") + 1] == "config/gunicorn.py"
    assert "--pool=threads" in worker and "--concurrency=2" in worker
    assert beat[beat.index("-A") + 1] == "config.beat"
