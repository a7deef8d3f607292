"""The compose file cannot be run here (no Docker engine), so it is checked for consistency with
the code: each service's command must point at something that exists."""

import importlib
import re
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


def test_every_application_setting_in_compose_is_read_by_the_settings(compose):
    settings_source = (ROOT / "config" / "settings.py").read_text()
    for name in compose["x-app"]["environment"]:
        assert re.search(rf'env_\w+\(\s*"{name}"', settings_source), (
            f"docker-compose.yml sets {name}, which config/settings.py never reads"
        )


def _default_of(value) -> int:
    """The number a `${NAME:-default}` interpolation (or a plain number) gives."""
    match = re.fullmatch(r"\$\{\w+:-(\d+)\}", str(value))
    return int(match.group(1) if match else value)


def test_compose_scales_web_and_worker_and_keeps_one_beat(compose):
    services = compose["services"]
    for name in ("web", "worker"):
        replicas = services[name]["deploy"]["replicas"]
        assert re.fullmatch(r"\$\{\w+_REPLICAS:-1\}", replicas), (name, replicas)
    assert _default_of(services["beat"]["deploy"]["replicas"]) == 1
    # Several web containers cannot all publish one host port: a range, one port each.
    assert services["web"]["ports"] == ["${WEB_PORTS:-8000}:8000"]
    app = compose["x-app"]["environment"]
    assert app["DATABASE_URL"].split("@")[1].startswith("pgbouncer:")
    assert app["DB_PREPARED_STATEMENTS"] == "0"
    assert services["pgbouncer"]["environment"]["POOL_MODE"] == "transaction"
    # Migrations straight to PostgreSQL, not through the transaction pool.
    assert "@postgres:" in services["migrate"]["environment"]["DATABASE_URL"]


def test_the_optional_read_replica_streams_from_the_primary(compose):
    services = compose["services"]
    replica = services["postgres-replica"]
    assert replica["profiles"] == ["replica"]
    assert replica["image"] == services["postgres"]["image"]
    mounts = dict(volume.split(":")[:2] for volume in replica["volumes"])
    script = (ROOT / next(source for source in mounts if source.startswith("./"))).read_text()
    assert "pg_basebackup" in script and " -R " in script and "hot_standby=on" in script
    assert replica["entrypoint"][-1] in mounts.values()
    # The primary creates the replication role and lets it in.
    init = [v.split(":")[0] for v in services["postgres"]["volumes"] if "initdb.d" in v]
    init_script = (ROOT / init[0]).read_text()
    assert "REPLICATION" in init_script and "host replication replicator" in init_script
    # Off unless set; the URL the comment gives names the replica service.
    assert compose["x-app"]["environment"]["DATABASE_REPLICA_URL"] == "${DATABASE_REPLICA_URL:-}"
    header = (ROOT / "docker-compose.yml").read_text().split("x-app")[0]
    assert "DATABASE_REPLICA_URL" in header and "@postgres-replica:5432/" in header
