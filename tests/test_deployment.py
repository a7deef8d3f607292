"""The compose file cannot be run here (no Docker engine), so it is checked for consistency with
the code: each service's command must point at something that exists."""

import importlib
from pathlib import Path

import pytest
import yaml
from celery import Celery
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services(compose):
    assert {"web", "worker", "beat", "redis", "postgres"} <= set(compose["services"])
    for name in ("web", "redis", "postgres", "worker"):
        assert "healthcheck" in compose["services"][name], name
    assert "postgres-data" in compose["volumes"]


def _target_of(command: list[str]) -> tuple[str, str]:
    if command[0] == "gunicorn":
        module, _, attribute = command[1].partition(":")
        return module, attribute
    if command[0] == "celery":
        return command[command.index("-A") + 1], None
    if command[:2] == ["python", "manage.py"]:
        return "manage", command[2]
    raise AssertionError(f"unexpected command {command}")


@pytest.mark.parametrize("service", ["web", "worker", "beat", "migrate"])
def test_each_service_command_points_at_code_that_exists(compose, service):
    module_name, attribute = _target_of(compose["services"][service]["command"])
    if module_name == "manage":
        assert attribute in get_commands()
        return
    module = importlib.import_module(module_name)
    if attribute is None:  # `celery -A module`: the module holds a Celery app
        assert any(isinstance(value, Celery) for value in vars(module).values()), module_name
        return
    assert hasattr(module, attribute), f"{module_name} has no {attribute}"


def test_app_services_are_built_from_the_dockerfile(compose):
    assert (ROOT / compose["services"]["web"]["build"] / "Dockerfile").exists()
    assert "gunicorn" in (ROOT / "requirements.txt").read_text()
    env = compose["services"]["web"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://")
