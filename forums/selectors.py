"""Reads for forums: what staff, rapporteurs and partners may see."""

from django.db.models import Count, Q, QuerySet

from core.models import Contact, Organization
from core.permissions import (
    can_enter_recommendations,
    is_administrator,
    partner_forum_link,
    scope_events,
)
from events.models import Event, EventKind, EventStatus

from .models import ForumSummary, Recommendation, Theme, Workshop


def forum_list_for_staff(*, user) -> QuerySet[Event]:
    return scope_events(
        user, Event.objects.filter(kind=EventKind.FORUM).select_related("programme", "organizer")
    ).order_by("-start_date", "title")


def forum_get_for_staff(*, user, event_id: int) -> Event | None:
    return forum_list_for_staff(user=user).filter(pk=event_id).first()


def forum_can_enter_recommendations(*, user, event: Event) -> bool:
    """Organizers of the forum, and the rapporteurs assigned to it who still hold a rapporteur
    role in its organizing organisation (leaving the organisation ends the access)."""
    return can_enter_recommendations(user, event)


def rapporteur_forum_list(*, user) -> QuerySet[Event]:
    if is_administrator(user):
        return Event.objects.filter(kind=EventKind.FORUM)
    return Event.objects.filter(kind=EventKind.FORUM, rapporteur_assignments__user=user)


def recommendation_list(*, event: Event, status: str | None = None) -> QuerySet[Recommendation]:
    queryset = (
        Recommendation.objects.filter(event=event)
        .select_related("theme", "proposed_by_workshop", "merged_into")
        .prefetch_related("addressed_to")
        .annotate(endorsement_count=Count("endorsements"))
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("theme__position", "theme_id", "priority", "id")


def recommendation_get_for_staff(*, user, recommendation_id: int) -> Recommendation | None:
    forums = forum_list_for_staff(user=user)
    return (
        Recommendation.objects.filter(pk=recommendation_id, event__in=forums)
        .select_related("event__programme")
        .first()
    )


def theme_list(*, event: Event) -> QuerySet[Theme]:
    return Theme.objects.filter(event=event).order_by("position", "id")


def workshop_list(*, event: Event) -> QuerySet[Workshop]:
    return Workshop.objects.filter(event=event).select_related("theme").order_by("name_fr")


def summary_latest(*, event: Event) -> ForumSummary | None:
    """The newest version, draft or released: what staff work on."""
    return ForumSummary.objects.filter(event=event).order_by("-number").first()


def summary_latest_released(*, event: Event) -> ForumSummary | None:
    """The newest version an organizer released: what partners see."""
    return (
        ForumSummary.objects.filter(event=event, released_at__isnull=False)
        .order_by("-number")
        .first()
    )


def summary_versions(*, event: Event) -> QuerySet[ForumSummary]:
    return ForumSummary.objects.filter(event=event).order_by("-number").defer("html", "pdf", "data")


def partner_forum_list(*, organization: Organization) -> QuerySet[Event]:
    """Closed forums with a released summary that this organisation is linked to: partner or
    donor of the programme, co-organiser of the event, or addressed by one of its adopted
    recommendations."""
    ids = Event.objects.filter(partner_forum_link(organization), kind=EventKind.FORUM).values("pk")
    return (
        Event.objects.filter(
            pk__in=ids,
            status=EventStatus.CLOSED,
            forum_summaries__released_at__isnull=False,
        )
        .distinct()
        .select_related("programme")
        .order_by("-start_date")
    )


def partner_forum_get(*, organization: Organization, event_id: int) -> Event | None:
    return partner_forum_list(organization=organization).filter(pk=event_id).first()


def forum_partner_organizations(*, event: Event) -> QuerySet[Organization]:
    """The organisations linked to this forum: the same rule as partner_forum_list, read from the
    other side (so that whoever receives the summary can also open it in the portal)."""
    linked = (
        Q(partner_programmes=event.programme_id)
        | Q(funded_programmes=event.programme_id)
        | Q(co_organized_events=event)
        | Q(
            forum_recommendations__event=event,
            forum_recommendations__status=Recommendation.Status.ADOPTED,
        )
    )
    ids = Organization.objects.filter(linked).values("pk")
    return Organization.objects.filter(pk__in=ids).order_by("name", "pk")


def summary_recipient_contacts(*, event: Event) -> QuerySet[Contact]:
    """Contacts with an e-mail address of the organisations linked to the forum."""
    return (
        Contact.objects.filter(organization__in=forum_partner_organizations(event=event))
        .exclude(email="")
        .select_related("organization")
        .order_by("organization__name", "name", "pk")
    )


def summary_messages(*, summary: ForumSummary) -> QuerySet:
    """The outbox rows that deliver this summary version (one per recipient contact)."""
    from notifications.models import Message, Purpose

    prefix = f"{Purpose.FORUM_SUMMARY}:s{summary.pk}:c"
    return Message.objects.filter(
        event_id=summary.event_id,
        purpose=Purpose.FORUM_SUMMARY,
        idempotency_key__startswith=prefix,
    )


def summary_delivery_counts(*, event: Event) -> dict[int, dict[str, int]]:
    """Per summary version: e-mails sent, failed and still waiting (scheduled or sending)."""
    from notifications.models import Message, Purpose

    counts: dict[int, dict[str, int]] = {}
    rows = Message.objects.filter(event=event, purpose=Purpose.FORUM_SUMMARY).values_list(
        "payload", "status"
    )
    for payload, status in rows:
        summary_id = (payload or {}).get("summary")
        if summary_id is None:
            continue
        entry = counts.setdefault(summary_id, {"sent": 0, "failed": 0, "waiting": 0})
        if status == Message.Status.SENT:
            entry["sent"] += 1
        elif status == Message.Status.FAILED:
            entry["failed"] += 1
        elif status in (Message.Status.SCHEDULED, Message.Status.SENDING):
            entry["waiting"] += 1
    return counts
