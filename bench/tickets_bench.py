"""Benchmark 5: issuing 10,000 tickets (BENCH_SCALE=1) through the ticket service (event row lock, capacity
count, unique secret and short code, one transaction per registration), against the floor of a
bare single-row INSERT per ticket in its own transaction. QR PNGs are rendered lazily (by the
ticket page, the badge PDF and the confirmation e-mail, when asked): the run also times rendering
PNGs so that the cost of doing it eagerly at issue time is known."""

import time

from django.db import transaction

from core.qr import qr_png_bytes
from events.codes import new_ticket_secret
from events.models import Ticket
from events.services.tickets import tickets_issue

from . import scaled
from .data import attendees_create, next_week_event, unique_short_codes

TICKETS = scaled(10_000)
BASELINE_TICKETS = scaled(2_000)
PNG_SAMPLE = 500


def tickets_benchmark(*, programme) -> dict:
    event = next_week_event(
        programme=programme, title="Bench ticket office", capacity=TICKETS + BASELINE_TICKETS
    )
    attendees = attendees_create(event=event, count=TICKETS + BASELINE_TICKETS, first_index=0)
    issued, spare = attendees[:TICKETS], attendees[TICKETS:]

    started = time.perf_counter()
    for attendee in issued:
        tickets_issue(event=event, attendees=[attendee])
    issue_s = time.perf_counter() - started

    codes = unique_short_codes(len(spare))
    started = time.perf_counter()
    for attendee, code in zip(spare, codes, strict=True):
        with transaction.atomic():
            Ticket.objects.create(
                event=event, attendee=attendee, secret=new_ticket_secret(), short_code=code
            )
    baseline_s = time.perf_counter() - started

    secrets = list(Ticket.objects.filter(event=event).values_list("secret", flat=True)[:PNG_SAMPLE])
    started = time.perf_counter()
    for secret in secrets:
        qr_png_bytes(secret)
    png_s = time.perf_counter() - started
    return {
        "count": TICKETS,
        "valid": Ticket.objects.filter(event=event, status=Ticket.Status.VALID).count(),
        "issue_per_s": TICKETS / issue_s,
        "baseline_per_s": BASELINE_TICKETS / baseline_s,
        "png_per_s": len(secrets) / png_s,
    }
