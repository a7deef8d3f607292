"""Reads for proposals: the call of an event, proposals to show or moderate, and the figures of
who proposed and who endorsed (reporting reads them through this module).

People are counted as distinct people: an individual proposal or endorsement counts the
participant its code resolved to (a merged participant counts as the one they were merged into),
or, for someone not known as a participant, the ticket it came through. A person who proposed
three ideas proposed once; their gender, age band and profile are those of their first
proposal. A group proposal adds the people its facilitator counted (anonymous, so never
de-duplicated). Rejected proposals do not count; merged ones do (their proposer did propose).
Every figure is a fixed number of queries, whatever the number of rows."""

import datetime
from dataclasses import dataclass, field

from django.db.models import DateField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import translation

from core.models import Organization
from core.permissions import scope_events
from events.models import Event

from .models import (
    CallForProposals,
    GroupCount,
    Proposal,
    ProposalAddressee,
    ProposalEndorsement,
)

Status = Proposal.Status
COUNTED = (Status.PENDING, Status.ACCEPTED, Status.MERGED)
Cell = tuple[str, str, str]  # gender, age band, profile


def call_of_event(event: Event) -> CallForProposals | None:
    return CallForProposals.objects.filter(event=event).prefetch_related("themes").first()


def proposals_accepted(*, call: CallForProposals) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(call=call, status=Status.ACCEPTED)
        .select_related("theme")
        .order_by("theme__position", "id")
    )


def proposal_list(*, call: CallForProposals, status: str | None = None) -> QuerySet[Proposal]:
    proposals = Proposal.objects.filter(call=call).select_related("theme")
    if status:
        proposals = proposals.filter(status=status)
    return proposals.prefetch_related("group_counts", "addressees")


def proposal_get_for_staff(*, user, proposal_id: int) -> Proposal | None:
    if not 0 < proposal_id < 2**63:
        return None
    return (
        scope_events(user, Proposal.objects.all(), prefix="call__event__")
        .select_related("call__event__programme", "theme")
        .filter(pk=proposal_id)
        .first()
    )


def endorsement_counts(*, call: CallForProposals) -> dict[int, int]:
    rows = (
        ProposalEndorsement.objects.filter(proposal__call=call)
        .values("proposal_id")
        .annotate(n=Sum(1))
    )
    return {row["proposal_id"]: row["n"] for row in rows}


# Figures ----------------------------------------------------------------------------------------


@dataclass
class ThemeFigures:
    key: str
    label: str
    proposals: int = 0
    people: dict[Cell, int] = field(default_factory=dict)

    @property
    def people_total(self) -> int:
        return sum(self.people.values())


@dataclass
class ProposalFigures:
    """Distinct people who proposed and who endorsed, each as counts per (gender, age band,
    profile) cell, and proposals and proposers per theme."""

    proposing: dict[Cell, int] = field(default_factory=dict)
    endorsing: dict[Cell, int] = field(default_factory=dict)
    proposals: int = 0
    group_proposals: int = 0
    endorsements: int = 0
    themes: list[ThemeFigures] = field(default_factory=list)

    @property
    def people_proposing(self) -> int:
        return sum(self.proposing.values())

    @property
    def people_endorsing(self) -> int:
        return sum(self.endorsing.values())


def _scope_q(prefix: str, *, programme=None, event=None) -> Q:
    if event is not None:
        return Q(**{f"{prefix}call__event": event})
    return Q(**{f"{prefix}call__event__programme": programme})


def _person(row: dict) -> tuple:
    if row["person"]:
        return ("participant", row["person"])
    if row["ticket_id"]:
        return ("ticket", row["ticket_id"])
    return ("row", row["id"])  # the ticket is gone: still one person, never merged with another


def _distinct_people(rows, counts: dict[Cell, int], seen: set) -> None:
    for row in rows:
        person = _person(row)
        if person in seen:
            continue
        seen.add(person)
        cell = (row["gender"], row["age_band"], row["profile"])
        counts[cell] = counts.get(cell, 0) + 1


def _add(counts: dict[Cell, int], cell: Cell, n: int) -> None:
    counts[cell] = counts.get(cell, 0) + n


PERSON_COLUMNS = ("id", "person", "ticket_id", "gender", "age_band", "profile")


