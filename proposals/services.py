"""Writes for proposals: the call and its themes, submitting (by code, at a facilitated table, as
a group), moderation (accept, reject with a reason, merge) and endorsements. Keyword-only
functions that validate, write in a transaction and raise ApplicationError.

Exactly once: a person endorses a proposal once, held by the database (one endorsement per
participant, or per ticket for someone not known as a participant); two taps at the same moment
end in one row, the second answering "already". Moderation and merging lock the proposals they
change, in id order."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.demographics import AgeBand, Gender, Profile
from core.errors import ApplicationError
from core.services import audit_record, merge_pair_locked
from events.models import Event, EventStatus

from .codes import CodePerson, person_from_code
from .models import CallForProposals, CallTheme, GroupCount, Proposal, ProposalEndorsement

Status = Proposal.Status
Source = Proposal.Source
MAX_GROUP_SIZE = 500
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def call_open(*, event: Event, user=None, themes: list[dict] | None = None) -> CallForProposals:
    """Open (or reopen) the event's call; `themes` ({"name_fr", "name_ar", "name_en"}) are added
    when not there yet."""
    if event.status == EventStatus.CANCELLED:
        raise ApplicationError(_("This event was cancelled."), code="event_cancelled", status=409)
    with transaction.atomic():
        call, _created = CallForProposals.objects.select_for_update().get_or_create(event=event)
        call.is_open = True
        call.save(update_fields=["is_open"])
        for position, names in enumerate(themes or [], start=call.themes.count()):
            name_fr = (names.get("name_fr") or "").strip()
            if not name_fr:
                raise ApplicationError(
                    _("A theme needs its French name."),
                    field_errors={"themes": [_("A theme needs its French name.")]},
                )
            CallTheme.objects.get_or_create(
                call=call,
                name_fr=name_fr,
                defaults={
                    "name_ar": (names.get("name_ar") or "").strip(),
                    "name_en": (names.get("name_en") or "").strip(),
                    "position": position,
                },
            )
        audit_record(actor=user, action="proposals.call_opened", target=call)
    return call


@transaction.atomic
def call_close(*, call: CallForProposals, user=None) -> CallForProposals:
    call = CallForProposals.objects.select_for_update().get(pk=call.pk)
    if call.is_open:
        call.is_open = False
        call.save(update_fields=["is_open"])
        audit_record(actor=user, action="proposals.call_closed", target=call)
    return call


def _require_open(call: CallForProposals) -> None:
    if not call.is_open or call.event.status in (EventStatus.CLOSED, EventStatus.CANCELLED):
        raise ApplicationError(
            _("This call for proposals is closed."), code="call_closed", status=409
        )


def _theme(call: CallForProposals, theme) -> CallTheme:
    theme_id = getattr(theme, "pk", theme)
    found = CallTheme.objects.filter(pk=theme_id, call=call).first() if theme_id else None
    if found is None:
        raise ApplicationError(
            _("Choose one of this call's themes."),
            field_errors={"theme": [_("Choose one of this call's themes.")]},
        )
    return found


def _validate_photo(photo) -> None:
    if photo and photo.size > PHOTO_MAX_BYTES:
        raise ApplicationError(
            _("The photo is too large (5 MB at most)."),
            field_errors={"photo": [_("The photo is too large (5 MB at most).")]},
        )


def _save(proposal: Proposal) -> Proposal:
    if not proposal.proposer_agreed_to_be_named:
        proposal.proposer_name = ""  # nobody is named by accident
    proposal.proposer_name = (proposal.proposer_name or "").strip()
    proposal.title = (proposal.title or "").strip()
    proposal.text = (proposal.text or "").strip()
    try:
        proposal.full_clean(exclude=["call", "theme", "ticket", "participant", "merged_into"])
    except ValidationError as exc:
        raise ApplicationError(
            _("Please correct the proposal."),
            field_errors={k: [str(m) for m in v] for k, v in exc.message_dict.items()},
        ) from exc
    proposal.save()
    return proposal


def _refuse_duplicate(call: CallForProposals, person: CodePerson, title: str, text: str) -> None:
    """The same person sending the same idea twice (a double tap, a resent form)."""
    same = Proposal.objects.filter(call=call, title=title.strip(), text=text.strip())
    if person.participant is not None:
        same = same.filter(participant=person.participant)
    else:
        same = same.filter(ticket=person.ticket)
    if same.exists():
        raise ApplicationError(
            _("You already sent this proposal. Thank you!"), code="duplicate_proposal", status=409
        )


@transaction.atomic
def proposal_submit(
    *,
    call: CallForProposals,
    code: str,
    theme,
    title: str,
    text: str,
    language: str,
    photo=None,
    proposer_name: str = "",
    proposer_agreed_to_be_named: bool = False,
    entered_by=None,
) -> Proposal:
    """An individual's proposal, through their code: by themselves on their phone, or typed in
    for them at a facilitated table (`entered_by` the volunteer's user). Waits for moderation."""
    call = CallForProposals.objects.select_related("event").get(pk=call.pk)
    _require_open(call)
    person = person_from_code(event=call.event, code=code)
    # One person's submissions are serialised, so the duplicate check below holds.
    if person.participant is not None:
        type(person.participant).objects.select_for_update().filter(
            pk=person.participant.pk
        ).first()
    elif person.ticket is not None:
        type(person.ticket).objects.select_for_update().filter(pk=person.ticket.pk).first()
    _refuse_duplicate(call, person, title or "", text or "")
    _validate_photo(photo)
    proposal = Proposal(
        call=call,
        theme=_theme(call, theme),
        title=title,
        text=text,
        language=language,
        photo=photo or "",
        source=Source.TABLE if entered_by is not None else Source.CODE,
        ticket=person.ticket,
        participant=person.participant,
        gender=person.gender,
        age_band=person.age_band,
        profile=person.profile or Profile.UNDISCLOSED,
        proposer_name=proposer_name,
        proposer_agreed_to_be_named=proposer_agreed_to_be_named,
        entered_by=entered_by,
    )
    return _save(proposal)


def _group_counts(counts: list[dict]) -> dict[tuple, int]:
    cells: dict[tuple, int] = {}
    for row in counts:
        key = (row.get("gender"), row.get("age_band"), row.get("profile") or Profile.UNDISCLOSED)
        if (
            key[0] not in Gender.values
            or key[1] not in AgeBand.values
            or key[2] not in (Profile.values)
        ):
            raise ApplicationError(
                _("Each group line needs a gender and an age band from the lists."),
                field_errors={"counts": [_("Unknown gender, age band or profile.")]},
            )
        count = row.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ApplicationError(
                _("A number of people is a whole number, zero or more."),
                field_errors={"counts": [_("Not a whole number.")]},
            )
        if count:
            cells[key] = cells.get(key, 0) + count
    total = sum(cells.values())
    if total == 0:
        raise ApplicationError(
            _("Say how many people made this proposal."),
            field_errors={"counts": [_("At least one person.")]},
        )
    if total > MAX_GROUP_SIZE:
        raise ApplicationError(
            _("A group has at most %(max)d people.") % {"max": MAX_GROUP_SIZE},
            field_errors={"counts": [_("Too many people.")]},
        )
    return cells


@transaction.atomic
def proposal_group_enter(
    *,
    call: CallForProposals,
    theme,
    title: str,
    text: str,
    language: str,
    counts: list[dict],
    entered_by,
    photo=None,
) -> Proposal:
    """A proposal made by a group, entered by its facilitator with how many people of each
    gender and age band (and profile, when known) made it. Names nobody."""
    call = CallForProposals.objects.select_related("event").get(pk=call.pk)
    _require_open(call)
    cells = _group_counts(counts)
    _validate_photo(photo)
    proposal = _save(
        Proposal(
            call=call,
            theme=_theme(call, theme),
            title=title,
            text=text,
            language=language,
            photo=photo or "",
            source=Source.GROUP,
            entered_by=entered_by,
        )
    )
    GroupCount.objects.bulk_create(
        GroupCount(proposal=proposal, gender=g, age_band=a, profile=p, count=n)
        for (g, a, p), n in cells.items()
    )
    return proposal


# Moderation -------------------------------------------------------------------------------------


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _refuse_merged(proposal: Proposal) -> None:
    if proposal.status == Status.MERGED:
        raise ApplicationError(
            _("This proposal was merged into another one."), code="proposal_merged", status=409
        )


@transaction.atomic
def proposal_accept(*, proposal: Proposal, user=None) -> Proposal:
    proposal = _locked(proposal)
    _refuse_merged(proposal)
    if proposal.status != Status.ACCEPTED:
        # The reason of an earlier rejection stays in the audit trail.
        proposal.status, proposal.rejection_reason = Status.ACCEPTED, ""
        proposal.decided_at, proposal.decided_by = timezone.now(), user
        proposal.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by"])
        audit_record(actor=user, action="proposals.proposal_accepted", target=proposal)
    return proposal


@transaction.atomic
def proposal_reject(*, proposal: Proposal, reason: str, user=None) -> Proposal:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("Say why the proposal is not accepted."),
            field_errors={"reason": [_("This field is required.")]},
        )
    proposal = _locked(proposal)
    _refuse_merged(proposal)
    if proposal.endorsements.exists():
        raise ApplicationError(
            _("Participants already endorsed this proposal; merge it instead of rejecting it."),
            code="proposal_endorsed",
            status=409,
        )
    proposal.status, proposal.rejection_reason = Status.REJECTED, reason[:2000]
    proposal.decided_at, proposal.decided_by = timezone.now(), user
    proposal.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by"])
    audit_record(
        actor=user,
        action="proposals.proposal_rejected",
        target=proposal,
        detail={"reason": proposal.rejection_reason},
    )
    return proposal


