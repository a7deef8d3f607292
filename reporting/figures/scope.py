"""Which attendance rows count, and the one grouped query every figure is derived from."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from attendance.models import Attendance
from events.models import Event

# A registered person's demographics come from their attendee record, so the same person is the
# same person in every row (even if a door volunteer typed something else); anonymous rows
# (walk-ins, class headcounts) carry their own.
PERSON_DEMOGRAPHICS = {
    "person_gender": Coalesce("ticket__attendee__gender", "gender"),
    "person_age_band": Coalesce("ticket__attendee__age_band", "age_band"),
    "person_profile": Coalesce("ticket__attendee__profile", "profile"),
}
DEMOGRAPHIC_KEYS = {
    "gender": "person_gender",
    "age_band": "person_age_band",
    "profile": "person_profile",
}


@dataclass(frozen=True)
class FigureFilters:
    """Period (inclusive, on session dates), event kind, and the site and partner filters donors
    report by: the city of the session's venue, the school a session was held in, and an
    organisation that organised or co-organised the event."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    kind: str | None = None
    city: str | None = None
    school: str | None = None
    organization_id: int | None = None

    def as_dict(self) -> dict:
        return {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "kind": self.kind or None,
            "city": self.city or None,
            "school": self.school or None,
            "organization": self.organization_id,
        }


def counted_attendances(
    *, programme=None, event=None, filters: FigureFilters | None = None
) -> QuerySet:
    """Attendance rows that count: never voided ones."""
    queryset = Attendance.objects.filter(voided_at__isnull=True)
    if programme is not None:
        queryset = queryset.filter(event__programme=programme)
    if event is not None:
        queryset = queryset.filter(event=event)
    filters = filters or FigureFilters()
    if filters.date_from:
        queryset = queryset.filter(session__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(session__date__lte=filters.date_to)
    if filters.kind:
        queryset = queryset.filter(event__kind=filters.kind)
    if filters.city:
        queryset = queryset.filter(session__venue__city__iexact=filters.city)
    if filters.school:
        queryset = queryset.filter(session__school_name__iexact=filters.school)
    if filters.organization_id:
        # A subquery, not a join: joining co-organisers would repeat each attendance row once
        # per co-organiser and inflate every sum.
        partner_events = Event.objects.filter(
            Q(organizer_id=filters.organization_id) | Q(co_organizers__id=filters.organization_id)
        ).values("pk")
        queryset = queryset.filter(event__in=partner_events)
    return queryset


def demographic_cells(queryset: QuerySet, *, group_by: dict | None = None) -> list[dict]:
    """One row per (group, gender, age band, profile) with attendances and people.

    People are additive across demographic cells (each person sits in exactly one cell), but not
    across groups: the same person in two sessions is one person in each, and once overall, which
    is why every grouping is its own query instead of a sum of finer ones."""
    group_by = group_by or {}
    return list(
        queryset.annotate(**group_by, **PERSON_DEMOGRAPHICS)
        .values(*group_by, *PERSON_DEMOGRAPHICS)
        .annotate(
            attendances=Sum("headcount"),
            registered_people=Count("ticket", distinct=True),
            anonymous_people=Sum("headcount", filter=Q(ticket__isnull=True)),
        )
        .order_by()
    )


def held_counts(queryset: QuerySet, *, group_by: dict | None = None) -> list[dict]:
    """Events and sessions held (at least one counted attendance), per group."""
    counts = {
        "events_held": Count("event", distinct=True),
        "sessions_held": Count("session", distinct=True),
    }
    if not group_by:
        return [queryset.aggregate(**counts)]
    return list(queryset.annotate(**group_by).values(*group_by).annotate(**counts).order_by())
