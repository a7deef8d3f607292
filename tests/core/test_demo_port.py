"""`make run` on another port (MULTAQA_PORT): every link the demo prints and every link in the
messages it queues points at that port. Runs the real commands of `make run` (migrate and
load_demo on a fresh SQLite database) in a child process with only that variable set."""

import re
from pathlib import Path

import pytest

from tests.child_process import environment_without, run_python

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"https?://[^\s/]+")
QUEUED_MESSAGES = (
    "from notifications.models import Message\nfor m in Message.objects.all(): print(m.body)"
)

pytestmark = pytest.mark.slow


def _manage(*args: str, env: dict) -> str:
    return run_python("manage.py", *args, cwd=ROOT, env=env, timeout=300)


def test_demo_links_and_messages_follow_multaqa_port(tmp_path):
    env = environment_without(
        "DATABASE_URL",
        "REDIS_URL",
        "SITE_URL",
        "DJANGO_SETTINGS_MODULE",
        MULTAQA_PORT="8123",
        MULTAQA_VAR_DIR=str(tmp_path),
    )
    _manage("migrate", "--noinput", env=env)
    printed = _manage("load_demo", env=env)
    for who in ("Organizer login", "Volunteer scanner", "Rapporteur login", "Partner login"):
        assert who in printed
    messages = _manage("shell", "-c", QUEUED_MESSAGES, env=env)
    for text in (printed, messages):
        hosts = set(LINK.findall(text))
        assert hosts == {"http://127.0.0.1:8123"}, hosts
