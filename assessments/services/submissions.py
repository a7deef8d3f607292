"""Recording one person's answers to one check, from the phone, the facilitator or paper.

Guarantees: the whole submission is stored or nothing is (one transaction); the same person
(ticket, or participant card) answers a check once — a unique constraint, so two phones at the
same moment cannot both pass; and a submission replayed with the same client id (an offline
queue sending again after a lost answer) returns the first one as `replayed`, never a copy.

Who answered: a ticket's short code (the person's ticket of this event) or a participant card's
short code (the holder, and their ticket of this event when they have one), or nobody (anonymous,
with the gender, age band and profile the person gives). Codes are looked up only inside the
check's organisation; a ticket of another event gets its own message."""

import re
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.demographics import AgeBand, Gender, Profile
from core.errors import ApplicationError
from events.codes import normalize_short_code
from events.models import Ticket
from participants.models import ParticipantCard, ParticipantLink

from ..models import Answer, Channel, CheckAssignment, Choice, Submission
from .question_sets import question_set_problems


@dataclass(frozen=True)
class Person:
    ticket_id: int | None
    participant_id: int | None
    gender: str
    age_band: str
    profile: str


@dataclass(frozen=True)
class Recorded:
    submission: Submission
    replayed: bool


def _canonical(participant) -> int:
    return participant.merged_into_id or participant.pk


# What a scanned QR code holds: a ticket's or card's secret, or its page's address.
_SCANNED = re.compile(r"^(?:.*/(?:tickets|cards)/)?([A-Za-z0-9_-]{20,64})/?$")


def _lookup(code: str) -> dict | None:
    """The field and value that `code` (typed short code, or scanned QR text) names."""
    text = (code or "").strip()
    if short := normalize_short_code(text):
        return {"short_code": short}
    if match := _SCANNED.match(text):
        return {"secret": match.group(1)}
    return None


def person_from_code(*, assignment: CheckAssignment, code: str) -> Person:
    """The person a typed short code or a scanned ticket or card QR names, for this event."""
    lookup = _lookup(code)
    if lookup is None:
        raise ApplicationError(
            _("This is not a ticket or card code (8 letters and digits, like K7P2-9QXM)."),
            code="bad_code",
        )
    ticket = (
        Ticket.objects.filter(**lookup)
        .select_related("attendee", "attendee__participant_link__participant", "event")
        .first()
    )
    if ticket is not None:
        if ticket.event_id != assignment.event_id:
            raise ApplicationError(
                _("This ticket is for another event, not for this one."), code="other_event"
            )
        if ticket.status != Ticket.Status.VALID:
            raise ApplicationError(_("This ticket is not valid."), code="ticket_not_valid")
        attendee = ticket.attendee
        link = getattr(attendee, "participant_link", None)
        return Person(
            ticket_id=ticket.pk,
            participant_id=_canonical(link.participant) if link else None,
            gender=attendee.gender,
            age_band=attendee.age_band,
            profile=attendee.profile,
        )
    card = (
        ParticipantCard.objects.filter(
            **lookup,
            status=ParticipantCard.Status.ACTIVE,
            participant__organization_id=assignment.event.organizer_id,
        )
        .select_related("participant")
        .first()
    )
    if card is None:
        raise ApplicationError(
            _("No ticket or participant card has this code."), code="unknown_code", status=404
        )
    participant_id = _canonical(card.participant)
    held = (
        ParticipantLink.objects.filter(
            Q(participant_id=participant_id) | Q(participant__merged_into_id=participant_id),
            attendee__ticket__event_id=assignment.event_id,
            attendee__ticket__status=Ticket.Status.VALID,
        )
        .values_list("attendee__ticket", flat=True)
        .order_by("attendee__ticket")
        .first()
    )
    participant = card.participant
    return Person(
        ticket_id=held,
        participant_id=participant_id,
        gender=participant.gender,
        age_band=participant.age_band,
        profile=participant.profile,
    )