def proposal_figures(*, programme=None, event=None) -> ProposalFigures:
    """The proposal figures of a programme (every call of its events) or of one event. Three
    queries."""
    if (programme is None) == (event is None):
        raise ValueError("Give a programme or an event.")
    person = Coalesce(F("participant__merged_into_id"), F("participant_id"))
    proposals = list(
        Proposal.objects.filter(_scope_q("", programme=programme, event=event), status__in=COUNTED)
        .annotate(person=person, theme_key=F("theme__name_fr"))
        .values(
            *PERSON_COLUMNS, "source", "status", "theme_key", "theme__name_ar", "theme__name_en"
        )
        .order_by("created_at", "id")
    )
    groups = (
        GroupCount.objects.filter(
            _scope_q("proposal__", programme=programme, event=event),
            proposal__status__in=COUNTED,
        )
        .values("gender", "age_band", "profile", theme_key=F("proposal__theme__name_fr"))
        .annotate(n=Sum("count"))
        .order_by()
    )
    endorsements = (
        ProposalEndorsement.objects.filter(_scope_q("proposal__", programme=programme, event=event))
        .annotate(person=person)
        .values(*PERSON_COLUMNS)
        .order_by("created_at", "id")
    )
    figures = ProposalFigures()
    language = (translation.get_language() or "fr")[:2]
    themes: dict[str, ThemeFigures] = {}
    theme_seen: dict[str, set] = {}
    individual = []
    for row in proposals:
        key = row["theme_key"]
        if key not in themes:
            label = row.get(f"theme__name_{language}") if language in ("ar", "en") else ""
            themes[key] = ThemeFigures(key=key, label=label or key)
            theme_seen[key] = set()
        if row["status"] != Status.MERGED:  # a merged idea lives on in its target
            themes[key].proposals += 1
            figures.proposals += 1
        if row["source"] == Proposal.Source.GROUP:
            figures.group_proposals += row["status"] != Status.MERGED
            continue
        individual.append(row)
        _distinct_people([row], themes[key].people, theme_seen[key])
    _distinct_people(individual, figures.proposing, set())
    for row in groups:
        cell = (row["gender"], row["age_band"], row["profile"])
        _add(figures.proposing, cell, row["n"])
        _add(themes[row["theme_key"]].people, cell, row["n"])
    endorsement_rows = list(endorsements)
    figures.endorsements = len(endorsement_rows)
    _distinct_people(endorsement_rows, figures.endorsing, set())
    figures.themes = sorted(themes.values(), key=lambda theme: (-theme.proposals, theme.label))
    return figures


def endorsed_by(*, person, call: CallForProposals) -> set[int]:
    """The proposals of the call this person already supports."""
    endorsements = ProposalEndorsement.objects.filter(proposal__call=call)
    if person.participant is not None:
        endorsements = endorsements.filter(participant=person.participant)
    else:
        endorsements = endorsements.filter(participant__isnull=True, ticket=person.ticket)
    return set(endorsements.values_list("proposal_id", flat=True))


# Addressed to partner organisations ---------------------------------------------------------------
# Forums keeps the organisations' answers; it reads what was put to whom from here.


def proposal_network(*, event: Event) -> QuerySet[Organization]:
    """The organisations an accepted proposal of this event may be addressed to: the partners
    of its programme and the event's co-organisers. Donors fund; they are not asked to answer."""
    return (
        Organization.objects.filter(
            Q(partner_programmes=event.programme_id) | Q(co_organized_events=event.pk)
        )
        .exclude(kind=Organization.Kind.DONOR)
        .distinct()
        .order_by("name")
    )


def _addressees_prefetch() -> Prefetch:
    return Prefetch(
        "addressees",
        queryset=ProposalAddressee.objects.select_related("organization").order_by(
            "organization__name", "pk"
        ),
    )


def proposals_addressed(*, events) -> QuerySet[Proposal]:
    """Accepted proposals of these events' calls put to at least one organisation, with their
    addressees (organisation and when it was asked) prefetched: two queries."""
    addressed = ProposalAddressee.objects.filter(proposal=OuterRef("pk"))
    return (
        Proposal.objects.filter(Exists(addressed), call__event__in=events, status=Status.ACCEPTED)
        .select_related("call__event", "theme")
        .prefetch_related(_addressees_prefetch())
        .order_by("call__event__start_date", "call__event_id", "theme__position", "id")
    )


@dataclass(frozen=True)
class AddresseePair:
    """One answer awaited: an accepted proposal, an organisation, since when."""

    proposal_id: int
    organization_id: int
    organization_kind: str
    addressed_at: datetime.datetime
    event_id: int


def addressee_pairs(*, events) -> list[AddresseePair]:
    """Every (accepted proposal, organisation) pair of these events' calls, in one query."""
    rows = ProposalAddressee.objects.filter(
        proposal__call__event__in=events, proposal__status=Status.ACCEPTED
    ).values_list(
        "proposal_id",
        "organization_id",
        "organization__kind",
        "addressed_at",
        "proposal__call__event_id",
    )
    return [AddresseePair(*row) for row in rows.order_by("addressed_at", "pk")]


def events_with_addressed_proposals() -> QuerySet[Event]:
    """Events whose accepted proposals were put to at least one organisation."""
    return Event.objects.filter(
        Exists(
            ProposalAddressee.objects.filter(
                proposal__call__event=OuterRef("pk"), proposal__status=Status.ACCEPTED
            )
        )
    )


