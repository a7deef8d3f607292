import datetime
import os
import shutil
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from attendance.services.tokens import door_token_create
from core.models import Membership
from tests.factories import TODAY, EventFactory, SessionFactory, TicketFactory

OUJDA = zoneinfo.ZoneInfo("Africa/Casablanca")
# Sessions from the factories run 10:00–12:00 on TODAY; half past ten the door is open.
DOOR_OPEN = datetime.datetime.combine(TODAY, datetime.time(10, 30), tzinfo=OUJDA)


@pytest.fixture
def door_open():
    with time_machine.travel(DOOR_OPEN, tick=False) as traveller:
        yield traveller


@pytest.fixture
def session(db):
    return SessionFactory()


@pytest.fixture
def issued(session):
    """A door token for the session's event, with its raw value."""
    return door_token_create(label="Fatima (gate A)", events=[session.event], created_by=None)


@pytest.fixture
def token(issued):
    return issued.door_token


@pytest.fixture
def ticket(session):
    return TicketFactory(
        attendee__registration__event=session.event, attendee__first_name="Aminata"
    )


@pytest.fixture
def own_session(organizer):
    """A session of an event of the organizer's NGO."""
    organization = Membership.objects.get(user=organizer).organization
    return SessionFactory(event=EventFactory(programme__lead_organization=organization))


def all_day_session(**event_fields):
    """A session of an event today whose door is open all day, whatever the hour of the run."""
    today = timezone.localdate()
    event = EventFactory(start_date=today, end_date=today, **event_fields)
    return SessionFactory(
        event=event, date=today, start_time=datetime.time(0, 0), end_time=datetime.time(23, 59)
    )


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def download(client, issued):
    """GET the offline pack of an event with the door token (the session's one unless given)."""

    def call(event_id, token=issued.raw_token):
        return client.get("/api/v1/checkin/offline-pack", {"event_id": event_id}, **bearer(token))

    return call


@pytest.fixture
def sync(client, issued):
    """POST an offline scanner's queue with the door token (the session's one unless given)."""

    def call(items, token=issued.raw_token):
        return client.post(
            "/api/v1/checkin/sync", {"items": items}, "application/json", **bearer(token)
        )

    return call


# Browser tests (pytest.mark.browser): headless Chromium, the vendored QR decoder.
@pytest.fixture
def vendored_decoder():
    target = Path(settings.BASE_DIR) / "static" / "vendor" / "jsQR.js"
    if not target.exists():
        if not (Path(settings.BASE_DIR) / "node_modules" / "jsqr").exists():
            reason = "the QR decoder is not installed: run `npm ci` (make assets)"
            if settings.REQUIRE_SERVICES:
                pytest.fail(reason)
            pytest.skip(reason)
        call_command("vendor_assets")
    return target


@pytest.fixture
def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(autouse=True)
def orm_beside_playwright(request, monkeypatch):
    if request.node.get_closest_marker("browser") is None:
        return
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(chromium_path, vendored_decoder, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Without this, Playwright's offline mode cuts the pages off but not their service worker,
    # which would then quietly fetch the "offline" page from the network.
    monkeypatch.setenv("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=["--no-sandbox", "--disable-background-networking"]
        )
        try:
            yield browser
        finally:
            browser.close()
