"""Writes for forums: recommendations and their lifecycle, endorsements, rapporteurs, summaries.
Keyword-only functions that validate, write in a transaction and raise ApplicationError."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.models import Language, Membership, Organization
from core.services import apply_fields, audit_record, fields_check, merge_pair_locked
from events.codes import normalize_short_code
from events.models import Event, EventKind, EventStatus, Ticket

from .models import (
    Endorsement,
    Priority,
    RapporteurAssignment,
    Recommendation,
    Theme,
    Workshop,
)

# The fields a recommendation's author or organizer writes, in the order the API shows them.
RECOMMENDATION_FIELDS = (
    "theme",
    "text",
    "language",
    "text_fr",
    "text_ar",
    "text_en",
    "priority",
    "proposed_by_workshop",
    "proposer_name",
    "proposer_agreed_to_be_named",
)
Status = Recommendation.Status


def _require_forum(event: Event) -> None:
    if event.kind != EventKind.FORUM:
        raise ApplicationError(_("This event is not a forum."), code="not_a_forum", status=409)


def _require_editable(recommendation: Recommendation) -> None:
    if recommendation.status == Status.MERGED:
        raise ApplicationError(
            _("This recommendation was merged into another one; edit that one instead."),
            code="recommendation_merged",
            status=409,
        )


def _validate_belongs(event: Event, fields: dict) -> None:
    theme, workshop = fields.get("theme"), fields.get("proposed_by_workshop")
    if theme is not None and theme.event_id != event.pk:
        raise ApplicationError(
            _("This theme belongs to another forum."), field_errors={"theme": [_("Wrong forum.")]}
        )
    if workshop is not None and workshop.event_id != event.pk:
        raise ApplicationError(
            _("This workshop belongs to another forum."),
            field_errors={"proposed_by_workshop": [_("Wrong forum.")]},
        )


def _save(recommendation: Recommendation, addressed_to) -> Recommendation:
    # Nobody is named by accident: a name without consent is dropped, not stored.
    if not recommendation.proposer_agreed_to_be_named:
        recommendation.proposer_name = ""
    recommendation.proposer_name = recommendation.proposer_name.strip()
    recommendation.text = (recommendation.text or "").strip()
    try:
        recommendation.full_clean(exclude=["event"])
    except ValidationError as exc:
        raise ApplicationError(
            _("Please correct the recommendation."),
            field_errors={k: [str(m) for m in v] for k, v in exc.message_dict.items()},
        ) from exc
    recommendation.save()
    if addressed_to is not None:
        recommendation.addressed_to.set(addressed_to)
    return recommendation


@transaction.atomic
def recommendation_create(
    *, event: Event, user=None, addressed_to: list[Organization] | None = None, **fields
) -> Recommendation:
    _require_forum(event)
    if event.status in (EventStatus.CLOSED, EventStatus.CANCELLED):
        raise ApplicationError(
            _("This forum is over; recommendations can no longer be added."),
            code="forum_closed",
            status=409,
        )
    fields_check(fields, RECOMMENDATION_FIELDS)
    _validate_belongs(event, fields)
    fields.setdefault("priority", Priority.MEDIUM)
    recommendation = Recommendation(event=event, created_by=user, **fields)
    return _save(recommendation, addressed_to or [])


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    data: dict,
    addressed_to: list[Organization] | None = None,
) -> Recommendation:
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    _require_editable(recommendation)
    fields_check(data, RECOMMENDATION_FIELDS)
    _validate_belongs(recommendation.event, data)
    apply_fields(recommendation, data, RECOMMENDATION_FIELDS)
    return _save(recommendation, addressed_to)


def _decide(recommendation: Recommendation, status: str, user, allowed_from: set) -> Recommendation:
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status == status:
        return recommendation
    if recommendation.status not in allowed_from:
        raise ApplicationError(
            _("A recommendation cannot go from %(old)s to %(new)s.")
            % {"old": recommendation.get_status_display(), "new": Status(status).label},
            code="invalid_transition",
            status=409,
        )
    recommendation.status = status
    recommendation.decided_at = timezone.now()
    recommendation.save(update_fields=["status", "decided_at", "updated_at"])
    audit_record(actor=user, action=f"forums.recommendation_{status}", target=recommendation)
    return recommendation


@transaction.atomic
def recommendation_adopt(*, recommendation: Recommendation, user=None) -> Recommendation:
    return _decide(recommendation, Status.ADOPTED, user, {Status.DRAFT, Status.REJECTED})


@transaction.atomic
def recommendation_reject(*, recommendation: Recommendation, user=None) -> Recommendation:
    if recommendation.endorsements.exists():
        raise ApplicationError(
            _(
                "Participants already endorsed this recommendation; merge it instead of rejecting it."
            ),
            code="recommendation_endorsed",
            status=409,
        )
    return _decide(recommendation, Status.REJECTED, user, {Status.DRAFT, Status.ADOPTED})


@transaction.atomic
def recommendation_merge(
    *, recommendation: Recommendation, into: Recommendation, user=None
) -> Recommendation:
    """Fold a duplicate into another recommendation of the same forum. Its endorsements move to
    the target, except those of tickets that already endorsed the target (a person counts once)."""
    source, target = merge_pair_locked(
        recommendation, into, into_itself=_("A recommendation cannot be merged into itself.")
    )
    if source.event_id != target.event_id:
        raise ApplicationError(
            _("Only recommendations of the same forum can be merged."), code="merge_other_forum"
        )
    if source.status == Status.MERGED:
        raise ApplicationError(
            _("This recommendation was already merged."), code="already_merged", status=409
        )
    if target.status in (Status.MERGED, Status.REJECTED):
        raise ApplicationError(
            _("Merge into a draft or adopted recommendation."),
            code="merge_target_closed",
            status=409,
        )
    already = set(target.endorsements.values_list("ticket_id", flat=True))
    source.endorsements.filter(ticket_id__in=already).delete()
    moved = source.endorsements.update(recommendation=target)
    # Sources merged into the source earlier now point at the final target.
    Recommendation.objects.filter(merged_into=source).update(merged_into=target)
    target.addressed_to.add(*source.addressed_to.all())
    source.status = Status.MERGED
    source.merged_into = target
    source.decided_at = timezone.now()
    source.save(update_fields=["status", "merged_into", "decided_at", "updated_at"])
    audit_record(
        actor=user,
        action="forums.recommendation_merged",
        target=source,
        detail={"into": target.pk, "endorsements_moved": moved},
    )
    return target


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, user=None) -> None:
    """Only a draft nobody endorsed and nothing was merged into may disappear."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status != Status.DRAFT or recommendation.merged_from.exists():
        raise ApplicationError(
            _("Only a draft recommendation can be deleted; reject it instead."),
            code="recommendation_not_draft",
            status=409,
        )
    audit_record(actor=user, action="forums.recommendation_deleted", target=recommendation)
    recommendation.delete()