def person_anonymous(*, gender: str, age_band: str, profile: str) -> Person:
    errors = {}
    for field, value, choices in (
        ("gender", gender, Gender),
        ("age_band", age_band, AgeBand),
        ("profile", profile, Profile),
    ):
        if value not in choices.values:
            errors[field] = [_("Choose one of the answers offered.")]
    if errors:
        raise ApplicationError(
            _("Say your gender, age band and profile, or give your ticket code."),
            code="demographics_missing",
            field_errors=errors,
        )
    return Person(None, None, gender, age_band, profile)


def _scored(assignment: CheckAssignment, answers: dict[int, int]):
    """(answer rows, correct count, question count) after checking every answer belongs."""
    question_set = assignment.question_set
    choices = {
        choice.pk: choice
        for choice in Choice.objects.filter(question__question_set=question_set).only(
            "pk", "question_id", "is_correct"
        )
    }
    question_ids = {choice.question_id for choice in choices.values()}
    unknown = sorted(set(answers) - question_ids)
    if unknown:
        raise ApplicationError(
            _("Question %(id)s is not part of this check.") % {"id": unknown[0]},
            code="unknown_question",
        )
    for question_id, choice_id in answers.items():
        choice = choices.get(choice_id)
        if choice is None or choice.question_id != question_id:
            raise ApplicationError(
                _("Answer %(choice)s is not an answer to question %(question)s.")
                % {"choice": choice_id, "question": question_id},
                code="unknown_choice",
            )
    if len(answers) != len(question_ids):
        raise ApplicationError(_("Answer every question before sending."), code="answers_missing")
    rows = [
        Answer(
            question_id=question_id, choice_id=choice_id, is_correct=choices[choice_id].is_correct
        )
        for question_id, choice_id in answers.items()
    ]
    return rows, sum(row.is_correct for row in rows), len(question_ids)


def _replay(client_id, assignment) -> Recorded | None:
    existing = Submission.objects.filter(client_id=client_id).first()
    if existing is None:
        return None
    if existing.assignment_id != assignment.pk:
        raise ApplicationError(
            _("This submission id was already used for another check."), code="client_id_reused"
        )
    return Recorded(existing, replayed=True)


def _duplicate() -> ApplicationError:
    return ApplicationError(
        _("This person has already answered this check: the first answers are kept."),
        code="duplicate",
        status=409,
    )


def submission_record(
    *,
    assignment: CheckAssignment,
    person: Person,
    answers: dict[int, int],
    client_id: uuid.UUID | None = None,
    channel: str = Channel.PHONE,
) -> Recorded:
    """Store one person's answers (question id -> choice id) to `assignment`, scored."""
    client_id = client_id or uuid.uuid4()
    if (replayed := _replay(client_id, assignment)) is not None:
        return replayed
    if not assignment.is_open:
        raise ApplicationError(
            _("This check is closed: answers are no longer taken."), code="check_closed", status=409
        )
    if question_set_problems(assignment.question_set):
        raise ApplicationError(
            _("This check is not ready: its questions are incomplete."),
            code="check_not_ready",
            status=409,
        )
    rows, correct, total = _scored(assignment, answers)
    same_person = Q()
    if person.ticket_id:
        same_person |= Q(ticket_id=person.ticket_id)
    if person.participant_id:
        same_person |= Q(participant_id=person.participant_id)
    if same_person and assignment.submissions.filter(same_person).exists():
        raise _duplicate()
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                assignment=assignment,
                question_set_id=assignment.question_set_id,
                client_id=client_id,
                ticket_id=person.ticket_id,
                participant_id=person.participant_id,
                gender=person.gender,
                age_band=person.age_band,
                profile=person.profile,
                channel=channel,
                correct=correct,
                questions=total,
                passed=correct * 100 >= assignment.question_set.pass_mark * total,
            )
            for row in rows:
                row.submission = submission
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        # Another request stored this person's answers (or this very submission) first.
        if (replayed := _replay(client_id, assignment)) is not None:
            return replayed
        raise _duplicate() from None
    return Recorded(submission, replayed=False)
