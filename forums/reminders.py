"""Reminding partner organisations, through the notifications outbox, of what they owe a forum:
answers to the adopted recommendations addressed to them (due `response_due_days` after the
summary was first sent), and updates of their unfinished commitments (due `update_every_days`
after the last thing they said about one, or when its date has passed since).

Once per period, per contact: time since the summary's first sending is cut into periods of
`reminder_period_days`, and the outbox row's idempotency key is (forum, organisation, contact,
period). Running this every hour, twice, or on two workers sends one e-mail per period. An
organisation with nothing left to do gets nothing: answering stops the reminders.

In the contact's language, with a signed link to the portal's answers page, by e-mail and on the
contact's phone (WhatsApp when they agreed to it and a template exists, else SMS), each as the
forum's message settings allow and never to an address that answered STOP
(notifications.services.contacts). The e-mail row keeps the key above; the phone's adds its
channel."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.models import Contact
from events.models import Event, EventKind
from notifications.models import Purpose
from notifications.services import contact_messages_schedule, messages_dispatch

from . import selectors_followup as reads
from .models import Commitment, CommitmentState, Recommendation, Response
from .partners import partner_link_token


def reminder_key(*, event_id: int, organization_id: int, contact_id: int, period: int) -> str:
    return f"{Purpose.PARTNER_REMINDER}:e{event_id}:o{organization_id}:c{contact_id}:p{period}"


def _pending_answers(event: Event) -> dict[int, int]:
    """Organisation id -> adopted recommendations addressed to it that it has not answered."""
    answered = set(
        Response.objects.filter(recommendation__event=event).values_list(
            "recommendation_id", "organization_id"
        )
    )
    pending: dict[int, int] = defaultdict(int)
    pairs = Recommendation.addressed_to.through.objects.filter(
        recommendation__event=event, recommendation__status=Recommendation.Status.ADOPTED
    ).values_list("recommendation_id", "organization_id")
    for pair in pairs:
        if pair not in answered:
            pending[pair[1]] += 1
    return pending


def _pending_updates(event: Event, *, every_days: int, now) -> dict[int, int]:
    """Organisation id -> its unfinished commitments on this forum that need news."""
    stale = now - datetime.timedelta(days=every_days)
    today = timezone.localdate(now)
    pending: dict[int, int] = defaultdict(int)
    commitments = Commitment.objects.filter(
        response__recommendation__event=event,
        response__recommendation__status=Recommendation.Status.ADOPTED,
    ).exclude(state=CommitmentState.DONE)
    for org_id, last, due_on in commitments.values_list(
        "response__organization_id", "last_activity_at", "due_on"
    ):
        if last <= stale or (due_on < today and timezone.localdate(last) <= due_on):
            pending[org_id] += 1
    return pending


def answers_url(contact: Contact) -> str:
    token = partner_link_token(contact=contact)
    return settings.SITE_URL + reverse("forums:partner_answers", kwargs={"token": token})


def forum_partner_reminders_send(*, event: Event, now=None) -> list[int]:
    """The reminders of one forum for the current period; returns the outbox row ids (existing
    rows included, so a second run returns the same ids and sends nothing)."""
    now = now or timezone.now()
    asked = reads.forum_asked_at(event=event)
    if asked is None:
        return []
    forum_settings = reads.forum_settings(event)
    period = int((now - asked) / datetime.timedelta(days=forum_settings.reminder_period_days))
    answers_due = asked + datetime.timedelta(days=forum_settings.response_due_days) <= now
    answers = _pending_answers(event) if answers_due else {}
    updates = _pending_updates(event, every_days=forum_settings.update_every_days, now=now)
    organizations = set(answers) | set(updates)
    if not organizations:
        return []
    contacts = (
        Contact.objects.filter(organization_id__in=organizations)
        .select_related("organization")
        .order_by("organization_id", "pk")
    )
    ids = []
    with transaction.atomic():
        for contact in contacts:
            language = contact.preferred_language
            messages = contact_messages_schedule(
                contact=contact,
                event=event,
                purpose=Purpose.PARTNER_REMINDER,
                context={
                    "name": contact.name,
                    "organization": contact.organization.name,
                    "event": getattr(event, f"title_{language}", "") or event.title,
                    "answer_count": answers.get(contact.organization_id, 0),
                    "update_count": updates.get(contact.organization_id, 0),
                    "answers_url": answers_url(contact),
                },
                idempotency_key=reminder_key(
                    event_id=event.pk,
                    organization_id=contact.organization_id,
                    contact_id=contact.pk,
                    period=period,
                ),
                scheduled_at=now,
                payload={"organization": contact.organization_id, "contact": contact.pk},
            )
            ids.extend(message.pk for message in messages)
        messages_dispatch(ids=ids)
    return ids


def partner_reminders_send(*, now=None) -> int:
    """Every forum whose summary went to partners: the reminders due in this period."""
    forums = Event.objects.filter(
        kind=EventKind.FORUM, forum_summaries__released_at__isnull=False
    ).distinct()
    return sum(len(forum_partner_reminders_send(event=event, now=now)) for event in forums)
