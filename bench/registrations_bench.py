"""Benchmark 7: `registration_create` per second on PostgreSQL, with the participants receiver
connected (every registered person linked: keyed hashes, exact match, possible duplicates) and
without it (the signal receiver disconnected: registration as it was before participants).

Same process, same database, interleaved rounds (with, without, with, …) so that a neighbour's
load hits both alike; the median round of each is compared. Half the people come back with the
same phone (the participant exists), a quarter share a phone in a household, the rest are new."""

import statistics
import time

from events import signals
from events.models import Registration
from events.services.registrations import PersonData, registration_create
from participants import receivers

from . import scaled
from .data import next_week_event

ROUNDS = 7
PER_ROUND = scaled(400)
LINK_UID = "participants.link"


def _people(round_index: int, i: int) -> tuple[str, PersonData, list[PersonData]]:
    """A registration of the round: a returning person (same phone and name as in an earlier
    round), a household (mother and child on one phone) or someone new."""
    names = ("Aminata", "Fatou", "Mariam", "Khadija", "Awa", "Nadia", "Salma", "Binta")
    # Letters only, distinct per person: a name, then a letter suffix ("Aminata-b").
    suffix = "".join(chr(ord("a") + int(d)) for d in str(i // len(names)))
    name = f"{names[i % len(names)]}-{suffix}"
    # One in four comes back every round (same phone); the others are new each round.
    phone = f"0612{i:06d}" if i % 4 == 0 else f"06{20 + round_index % 79:02d}{i:06d}"
    contact = PersonData(first_name=name, gender="female", age_band="25-59")
    members = (
        [PersonData(first_name="Ibrahim", gender="male", age_band="5-11")] if i % 4 == 1 else []
    )
    return phone, contact, members


def _round(event, round_index: int) -> float:
    started = time.perf_counter()
    for i in range(PER_ROUND):
        phone, contact, members = _people(round_index, i)
        registration_create(
            event=event,
            contact=contact,
            members=members,
            phone=phone,
            consent_register=True,
            consent_contact=True,
            source=Registration.Source.API,
        )
    return PER_ROUND / (time.perf_counter() - started)


def registrations_benchmark(*, programme) -> dict:
    event = next_week_event(programme=programme, title="Bench registrations", capacity=None)
    with_link, without_link = [], []
    _round(event, 99)  # warm-up: the ORM's caches, the participant table's first rows
    for round_index in range(ROUNDS):
        with_link.append(_round(event, 2 * round_index))
        connected = signals.attendees_registered.disconnect(dispatch_uid=LINK_UID)
        assert connected, "the participants receiver was not connected"
        try:
            without_link.append(_round(event, 2 * round_index + 1))
        finally:
            signals.attendees_registered.connect(
                receivers.on_attendees_registered, dispatch_uid=LINK_UID
            )
    return {
        "per_round": PER_ROUND,
        "rounds": ROUNDS,
        "with_per_s": statistics.median(with_link),
        "without_per_s": statistics.median(without_link),
        "with_rounds": with_link,
        "without_rounds": without_link,
    }
