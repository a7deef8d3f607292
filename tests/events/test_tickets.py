import re

import pytest

from core.errors import ApplicationError
from core.models import AuditEntry
from events import codes, signals
from events.codes import CROCKFORD_ALPHABET, format_short_code, normalize_short_code
from events.models import Ticket
from events.services import tickets as ticket_services
from events.services.events import event_update, session_update
from events.services.tickets import ticket_cancel, ticket_reissue, waitlist_promote
from tests.events.conftest import SignalCatcher
from tests.events.test_registration_services import ADULT, CHILD, register, tickets_of
from tests.factories import EventFactory, SessionFactory, TicketFactory, UserFactory

pytestmark = pytest.mark.django_db


def run_on_commit(capture, function, **kwargs):
    with capture(execute=True):
        return function(**kwargs)


def test_cancelling_a_valid_ticket_promotes_the_oldest_waiting_registration(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1)
    holder = tickets_of(register(event))[0]
    first_waiting = tickets_of(register(event))[0]
    second_waiting = tickets_of(register(event))[0]
    with (
        SignalCatcher(signals.ticket_cancelled) as cancelled,
        SignalCatcher(signals.ticket_promoted) as promoted,
    ):
        run_on_commit(django_capture_on_commit_callbacks, ticket_cancel, ticket=holder)
    holder.refresh_from_db()
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert holder.status == Ticket.Status.CANCELLED and holder.cancelled_at is not None
    assert first_waiting.status == Ticket.Status.VALID
    assert second_waiting.status == Ticket.Status.WAITLISTED
    assert cancelled.calls == [{"ticket_id": holder.pk}]
    assert promoted.calls == [{"ticket_id": first_waiting.pk}]


def test_a_waiting_family_is_promoted_whole_once_enough_places_are_free():
    event = EventFactory(capacity=2)
    holders = tickets_of(register(event, members=[CHILD]))
    family = tickets_of(register(event, members=[CHILD]))
    assert {t.status for t in family} == {Ticket.Status.WAITLISTED}
    ticket_cancel(ticket=holders[0])
    assert {t.status for t in tickets_of(family[0].attendee.registration)} == {
        Ticket.Status.WAITLISTED
    }
    ticket_cancel(ticket=holders[1])
    assert {t.status for t in tickets_of(family[0].attendee.registration)} == {Ticket.Status.VALID}


def test_cancelling_a_waiting_ticket_promotes_nobody():
    event = EventFactory(capacity=1)
    register(event)
    waiting = tickets_of(register(event))[0]
    later = tickets_of(register(event))[0]
    ticket_cancel(ticket=waiting)
    later.refresh_from_db()
    assert later.status == Ticket.Status.WAITLISTED


def test_promotion_after_capacity_increase_fills_the_new_places():
    event = EventFactory(capacity=1)
    register(event)
    waiting = tickets_of(register(event))[0]
    event.capacity = 2
    event.save()
    assert waitlist_promote(event=event) == [waiting]


def test_cancelling_twice_is_a_conflict():
    ticket = TicketFactory()
    ticket_cancel(ticket=ticket)
    with pytest.raises(ApplicationError) as caught:
        ticket_cancel(ticket=ticket)
    assert caught.value.status == 409


def test_cancel_and_reissue_are_audited_without_personal_data():
    ticket = TicketFactory()
    actor = UserFactory()
    ticket_reissue(ticket=ticket, actor=actor)
    ticket_cancel(ticket=ticket, actor=actor)
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "target_id", "detail"))
    assert entries == [
        ("ticket.reissue", str(ticket.pk), {}),
        ("ticket.cancel", str(ticket.pk), {}),
    ]


def test_reissue_gives_a_new_secret_and_short_code_and_the_old_link_stops_working(client):
    ticket = tickets_of(register(EventFactory()))[0]
    old_secret, old_code, old_url = ticket.secret, ticket.short_code, ticket.get_absolute_url()
    assert client.get(old_url).status_code == 200
    ticket = ticket_reissue(ticket=ticket)
    assert ticket.secret != old_secret and ticket.short_code != old_code
    assert ticket.reissued_at is not None
    assert not Ticket.objects.filter(secret=old_secret).exists()
    assert client.get(old_url).status_code == 404
    assert client.get(f"/tickets/{old_secret}/qr.png").status_code == 404
    assert client.get(ticket.get_absolute_url()).status_code == 200


def test_a_cancelled_ticket_cannot_be_reissued():
    ticket = TicketFactory(status=Ticket.Status.CANCELLED)
    with pytest.raises(ApplicationError):
        ticket_reissue(ticket=ticket)


def test_short_codes_are_eight_crockford_characters_and_unique():
    tickets = tickets_of(register(EventFactory(), members=[CHILD] * 40))
    for ticket in tickets:
        assert re.fullmatch(f"[{CROCKFORD_ALPHABET}]{{8}}", ticket.short_code)
        assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", format_short_code(ticket.short_code))
        assert not set("ILOU") & set(ticket.short_code)
    assert len({t.short_code for t in tickets}) == len(tickets)


def test_typed_short_codes_are_normalized():
    assert normalize_short_code("k7p2 9qxm") == "K7P29QXM"
    assert normalize_short_code("K7P2-9QXO") == "K7P29QX0"  # O read as zero
    assert normalize_short_code("K7P2-9QX") is None
    assert normalize_short_code("K7P2-9QXU") is None


def test_a_short_code_collision_draws_a_new_code(monkeypatch):
    existing = TicketFactory()
    drawn = iter([existing.short_code, existing.short_code, "ZZZZ2222"])
    monkeypatch.setattr(ticket_services, "new_short_code", lambda: next(drawn))
    ticket = tickets_of(register(EventFactory(), contact=ADULT))[0]
    assert ticket.short_code == "ZZZZ2222"


def test_endless_short_code_collisions_fail_cleanly(monkeypatch):
    existing = TicketFactory()
    monkeypatch.setattr(ticket_services, "new_short_code", lambda: existing.short_code)
    event = EventFactory()
    with pytest.raises(ApplicationError) as caught:
        register(event)
    assert caught.value.code == "code_generation_failed"
    assert not Ticket.objects.filter(event=event).exists()
    assert not event.registrations.exists()


def test_ticket_secret_has_at_least_128_random_bits():
    secret = codes.new_ticket_secret()
    # URL-safe base64: 6 bits per character.
    assert len(secret) * 6 >= 128
    assert re.fullmatch(r"[A-Za-z0-9_-]+", secret)


def test_raising_event_capacity_promotes_the_waiting_list_at_once():
    event = EventFactory(capacity=1)
    register(event)
    waiting = tickets_of(register(event))[0]
    event_update(event=event, data={"capacity": 2})
    waiting.refresh_from_db()
    assert waiting.status == Ticket.Status.VALID


def test_raising_session_capacity_promotes_the_waiting_list_at_once():
    event = EventFactory(capacity=None)
    session = SessionFactory(event=event, capacity=1)
    register(event)
    waiting = tickets_of(register(event))[0]
    assert waiting.status == Ticket.Status.WAITLISTED
    session_update(session=session, data={"capacity": 5})
    waiting.refresh_from_db()
    assert waiting.status == Ticket.Status.VALID
