from django.db.models import Count, Q, QuerySet

from core.models import Organization
from core.permissions import scope_events, scope_programmes
from events.models import Event, EventStatus, Programme, Session


def programme_list(*, user) -> QuerySet[Programme]:
    return scope_programmes(
        user, Programme.objects.select_related("lead_organization").prefetch_related("targets")
    ).order_by("-start_date", "code")


def event_list(*, user, filters=None) -> QuerySet[Event]:
    queryset = Event.objects.select_related("programme", "organizer").annotate(
        session_count=Count("sessions", distinct=True)
    )
    queryset = scope_events(user, queryset)
    if filters is not None:
        queryset = filters.filter(queryset)
    return queryset.order_by("-start_date", "title")


def event_get_for_user(*, user, event_id: int) -> Event | None:
    return event_list(user=user).filter(pk=event_id).first()


def session_list(*, event: Event) -> QuerySet[Session]:
    return event.sessions.select_related("venue").order_by("date", "start_time")


def published_event_list() -> QuerySet[Event]:
    return (
        Event.objects.filter(status=EventStatus.PUBLISHED)
        .select_related("programme")
        .prefetch_related("sessions__venue")
        .order_by("start_date", "title")
    )


def organization_list(*, search: str = "") -> QuerySet[Organization]:
    queryset = Organization.objects.all()
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(acronym__icontains=search))
    return queryset.order_by("name")
