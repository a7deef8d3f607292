"""Reads for the institutions' answers: what is addressed to whom, what each organisation
answered and committed to, what is overdue, and the response rates by type of organisation.

An "expected answer" is one (adopted recommendation, organisation it is addressed to) pair of a
forum whose summary was sent to the partners: that sending is when the question was put to them,
and the forum's response delay counts from it. Or one (accepted proposal, organisation) pair an
organizer addressed (any event with a call for proposals): the delay counts from that moment.
What was put to whom among proposals is read through `proposals.selectors`."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Min, Prefetch, Q, QuerySet
from django.utils import timezone

from core.models import Organization
from events.models import Event, EventKind, Programme
from proposals import selectors as proposal_reads

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


def _commitments_prefetch() -> Prefetch:
    updates = CommitmentUpdate.objects.defer("document").order_by("created_at", "id")
    commitments = Commitment.objects.prefetch_related(Prefetch("updates", queryset=updates))
    return Prefetch("commitments", queryset=commitments)


def _responses_prefetch() -> Prefetch:
    responses = Response.objects.select_related("organization").prefetch_related(
        _commitments_prefetch()
    )
    return Prefetch("responses", queryset=responses)


def adopted_addressed(*, events) -> QuerySet[Recommendation]:
    """Adopted recommendations of these forums with their organisations, responses (and their
    commitments and updates) prefetched: a constant number of queries."""
    return (
        Recommendation.objects.filter(event__in=events, status=Recommendation.Status.ADOPTED)
        .select_related("event", "theme")
        .prefetch_related(
            Prefetch("addressed_to", queryset=Organization.objects.order_by("name")),
            _responses_prefetch(),
        )
        .order_by("event__start_date", "event_id", "theme__position", "priority", "id")
    )


def proposals_addressed(*, events):
    """Accepted proposals of these events addressed to partners, with their addressees and
    responses (commitments and updates) prefetched: a constant number of queries."""
    return proposal_reads.proposals_addressed(events=events).prefetch_related(_responses_prefetch())


@dataclass
class Addressee:
    organization: Organization
    response: Response | None
    commitments: list = field(default_factory=list)
    overdue: bool = False


@dataclass
class FollowupRow:
    """A subject put to organisations (an adopted recommendation or an accepted proposal) and
    what each of them answered."""

    subject: object
    addressees: list[Addressee]
    kind: str = "recommendation"

    @property
    def recommendation(self) -> Recommendation | None:
        return self.subject if self.kind == "recommendation" else None

    @property
    def proposal(self):
        return self.subject if self.kind == "proposal" else None

    @property
    def text(self) -> str:
        return self.subject.text if self.proposal else self.subject.display_text

    @property
    def title(self) -> str:
        return self.subject.title if self.proposal else ""

    @property
    def event(self) -> Event:
        return self.subject.call.event if self.proposal else self.subject.event

    @property
    def theme_name(self) -> str:
        return self.subject.theme.display_name


def _addressee(organization, response, *, due, now) -> Addressee:
    commitments = list(response.commitments.all()) if response else []
    for commitment in commitments:
        commitment.overdue = (
            commitment.state != CommitmentState.DONE and commitment.due_on < timezone.localdate(now)
        )
    return Addressee(
        organization=organization,
        response=response,
        commitments=commitments,
        overdue=response is None and due is not None and due <= now,
    )


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
        addressees = [
            _addressee(org, responses.get(org.pk), due=due, now=now)
            for org in rec.addressed_to.all()
        ]
        rows.append(FollowupRow(subject=rec, addressees=addressees))
    return rows


def proposal_followup_rows(*, events, now=None) -> list[FollowupRow]:
    """Each accepted proposal of these events put to partners, each organisation asked, its
    answer and commitments; an answer is overdue `response_due_days` (the event's forum
    settings) after the organisation was asked."""
    now = now or timezone.now()
    delay_by_event = {}
    rows = []
    for proposal in proposals_addressed(events=events):
        event = proposal.call.event
        if event.pk not in delay_by_event:
            days = forum_settings(event).response_due_days
            delay_by_event[event.pk] = datetime.timedelta(days=days)
        responses = {response.organization_id: response for response in proposal.responses.all()}
        addressees = [
            _addressee(
                addressee.organization,
                responses.get(addressee.organization_id),
                due=addressee.addressed_at + delay_by_event[event.pk],
                now=now,
            )
            for addressee in proposal.addressees.all()
        ]
        rows.append(FollowupRow(subject=proposal, addressees=addressees, kind="proposal"))
    return rows


def overdue_items(rows: list[FollowupRow]) -> dict[str, list]:
    """The organizer's overdue list: answers past their delay, commitments past their date
    (each with its row, recommendation or proposal)."""
    answers, commitments = [], []
    for row in rows:
        for addressee in row.addressees:
            if addressee.overdue:
                answers.append((row, addressee.organization))
            for commitment in addressee.commitments:
                if commitment.overdue:
                    commitments.append((row, addressee.organization, commitment))
    return {"answers": answers, "commitments": commitments}


def programme_forums(*, programme: Programme) -> QuerySet[Event]:
    return Event.objects.filter(programme=programme, kind=EventKind.FORUM).order_by(
        "start_date", "pk"
    )


def programme_events(*, programme: Programme) -> QuerySet[Event]:
    """Every event of the programme (calls for proposals are not only at forums)."""
    return Event.objects.filter(programme=programme).order_by("start_date", "pk")


@dataclass
class KindRate:
    """Per type of organisation: answers given and expected, for recommendations and, apart,
    for proposals."""

    kind: str
    label: str
    answered: int = 0
    expected: int = 0
    proposals_answered: int = 0
    proposals_expected: int = 0


def response_rates_by_kind(*, events, proposal_events=None) -> list[KindRate]:
    """Per type of organisation: expected answers and answers given (any position counts as an
    answer). Counts pairs (subject, organisation), so an organisation addressed by three
    recommendations is expected to answer three times. Proposals are those of
    `proposal_events` (the same events when not given)."""
    rates: dict[str, KindRate] = {}
    labels = dict(Organization.Kind.choices)

    def rate(kind: str) -> KindRate:
        return rates.setdefault(kind, KindRate(kind=kind, label=str(labels[kind])))

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
        rate(kind).expected += 1
        rate(kind).answered += (rec_id, org_id) in given
    proposal_pairs = proposal_reads.addressee_pairs(
        events=events if proposal_events is None else proposal_events
    )
    given = set(
        Response.objects.filter(
            proposal_id__in={pair.proposal_id for pair in proposal_pairs}
        ).values_list("proposal_id", "organization_id")
    )
    for pair in proposal_pairs:
        rate(pair.organization_kind).proposals_expected += 1
        rate(pair.organization_kind).proposals_answered += (
            pair.proposal_id,
            pair.organization_id,
        ) in given
    return sorted(rates.values(), key=lambda item: item.label)


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


def partner_addressed_proposals(*, organization: Organization):
    """The accepted proposals addressed to this organisation, with its own response."""
    return proposal_reads.partner_addressed_proposals(organization=organization).prefetch_related(
        Prefetch(
            "responses",
            queryset=Response.objects.filter(organization=organization),
            to_attr="own_responses",
        )
    )


def partner_proposal_get(*, organization: Organization, proposal_id: int):
    return proposal_reads.partner_proposal_get(organization=organization, proposal_id=proposal_id)


def partner_response(*, organization: Organization, recommendation=None, proposal=None):
    """The organisation's response to one subject (a recommendation or a proposal), with its
    commitments and their updates."""
    subject = {"proposal": proposal} if proposal is not None else {"recommendation": recommendation}
    return (
        Response.objects.filter(organization=organization, **subject)
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


def _partner_responses_q(organization: Organization, prefix: str = "") -> Q:
    """Responses of this organisation whose subject is still addressed to it."""
    recommendations = partner_addressed_recommendations(organization=organization)
    proposals = proposal_reads.partner_addressed_proposals(organization=organization)
    return Q(**{f"{prefix}organization": organization}) & (
        Q(**{f"{prefix}recommendation__in": recommendations.values("pk")})
        | Q(**{f"{prefix}proposal__in": proposals.values("pk")})
    )


def partner_commitment_get(*, organization: Organization, commitment_id: int):
    return (
        Commitment.objects.filter(
            _partner_responses_q(organization, prefix="response__"), pk=commitment_id
        )
        .select_related("response__recommendation", "response__proposal")
        .first()
    )


def partner_update_document_get(*, organization: Organization, update_id: int):
    return CommitmentUpdate.objects.filter(
        _partner_responses_q(organization, prefix="commitment__response__"),
        pk=update_id,
        document__isnull=False,
    ).first()


def network_organizations(*, programme: Programme) -> list[Organization]:
    """The programme's network: its partners, and every organisation one of its forums'
    adopted recommendations or one of its events' accepted proposals is addressed to; each with
    its contacts, the recommendations addressed to it and its answer (annotated `addressed`,
    pairs of both) and the same for proposals (`proposals_addressed`)."""
    forums = programme_forums(programme=programme)
    addressed: dict[int, list[tuple]] = defaultdict(list)
    for rec in adopted_addressed(events=forums):
        responses = {response.organization_id: response for response in rec.responses.all()}
        for org in rec.addressed_to.all():
            addressed[org.pk].append((rec, responses.get(org.pk)))
    proposals: dict[int, list[tuple]] = defaultdict(list)
    for proposal in proposals_addressed(events=programme_events(programme=programme)):
        responses = {response.organization_id: response for response in proposal.responses.all()}
        for addressee in proposal.addressees.all():
            org_id = addressee.organization_id
            proposals[org_id].append((proposal, responses.get(org_id)))
    ids = set(programme.partners.values_list("pk", flat=True)) | set(addressed) | set(proposals)
    organizations = list(
        Organization.objects.filter(pk__in=ids).prefetch_related("contacts").order_by("name")
    )
    for org in organizations:
        org.addressed = addressed.get(org.pk, [])
        org.proposals_addressed = proposals.get(org.pk, [])
        org.contact_languages = sorted({c.preferred_language for c in org.contacts.all()})
    return organizations