@transaction.atomic
def proposal_merge(*, proposal: Proposal, into: Proposal, user=None) -> Proposal:
    """Fold a duplicate idea into another proposal of the same call. Its endorsements move to the
    target, except those of people who already endorsed the target (a person counts once). Its
    proposer still counts as a person who proposed."""
    source, target = merge_pair_locked(
        proposal, into, into_itself=_("A proposal cannot be merged into itself.")
    )
    if source.call_id != target.call_id:
        raise ApplicationError(
            _("Only proposals of the same call can be merged."), code="merge_other_call"
        )
    _refuse_merged(source)
    if target.status in (Status.MERGED, Status.REJECTED):
        raise ApplicationError(
            _("Merge into a waiting or accepted proposal."), code="merge_target_closed", status=409
        )
    target_people = target.endorsements.values_list("participant_id", "ticket_id")
    participants = {p for p, _t in target_people if p}
    tickets = {t for p, t in target_people if not p and t}
    source.endorsements.filter(participant_id__in=participants).delete()
    source.endorsements.filter(participant__isnull=True, ticket_id__in=tickets).delete()
    moved = source.endorsements.update(proposal=target)
    if target.status == Status.ACCEPTED:  # only accepted proposals are put to partners
        kept = target.addressees.values_list("organization_id", flat=True)
        source.addressees.exclude(organization_id__in=list(kept)).update(proposal=target)
    Proposal.objects.filter(merged_into=source).update(merged_into=target)
    source.status, source.merged_into, source.rejection_reason = Status.MERGED, target, ""
    source.decided_at, source.decided_by = timezone.now(), user
    source.save(
        update_fields=["status", "merged_into", "rejection_reason", "decided_at", "decided_by"]
    )
    audit_record(
        actor=user,
        action="proposals.proposal_merged",
        target=source,
        detail={"into": target.pk, "endorsements_moved": moved},
    )
    return target


