"""Reads for the institutions' answers: what is addressed to whom, what each organisation
answered and committed to, what is overdue, and the response rates by type of organisation.

An "expected answer" is one (adopted recommendation, organisation it is addressed to) pair of a
forum whose summary was sent to the partners: that sending is when the question was put to them,
and the forum's response delay counts from it."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Min, Prefetch, QuerySet
from django.utils import timezone

from core.models import Organization
from events.models import Event, EventKind, Programme

from .models import (
    Commitment,
    CommitmentState,
    CommitmentUpdate,
    ForumSettings,
    Recommendation,
    Response,
)


def forum_settings(event: Event) -> ForumSettings:
    """The forum's settings row, or unsaved defaults (nothing is written by reading)."""
    return ForumSettings.objects.filter(event=event).first() or ForumSettings(event=event)


def forum_asked_at(*, event: Event) -> datetime.datetime | None:
    """When the forum's recommendations were first sent to partners (the first release)."""
    return event.forum_summaries.filter(released_at__isnull=False).aggregate(
        first=Min("released_at")
    )["first"]


def forum_response_due_at(*, event: Event, settings: ForumSettings | None = None):
    asked = forum_asked_at(event=event)
    if asked is None:
        return None
    settings = settings or forum_settings(event)
    return asked + datetime.timedelta(days=settings.response_due_days)


def adopted_addressed(*, events) -> QuerySet[Recommendation]:
    """Adopted recommendations of these forums with their organisations, responses (and their
    commitments and updates) prefetched: a constant number of queries."""
    updates = CommitmentUpdate.objects.defer("document").order_by("created_at", "id")
    commitments = Commitment.objects.prefetch_related(Prefetch("updates", queryset=updates))
    responses = Response.objects.select_related("organization").prefetch_related(
        Prefetch("commitments", queryset=commitments)
    )
    return (
        Recommendation.objects.filter(event__in=events, status=Recommendation.Status.ADOPTED)
        .select_related("event", "theme")
        .prefetch_related(
            Prefetch("addressed_to", queryset=Organization.objects.order_by("name")),
            Prefetch("responses", queryset=responses),
        )
        .order_by("event__start_date", "event_id", "theme__position", "priority", "id")
    )


@dataclass
class Addressee:
    organization: Organization
    response: Response | None
    commitments: list = field(default_factory=list)
    overdue: bool = False


@dataclass
class FollowupRow:
    recommendation: Recommendation
    addressees: list[Addressee]


def followup_rows(*, events, now=None) -> list[FollowupRow]:
    """Each adopted recommendation, each organisation it is addressed to, its answer and its
    commitments (state, overdue flag)."""
    now = now or timezone.now()
    due_by_event = {}
    rows = []
    for rec in adopted_addressed(events=events):
        if rec.event_id not in due_by_event:
            due_by_event[rec.event_id] = forum_response_due_at(event=rec.event)
        due = due_by_event[rec.event_id]
        responses = {response.organization_id: response for response in rec.responses.all()}
        addressees = []
        for org in rec.addressed_to.all():
            response = responses.get(org.pk)
            commitments = list(response.commitments.all()) if response else []
            for commitment in commitments:
                commitment.overdue = (
                    commitment.state != CommitmentState.DONE
                    and commitment.due_on < timezone.localdate(now)
                )
            addressees.append(
                Addressee(
                    organization=org,
                    response=response,
                    commitments=commitments,
                    overdue=response is None and due is not None and due <= now,
                )
            )
        rows.append(FollowupRow(recommendation=rec, addressees=addressees))
    return rows


def overdue_items(rows: list[FollowupRow]) -> dict[str, list]:
    """The organizer's overdue list: answers past their delay, commitments past their date."""
    answers, commitments = [], []
    for row in rows:
        for addressee in row.addressees:
            if addressee.overdue:
                answers.append((row.recommendation, addressee.organization))
            for commitment in addressee.commitments:
                if commitment.overdue:
                    commitments.append((row.recommendation, addressee.organization, commitment))
    return {"answers": answers, "commitments": commitments}


