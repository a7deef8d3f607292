"""The offline door in a real headless Chromium (Playwright's offline mode): the scanner installs
its service worker and downloads its ticket list online, admits tickets and walk-ins with no
network, reopens with no network, and syncs when the network is back, without losing or doubling
anything. Also: the same batch uploaded twice, and one ticket admitted offline on two devices."""

import pytest

from attendance.models import Attendance, ScanAttempt, SyncConflict
from attendance.services.tokens import door_token_create
from tests.attendance.conftest import all_day_session
from tests.factories import TicketFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT = 15000


@pytest.fixture
def door(db):
    session = all_day_session()
    tickets = [
        TicketFactory(attendee__registration__event=session.event, attendee__first_name=name)
        for name in ("Awa", "Salma", "Karim")
    ]
    return session, tickets


def open_session_scanner(browser, url, session, label):
    """open_scanner() with a fresh door token, named `label`, for the session's event."""
    issued = door_token_create(label=label, events=[session.event], created_by=None)
    return open_scanner(browser, url, issued.raw_token)


def open_scanner(browser, url, raw_token):
    """A phone-sized scanner, logged in, scanning for the session, ready for offline use."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{url}/scan/#token={raw_token}")
    expect(page.locator("#setup")).to_be_visible(timeout=WAIT)
    page.locator("#start").click()
    expect(page.locator("#pack-info")).to_contain_text("3", timeout=WAIT)
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=WAIT)
    return context, page


def type_code(page, code):
    page.locator("#code-input").fill(code)
    page.locator("#code-input").press("Enter")


SW_REACHES_SERVER = "fetch('/scan/manifest.webmanifest').then(() => true, () => false)"


def go_offline(context, page):
    from playwright.sync_api import expect

    context.set_offline(True)
    expect(page.locator("#net-status")).to_have_class("net offline", timeout=WAIT)
    # Really offline: not even the service worker reaches the server.
    assert context.service_workers[0].evaluate(SW_REACHES_SERVER) is False


def come_back_and_sync(context, page):
    """Back online the scanner sends its queue by itself; "sync now" then finds nothing left."""
    from playwright.sync_api import expect

    context.set_offline(False)
    expect(page.locator("#net-status")).to_have_class("net online", timeout=WAIT)
    expect(page.locator("#pending-count")).to_have_text("0", timeout=WAIT)
    page.locator("#sync-now").click()
    expect(page.locator("#sync-now")).to_be_enabled(timeout=WAIT)
    expect(page.locator("#pending-count")).to_have_text("0", timeout=WAIT)


def test_offline_admissions_and_walk_ins_survive_a_reload_and_sync_once(live_server, browser, door):
    from playwright.sync_api import expect

    session, (awa, salma, karim) = door
    context, page = open_session_scanner(browser, live_server.url, session, "Porte B")

    go_offline(context, page)
    type_code(page, awa.short_code)
    expect(page.locator("#feedback")).to_have_class("feedback ok", timeout=WAIT)
    expect(page.locator("#feedback")).to_contain_text("Awa")
    type_code(page, awa.short_code)  # the same person again, still offline
    expect(page.locator("#feedback")).to_have_class("feedback warn", timeout=WAIT)
    type_code(page, "ZZZZ-ZZZZ")
    expect(page.locator("#feedback")).to_have_class("feedback bad", timeout=WAIT)
    page.locator("#walk-in summary").click()
    page.locator("#walk-in-count").fill("2")
    page.locator(".walk-in.female[data-age-band='25-59']").click()
    expect(page.locator("#pending-count")).to_have_text("4", timeout=WAIT)

    # The page reopens with no network: served by the service worker, queue intact.
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(page.locator("#setup")).to_be_visible(timeout=WAIT)
    page.locator("#start").click()
    expect(page.locator("#pending-count")).to_have_text("4", timeout=WAIT)
    expect(page.locator("#pack-info")).to_contain_text("3")  # the ticket list kept on the device
    type_code(page, salma.short_code.lower())
    expect(page.locator("#feedback")).to_contain_text("Salma", timeout=WAIT)
    expect(page.locator("#pending-count")).to_have_text("5", timeout=WAIT)
    assert not Attendance.objects.exists()

    come_back_and_sync(context, page)
    expect(page.locator("#last-sync")).not_to_have_text("jamais")
    context.close()

    admitted = Attendance.objects.filter(session=session, ticket__isnull=False)
    assert sorted(admitted.values_list("ticket__attendee__first_name", flat=True)) == [
        "Awa",
        "Salma",
    ]
    assert set(admitted.values_list("source", flat=True)) == {Attendance.Source.OFFLINE}
    walk_in = Attendance.objects.get(session=session, source=Attendance.Source.WALK_IN)
    assert (walk_in.headcount, walk_in.gender, walk_in.age_band) == (2, "female", "25-59")
    assert ScanAttempt.objects.count() == 5  # the two refusals are in the scan log too
    assert not SyncConflict.objects.exists()
    assert not Attendance.objects.filter(ticket=karim).exists()


def test_uploading_the_same_batch_twice_records_nothing_twice(live_server, browser, door):
    from playwright.sync_api import expect

    session, (awa, salma, _karim) = door
    context, page = open_session_scanner(browser, live_server.url, session, "Porte C")
    go_offline(context, page)
    type_code(page, awa.short_code)
    # A typed code's lookup is one deliberately slow hash: the scanner takes the next entry once
    # it has answered (a person needs seconds to type the next code).
    expect(page.locator("#pending-count")).to_have_text("1", timeout=WAIT)
    type_code(page, salma.short_code)
    expect(page.locator("#pending-count")).to_have_text("2", timeout=WAIT)
    # The batch as the scanner queued it, before it is sent (and removed from the queue).
    batch = page.evaluate("MultaqaOffline.pending()")
    come_back_and_sync(context, page)

    # The same batch twice more, as when the answer to an upload is lost on the way back.
    statuses = page.evaluate(
        """async (items) => {
            const post = () => fetch("/api/v1/checkin/sync", {
                method: "POST",
                headers: {"Authorization": "Bearer " + localStorage.getItem("multaqa.doorToken"),
                          "Content-Type": "application/json"},
                body: JSON.stringify({items: items}),
            }).then((r) => r.json());
            const first = await post();
            const second = await post();
            return [first.results.map((r) => r.status), second.results.map((r) => r.status)];
        }""",
        batch,
    )
    context.close()

    assert statuses == [["admitted", "admitted"], ["admitted", "admitted"]]
    assert Attendance.objects.filter(session=session).count() == 2
    assert ScanAttempt.objects.count() == 2
    assert not SyncConflict.objects.exists()


def test_one_ticket_admitted_offline_on_two_devices_is_one_attendance_and_one_conflict(
    live_server, browser, door
):
    from playwright.sync_api import expect

    session, (awa, _salma, _karim) = door
    first = door_token_create(label="Porte A", events=[session.event], created_by=None)
    second = door_token_create(label="Porte B", events=[session.event], created_by=None)
    devices = [open_scanner(browser, live_server.url, token.raw_token) for token in (first, second)]

    for context, page in devices:
        go_offline(context, page)
        type_code(page, awa.short_code)
        expect(page.locator("#feedback")).to_have_class("feedback ok", timeout=WAIT)
    for context, page in devices:
        come_back_and_sync(context, page)
    for context, _page in devices:
        context.close()

    assert Attendance.objects.filter(ticket=awa, session=session).count() == 1
    conflict = SyncConflict.objects.get()
    assert conflict.kind == SyncConflict.Kind.DOUBLE_ADMISSION
    assert conflict.token == second.door_token
    assert conflict.kept_attendance.door_token == first.door_token


def test_a_malformed_queued_item_is_set_aside_and_the_rest_is_synced(live_server, browser, door):
    session, (awa, _salma, _karim) = door
    context, page = open_session_scanner(browser, live_server.url, session, "Porte D")
    go_offline(context, page)
    type_code(page, awa.short_code)
    # An item no server can accept (its session is gone), as an old queue might hold.
    page.evaluate(
        """MultaqaOffline.enqueue({type: "walk_in", nonce: crypto.randomUUID(), session_id: 987654,
            gate: "", device_time: new Date().toISOString(), device_id: "x",
            groups: [{gender: "male", age_band: "18-24", profile: "migrant", count: 1}]})"""
    )
    come_back_and_sync(context, page)
    refused = page.evaluate(
        """new Promise((resolve) => {
            indexedDB.open("multaqa-door").onsuccess = (event) => {
                const request = event.target.result.transaction("refused").objectStore("refused").count();
                request.onsuccess = () => resolve(request.result);
            };
        })"""
    )
    context.close()

    assert refused == 1
    assert Attendance.objects.filter(ticket=awa, session=session).count() == 1
    assert Attendance.objects.count() == 1


def test_offline_qr_content_and_typed_code_admit_through_the_salted_pack(
    live_server, browser, door
):
    """The QR's content (a ticket URL, as the camera or a reader hands it over) matches by its
    salted secret hash; a typed code by its PBKDF2 hash, computed by WebCrypto on the phone."""
    from playwright.sync_api import expect

    from attendance.services.offline_keys import code_hash

    session, (awa, salma, karim) = door
    context, page = open_session_scanner(browser, live_server.url, session, "Porte B")
    hashing = page.evaluate(
        f"MultaqaOffline.loadPack({session.event_id}).then(p => p.pack.hashing)"
    )
    assert page.evaluate(
        "([salt, iterations]) => MultaqaOffline.codeHash('ABCD1234', salt, iterations)",
        [hashing["salt"], hashing["iterations"]],
    ) == code_hash(code="ABCD1234", salt=hashing["salt"], iterations=hashing["iterations"])

    go_offline(context, page)
    type_code(page, f"{live_server.url}/tickets/{karim.secret}/")
    expect(page.locator("#feedback")).to_have_class("feedback ok", timeout=WAIT)
    expect(page.locator("#feedback")).to_contain_text("Karim")
    type_code(page, salma.short_code)
    expect(page.locator("#feedback")).to_contain_text("Salma", timeout=WAIT)
    expect(page.locator("#pending-count")).to_have_text("2", timeout=WAIT)

    come_back_and_sync(context, page)
    admitted = Attendance.objects.filter(session=session, voided_at__isnull=True)
    assert set(admitted.values_list("ticket__attendee__first_name", flat=True)) == {
        "Karim",
        "Salma",
    }
    assert not SyncConflict.objects.exists()
    context.close()


def test_pack_not_ready_keeps_the_stored_list_and_says_it_will_retry(
    live_server, browser, door, settings
):
    from playwright.sync_api import expect

    session, (awa, _salma, _karim) = door
    context, page = open_session_scanner(browser, live_server.url, session, "Porte C")
    # New tickets whose codes the server has not hashed yet, more than one request may hash.
    settings.OFFLINE_PACK_HASHES_PER_REQUEST = 0
    TicketFactory(attendee__registration__event=session.event)

    page.reload()
    expect(page.locator("#setup")).to_be_visible(timeout=WAIT)
    page.locator("#start").click()

    expect(page.locator("#pack-info")).to_contain_text("prépare encore", timeout=WAIT)
    expect(page.locator("#pack-info")).to_contain_text("3")
    go_offline(context, page)
    type_code(page, awa.short_code)
    expect(page.locator("#feedback")).to_have_class("feedback ok", timeout=WAIT)
