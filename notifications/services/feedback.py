"""Anonymous feedback after the event: one answer per attended ticket, proven by a signed link."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from attendance.selectors import ticket_attended
from core.errors import ApplicationError
from events.models import Ticket
from notifications.models import FeedbackAnswer
from notifications.tokens import read_feedback_token, ticket_digest


def feedback_ticket_from_token(*, token: str) -> Ticket:
    ticket_id = read_feedback_token(token)
    ticket = (
        Ticket.objects.select_related("event").filter(pk=ticket_id).first() if ticket_id else None
    )
    if ticket is None:
        raise ApplicationError(
            _("This feedback link is not valid or has expired."), code="invalid_token", status=404
        )
    return ticket


def feedback_already_given(*, ticket: Ticket) -> bool:
    return FeedbackAnswer.objects.filter(ticket_digest=ticket_digest(ticket.pk)).exists()


def feedback_submit(
    *, token: str, satisfaction: int, useful: str = "", suggestions: str = "", language: str = "fr"
) -> FeedbackAnswer:
    ticket = feedback_ticket_from_token(token=token)
    if not ticket_attended(ticket=ticket):
        raise ApplicationError(
            _("Only participants who attended can answer."), code="not_attended", status=403
        )
    if not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        raise ApplicationError(
            _("Choose a satisfaction level between 1 and 5."),
            code="invalid",
            field_errors={"satisfaction": [_("Choose a satisfaction level between 1 and 5.")]},
        )
    try:
        with transaction.atomic():
            return FeedbackAnswer.objects.create(
                event=ticket.event,
                ticket_digest=ticket_digest(ticket.pk),
                satisfaction=satisfaction,
                useful=(useful or "").strip()[:2000],
                suggestions=(suggestions or "").strip()[:2000],
                language=language if language in ("fr", "ar", "en") else "fr",
            )
    except IntegrityError as exc:
        raise ApplicationError(
            _("You have already answered. Thank you!"), code="already_answered", status=409
        ) from exc