def programme_forums(*, programme: Programme) -> QuerySet[Event]:
    return Event.objects.filter(programme=programme, kind=EventKind.FORUM).order_by(
        "start_date", "pk"
    )


@dataclass
class KindRate:
    kind: str
    label: str
    answered: int
    expected: int


def response_rates_by_kind(*, events) -> list[KindRate]:
    """Per type of organisation: expected answers and answers given (any position counts as an
    answer). Counts pairs (recommendation, organisation), so an organisation addressed by three
    recommendations is expected to answer three times."""
    expected: dict[str, int] = defaultdict(int)
    answered: dict[str, int] = defaultdict(int)
    pairs = Recommendation.addressed_to.through.objects.filter(
        recommendation__event__in=events,
        recommendation__status=Recommendation.Status.ADOPTED,
    ).values_list("recommendation_id", "organization_id", "organization__kind")
    given = set(
        Response.objects.filter(
            recommendation__event__in=events,
            recommendation__status=Recommendation.Status.ADOPTED,
        ).values_list("recommendation_id", "organization_id")
    )
    for rec_id, org_id, kind in pairs:
        expected[kind] += 1
        if (rec_id, org_id) in given:
            answered[kind] += 1
    labels = dict(Organization.Kind.choices)
    return [
        KindRate(kind=kind, label=str(labels[kind]), answered=answered[kind], expected=count)
        for kind, count in sorted(expected.items(), key=lambda item: str(labels[item[0]]))
    ]


def partner_addressed_recommendations(*, organization: Organization) -> QuerySet[Recommendation]:
    """What this organisation is asked to answer: adopted recommendations addressed to it, of
    forums whose summary was sent to partners."""
    return (
        Recommendation.objects.filter(
            addressed_to=organization,
            status=Recommendation.Status.ADOPTED,
            event__forum_summaries__released_at__isnull=False,
        )
        .distinct()
        .select_related("event", "theme")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=Response.objects.filter(organization=organization),
                to_attr="own_responses",
            )
        )
        .order_by("-event__start_date", "theme__position", "priority", "id")
    )


def partner_recommendation_get(*, organization: Organization, recommendation_id: int):
    return (
        partner_addressed_recommendations(organization=organization)
        .filter(pk=recommendation_id)
        .first()
    )


def partner_response(*, organization: Organization, recommendation: Recommendation):
    return (
        Response.objects.filter(organization=organization, recommendation=recommendation)
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.prefetch_related(
                    Prefetch("updates", queryset=CommitmentUpdate.objects.defer("document"))
                ),
            )
        )
        .first()
    )


def partner_commitment_get(*, organization: Organization, commitment_id: int):
    return (
        Commitment.objects.filter(
            pk=commitment_id,
            response__organization=organization,
            response__recommendation__in=partner_addressed_recommendations(
                organization=organization
            ),
        )
        .select_related("response__recommendation")
        .first()
    )


def partner_update_document_get(*, organization: Organization, update_id: int):
    return CommitmentUpdate.objects.filter(
        pk=update_id,
        commitment__response__organization=organization,
        commitment__response__recommendation__in=partner_addressed_recommendations(
            organization=organization
        ),
        document__isnull=False,
    ).first()


def network_organizations(*, programme: Programme) -> list[Organization]:
    """The programme's network: its partners, and every organisation one of its forums'
    adopted recommendations is addressed to; each with its contacts and the recommendations
    addressed to it and its answer (annotated `addressed`, pairs of both)."""
    forums = programme_forums(programme=programme)
    addressed: dict[int, list[tuple]] = defaultdict(list)
    for rec in adopted_addressed(events=forums):
        responses = {response.organization_id: response for response in rec.responses.all()}
        for org in rec.addressed_to.all():
            addressed[org.pk].append((rec, responses.get(org.pk)))
    ids = set(programme.partners.values_list("pk", flat=True)) | set(addressed)
    organizations = list(
        Organization.objects.filter(pk__in=ids).prefetch_related("contacts").order_by("name")
    )
    for org in organizations:
        org.addressed = addressed.get(org.pk, [])
        org.contact_languages = sorted({c.preferred_language for c in org.contacts.all()})
    return organizations
