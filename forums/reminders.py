"""Reminding partner organisations, through the notifications outbox, of what they owe an
event: answers to the adopted recommendations of a forum addressed to them (due
`response_due_days` after the summary was first sent), answers to the accepted participants'
proposals of the event addressed to them (due `response_due_days` after each was put to them),
and updates of their unfinished commitments on either (due `update_every_days` after the last
thing they said about one, or when its date has passed since).

Once per period, per contact: time since the event first asked partners anything (the summary's
first sending, or the first proposal put to them, whichever came first) is cut into periods of
`reminder_period_days`, and the outbox row's idempotency key is (event, organisation, contact,
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
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.models import Contact
from events.models import Event, EventKind
from notifications.models import Purpose
from notifications.services import contact_messages_schedule, messages_dispatch
from proposals import selectors as proposal_reads

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


def _pending_proposal_answers(pairs, *, due_days: int, now) -> dict[int, int]:
    """Organisation id -> accepted proposals put to it past their delay, not answered."""
    due = [pair for pair in pairs if pair.addressed_at + datetime.timedelta(days=due_days) <= now]
    answered = set(
        Response.objects.filter(proposal_id__in={pair.proposal_id for pair in due}).values_list(
            "proposal_id", "organization_id"
        )
    )
    pending: dict[int, int] = defaultdict(int)
    for pair in due:
        if (pair.proposal_id, pair.organization_id) not in answered:
            pending[pair.organization_id] += 1
    return pending


def _pending_updates(event: Event, proposal_ids, *, every_days: int, now) -> dict[int, int]:
    """Organisation id -> its unfinished commitments on this event that need news."""
    stale = now - datetime.timedelta(days=every_days)
    today = timezone.localdate(now)
    pending: dict[int, int] = defaultdict(int)
    commitments = Commitment.objects.filter(
        Q(
            response__recommendation__event=event,
            response__recommendation__status=Recommendation.Status.ADOPTED,
        )
        | Q(response__proposal_id__in=proposal_ids)
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
    summary_sent = reads.forum_asked_at(event=event)
    # Pairs come oldest first. The clock starts at the earliest question still on record: an
    # organizer withdrawing the first proposal put may shift the periods (once, by design).
    pairs = proposal_reads.addressee_pairs(events=[event])
    asked = min(
        [moment for moment in [summary_sent, *(pair.addressed_at for pair in pairs[:1])] if moment],
        default=None,
    )
    if asked is None:
        return []
    forum_settings = reads.forum_settings(event)
    period = int((now - asked) / datetime.timedelta(days=forum_settings.reminder_period_days))
    due = datetime.timedelta(days=forum_settings.response_due_days)
    answers = _pending_answers(event) if summary_sent and summary_sent + due <= now else {}
    proposal_answers = _pending_proposal_answers(
        pairs, due_days=forum_settings.response_due_days, now=now
    )
    updates = _pending_updates(
        event,
        {pair.proposal_id for pair in pairs},
        every_days=forum_settings.update_every_days,
        now=now,
    )
    organizations = set(answers) | set(proposal_answers) | set(updates)
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
                    "proposal_count": proposal_answers.get(contact.organization_id, 0),
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
    """Every forum whose summary went to partners, and every event whose proposals were put to
    partners: the reminders due in this period."""
    forums = Event.objects.filter(
        kind=EventKind.FORUM, forum_summaries__released_at__isnull=False
    ).values("pk")
    with_proposals = proposal_reads.events_with_addressed_proposals().values("pk")
    events = Event.objects.filter(Q(pk__in=forums) | Q(pk__in=with_proposals)).order_by("pk")
    return sum(len(forum_partner_reminders_send(event=event, now=now)) for event in events)
