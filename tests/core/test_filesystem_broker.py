"""Without Redis, Celery talks through kombu's filesystem transport; everything it writes must
land under the var/ folder, never in the working tree."""

import os
import subprocess
import sys
from pathlib import Path

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
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        MULTAQA_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PUBLISH],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("filesystem://")
    assert list(workdir.iterdir()) == []
    assert (var_dir / "celery-broker" / "control" / "celery.exchange").exists()