# Endorsements -----------------------------------------------------------------------------------


def proposal_endorse(*, proposal: Proposal, code: str) -> tuple[ProposalEndorsement, bool]:
    """A person's support for an accepted proposal, through their code. Returns (endorsement,
    created); the same person again gets their first endorsement back, created False."""
    proposal = Proposal.objects.select_related("call__event").get(pk=proposal.pk)
    person = person_from_code(event=proposal.call.event, code=code)
    return endorsement_add(proposal=proposal, person=person)


def endorsement_add(*, proposal: Proposal, person: CodePerson) -> tuple[ProposalEndorsement, bool]:
    if proposal.status != Status.ACCEPTED:
        raise ApplicationError(
            _("Only accepted proposals can be endorsed."), code="not_accepted", status=409
        )
    if proposal.call.event.status in (EventStatus.CLOSED, EventStatus.CANCELLED):
        raise ApplicationError(
            _("This call for proposals is closed."), code="call_closed", status=409
        )
    if person.participant is not None:
        same = {"participant": person.participant}
    else:
        same = {"participant": None, "ticket": person.ticket}
    try:
        with transaction.atomic():
            endorsement = ProposalEndorsement.objects.create(
                proposal=proposal,
                ticket=person.ticket,
                participant=person.participant,
                gender=person.gender,
                age_band=person.age_band,
                profile=person.profile or Profile.UNDISCLOSED,
            )
            return endorsement, True
    except IntegrityError:
        # The unique constraints decide between concurrent taps.
        existing = ProposalEndorsement.objects.filter(proposal=proposal, **same).first()
        if existing is None:  # pragma: no cover - an integrity error of another kind
            raise
        return existing, False


def proposals_forget(*, registration_ids: list[int]) -> int:
    """At the retention purge of these registrations: the names their people chose to show and
    the photos they sent go; the ideas, their themes and the counted demographics stay (the
    figures are the same after the purge). Photo files are deleted once the purge commits."""
    proposals = Proposal.objects.filter(ticket__attendee__registration_id__in=registration_ids)
    photos = list(proposals.exclude(photo="").values_list("photo", flat=True))
    changed = proposals.filter(~Q(photo="") | ~Q(proposer_name="")).update(
        photo="", proposer_name="", proposer_agreed_to_be_named=False
    )
    if photos:
        storage = Proposal._meta.get_field("photo").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in photos])
    return changed
