"""How many people the door let in, counted the way the figures count them: distinct canonical
participants (a merged person counts as the one they were merged into) among the active
admissions that came with a ticket."""

from attendance.models import Attendance
from participants.selectors import canonical_id_expression


def people_admitted(**scope) -> int:
    """`scope` filters the attendances (event=…, event__programme=…)."""
    return (
        Attendance.objects.filter(voided_at=None, ticket__isnull=False, **scope)
        .annotate(
            person=canonical_id_expression("ticket__attendee__participant_link__participant__")
        )
        .values("person")
        .distinct()
        .count()
    )