def partner_addressed_proposals(*, organization: Organization) -> QuerySet[Proposal]:
    """What this organisation is asked to answer among participants' proposals: the accepted
    ones addressed to it."""
    return (
        Proposal.objects.filter(
            Exists(
                ProposalAddressee.objects.filter(proposal=OuterRef("pk"), organization=organization)
            ),
            status=Status.ACCEPTED,
        )
        .select_related("call__event", "theme")
        .order_by("-call__event__start_date", "theme__position", "id")
    )


def partner_proposal_get(*, organization: Organization, proposal_id: int) -> Proposal | None:
    if not 0 < proposal_id < 2**63:
        return None
    return partner_addressed_proposals(organization=organization).filter(pk=proposal_id).first()


# Figures per event and per month -----------------------------------------------------------

PROPOSAL_LEVELS = ("event", "month")


@dataclass
class _Group:
    figures: ProposalFigures = field(default_factory=ProposalFigures)
    themes: dict = field(default_factory=dict)
    theme_seen: dict = field(default_factory=dict)
    individual: list = field(default_factory=list)


def _figures_by(column: str, proposals, counts, endorsements, language: str) -> dict:
    groups: dict = {}
    for row in proposals:
        group = groups.setdefault(row[column], _Group())
        key = row["theme_key"]
        if key not in group.themes:
            label = row.get(f"theme__name_{language}") if language in ("ar", "en") else ""
            group.themes[key] = ThemeFigures(key=key, label=label or key)
            group.theme_seen[key] = set()
        if row["status"] != Status.MERGED:  # a merged idea lives on in its target
            group.themes[key].proposals += 1
            group.figures.proposals += 1
        if row["source"] == Proposal.Source.GROUP:
            group.figures.group_proposals += row["status"] != Status.MERGED
            continue
        group.individual.append(row)
        _distinct_people([row], group.themes[key].people, group.theme_seen[key])
    for group in groups.values():
        _distinct_people(group.individual, group.figures.proposing, set())
    for row in counts:
        group = groups[row[column]]  # a group count's proposal is in the rows above
        cell = (row["gender"], row["age_band"], row["profile"])
        _add(group.figures.proposing, cell, row["n"])
        _add(group.themes[row["theme_key"]].people, cell, row["n"])
    by_key: dict = {}
    for row in endorsements:
        by_key.setdefault(row[column], []).append(row)
    for key, rows in by_key.items():
        figures = groups.setdefault(key, _Group()).figures
        figures.endorsements = len(rows)
        _distinct_people(rows, figures.endorsing, set())
    for group in groups.values():
        group.figures.themes = sorted(
            group.themes.values(), key=lambda theme: (-theme.proposals, theme.label)
        )
    return {key: group.figures for key, group in groups.items()}


def proposal_figures_grouped(*, programme=None, event=None) -> dict[str, dict]:
    """Level ("event", "month") -> group key (an event id, the first day of a month) -> its
    ProposalFigures: the figures above per event (whose call the proposal answers) and per month
    (when the proposal was made, the endorsement given; server time zone), each group counting
    its distinct people (a person who proposed in two months counts in each). Three queries for
    both levels. Each event's group is `proposal_figures(event=…)`, which the reporting
    ground-truth tests hold."""
    scope = {"programme": programme, "event": event}
    person = Coalesce(F("participant__merged_into_id"), F("participant_id"))
    proposals = list(
        Proposal.objects.filter(_scope_q("", **scope), status__in=COUNTED)
        .annotate(
            person=person,
            theme_key=F("theme__name_fr"),
            g_event=F("call__event_id"),
            g_month=TruncMonth("created_at", output_field=DateField()),
        )
        .values(
            *PERSON_COLUMNS,
            "g_event",
            "g_month",
            "source",
            "status",
            "theme_key",
            "theme__name_ar",
            "theme__name_en",
        )
        .order_by("created_at", "id")
    )
    counts = list(
        GroupCount.objects.filter(_scope_q("proposal__", **scope), proposal__status__in=COUNTED)
        .values(
            "gender",
            "age_band",
            "profile",
            theme_key=F("proposal__theme__name_fr"),
            g_event=F("proposal__call__event_id"),
            g_month=TruncMonth("proposal__created_at", output_field=DateField()),
        )
        .annotate(n=Sum("count"))
        .order_by()
    )
    endorsements = list(
        ProposalEndorsement.objects.filter(_scope_q("proposal__", **scope))
        .annotate(
            person=person,
            g_event=F("proposal__call__event_id"),
            g_month=TruncMonth("created_at", output_field=DateField()),
        )
        .values(*PERSON_COLUMNS, "g_event", "g_month")
        .order_by("created_at", "id")
    )
    language = (translation.get_language() or "fr")[:2]
    return {
        level: _figures_by(f"g_{level}", proposals, counts, endorsements, language)
        for level in PROPOSAL_LEVELS
    }