# Endorsements -----------------------------------------------------------------------------------


def endorsement_ticket_find(*, event: Event, code: str) -> Ticket:
    """The valid ticket of this forum named by a typed short code or a scanned secret."""
    code = (code or "").strip()
    short_code = normalize_short_code(code)
    tickets = Ticket.objects.filter(event=event, status=Ticket.Status.VALID)
    ticket = None
    if short_code:
        ticket = tickets.filter(short_code=short_code).first()
    if ticket is None and code:
        ticket = tickets.filter(secret=code).first()
    if ticket is None:
        raise ApplicationError(
            _("We do not recognise this ticket code for this forum. Check it and try again."),
            code="unknown_ticket",
            status=404,
        )
    return ticket


def endorsement_add(*, recommendation: Recommendation, ticket: Ticket) -> tuple[Endorsement, bool]:
    """Record a ticket's support for an adopted recommendation. Returns (endorsement, created);
    a second endorsement by the same ticket is no error: the count simply does not change."""
    if ticket.event_id != recommendation.event_id or ticket.status != Ticket.Status.VALID:
        raise ApplicationError(
            _("This ticket is not valid for this forum."), code="ticket_not_for_forum", status=403
        )
    if recommendation.status != Status.ADOPTED:
        raise ApplicationError(
            _("Only adopted recommendations can be endorsed."), code="not_adopted", status=409
        )
    if recommendation.event.status != EventStatus.PUBLISHED:
        raise ApplicationError(
            _("Endorsements are only open during the forum."), code="forum_not_open", status=409
        )
    try:
        with transaction.atomic():
            return Endorsement.objects.create(recommendation=recommendation, ticket=ticket), True
    except IntegrityError:
        # The database's unique constraint decides between concurrent taps.
        existing = Endorsement.objects.filter(recommendation=recommendation, ticket=ticket).first()
        if existing is None:  # pragma: no cover - an integrity error of another kind
            raise
        return existing, False


# Rapporteurs ------------------------------------------------------------------------------------


@transaction.atomic
def rapporteur_assign(
    *, event: Event, user, workshop: Workshop | None = None, assigned_by=None
) -> RapporteurAssignment:
    _require_forum(event)
    if workshop is not None and workshop.event_id != event.pk:
        raise ApplicationError(_("This workshop belongs to another forum."), code="wrong_forum")
    Membership.objects.get_or_create(
        user=user, organization=event.organizer, role=Membership.Role.RAPPORTEUR
    )
    assignment, _created = RapporteurAssignment.objects.update_or_create(
        event=event, user=user, defaults={"workshop": workshop}
    )
    audit_record(actor=assigned_by, action="forums.rapporteur_assigned", target=assignment)
    return assignment


# Themes and workshops ---------------------------------------------------------------------------


def theme_create(
    *, event: Event, name_fr: str, name_ar: str = "", name_en: str = "", position: int = 0
) -> Theme:
    _require_forum(event)
    theme = Theme(event=event, name_fr=name_fr, name_ar=name_ar, name_en=name_en, position=position)
    theme.full_clean()
    theme.save()
    return theme


# Summaries --------------------------------------------------------------------------------------


@transaction.atomic
def summary_build(*, event: Event, new_version: bool = False, user=None, language: str = ""):
    """The forum's summary. Idempotent: when a version exists it is returned as it is, unless the
    organizer explicitly asks for a new version (new_version=True), which gets the next number."""
    from . import summary as summary_module
    from .models import ForumSummary

    _require_forum(event)
    # The event row lock serialises concurrent builds (a double close, a retried task).
    event = Event.objects.select_for_update().get(pk=event.pk)
    latest = event.forum_summaries.order_by("-number").first()
    if latest is not None and not new_version:
        return latest
    if event.status != EventStatus.CLOSED:
        raise ApplicationError(
            _("The summary is built when the forum is closed."),
            code="forum_not_closed",
            status=409,
        )
    language = language or (event.languages or [Language.FRENCH])[0]
    data = summary_module.summary_data_build(event)
    html = summary_module.summary_html_render(data, language=language)
    pdf = summary_module.summary_pdf_render(data, language=language)
    number = (event.forum_summaries.aggregate(top=Max("number"))["top"] or 0) + 1
    summary = ForumSummary.objects.create(
        event=event,
        number=number,
        built_at=timezone.now(),
        built_by=user,
        language=language,
        data=data,
        html=html,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    audit_record(
        actor=user, action="forums.summary_built", target=summary, detail={"number": number}
    )
    return summary
