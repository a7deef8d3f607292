"""Without Redis, Celery talks through kombu's filesystem transport; everything it writes must
land under the var/ folder, never in the working tree."""

from pathlib import Path

from tests.child_process import environment_without, run_python

ROOT = Path(__file__).resolve().parents[2]

PUBLISH = """
import django
django.setup()
from kombu import Exchange, Queue
from config.celery import app
queue = Queue("celery", Exchange("celery", "direct"), "celery")
with app.connection_for_write() as connection:
    connection.Producer().publish(
        {"ping": 1}, exchange=queue.exchange, routing_key="celery", declare=[queue]
    )
print(app.conf.broker_url)
"""


def test_filesystem_broker_writes_only_under_var(tmp_path):
    var_dir = tmp_path / "var"
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    env = environment_without(
        "REDIS_URL",
        "DJANGO_SETTINGS_MODULE",
        MULTAQA_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(ROOT),
    )
    stdout = run_python("-c", PUBLISH, cwd=workdir, env=env, timeout=60)
    assert stdout.strip().startswith("filesystem://")
    assert list(workdir.iterdir()) == []
    assert (var_dir / "celery-broker" / "control" / "celery.exchange").exists()
