"""Shared test set-up: fast, deterministic settings, and markers for tests that need real services.

Tests marked `postgres`, `redis` or `browser` are skipped with a visible reason when the service
is missing, unless REQUIRE_SERVICES=1 (CI), where a missing service is a failure.

TEST_THROUGH_PGBOUNCER=1 (with DB_PREPARED_STATEMENTS=0, as `make test-pgbouncer` sets them) runs
the session's PostgreSQL connections through a real PgBouncer in transaction mode
(tests/pgbouncer.py), as docker-compose.yml deploys the application."""

import os
import shutil

import pytest
from django.conf import settings


def pytest_configure(config):
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SMS_BACKEND = "notifications.sms.backends.locmem.SmsBackend"
    settings.WHATSAPP_BACKEND = "notifications.whatsapp.backends.locmem.WhatsAppBackend"
    # The offline pack's slow code hash at a test cost: tests check the mechanism (salt, iteration
    # count carried in the pack, both sides agreeing); bench/offline_hash.py measures the real cost.
    settings.OFFLINE_CODE_HASH_ITERATIONS = 2_000
    from config.celery import app

    # Unit tests run tasks in-process; integration tests start a real worker instead.
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


def _missing_service(marker: str) -> str | None:
    """Why the service a marker names is unavailable, or None when it is there."""
    if marker == "postgres":
        vendor = settings.DATABASES["default"]["ENGINE"]
        return (
            None if "postgresql" in vendor else "needs PostgreSQL (set DATABASE_URL=postgres://…)"
        )
    if marker == "redis":
        url = settings.REDIS_URL
        if not url:
            return "needs Redis (set REDIS_URL=redis://…)"
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            return f"Redis at REDIS_URL does not answer: {exc}"
        return None
    if marker == "browser":
        if not (shutil.which("chromium") or os.environ.get("CHROMIUM_PATH")):
            return "needs Chromium (apt-get install chromium chromium-driver)"
        return None
    return None


def pytest_collection_modifyitems(config, items):
    # Browser tests are slow by nature: `-m "not slow"` leaves them out of the quick loop too.
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.slow)


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "browser"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing_service(marker)
        if reason is None:
            continue
        if settings.REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, then (TEST_THROUGH_PGBOUNCER=1) a PgBouncer in front."""
    if os.environ.get("TEST_THROUGH_PGBOUNCER") != "1":
        yield
        return
    from django.db import connections

    from tests.pgbouncer import admin_rows, free_port, session_through_pgbouncer

    if settings.DB_PREPARED_STATEMENTS:
        pytest.exit("TEST_THROUGH_PGBOUNCER=1 needs DB_PREPARED_STATEMENTS=0", returncode=2)
    database = connections["default"].settings_dict
    with session_through_pgbouncer(database, port=free_port(8940, 8949)) as port:
        connections.close_all()
        yield
        connections.close_all()
        # Proof that the session's traffic went through it, in the run's output.
        stats = admin_rows(port, database["USER"] or "postgres", "SHOW STATS")
        passed = sum(
            row["total_xact_count"] for row in stats if row["database"] == database["NAME"]
        )
        print(f"\nPgBouncer (transaction mode, port {port}): {passed} transactions passed through")


@pytest.fixture
def organizer(db):
    from tests.factories import MembershipFactory

    return MembershipFactory().user


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    client.user = organizer
    return client


@pytest.fixture
def browser(monkeypatch):
    """Headless Chromium for a test marked `browser` (tests/attendance has its own, offline-ready)."""
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()
