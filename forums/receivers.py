"""Reactions to events' domain signals. Kept to one line of routing: the work is in services."""

from django.db import transaction

from events.models import Event, EventKind


def on_event_closed(sender, event_id: int, **kwargs) -> None:
    """A closed forum gets its summary built by a worker (the signal fires after commit)."""
    if not Event.objects.filter(pk=event_id, kind=EventKind.FORUM).exists():
        return
    from .tasks import forum_summary_build_task

    transaction.on_commit(lambda: forum_summary_build_task.delay(event_id))
