"""Domain signals that events sends and other apps (participants, notifications, forums) react to.
Events must not import those apps, so these are the one-way seam. Each is sent inside
transaction.on_commit by the service that made the change, with ids only, unless it says
otherwise."""

from django.dispatch import Signal

# kwargs: registration_id
registration_confirmed = Signal()
# kwargs: ticket_id (a waiting-list ticket became valid)
ticket_promoted = Signal()
# kwargs: ticket_id
ticket_cancelled = Signal()
# kwargs: ticket_id (new secret and short code)
ticket_reissued = Signal()
# kwargs: event_id, session_ids (their date or times changed)
sessions_rescheduled = Signal()
# kwargs: event_id
event_cancelled = Signal()
# kwargs: event_id
event_closed = Signal()
# kwargs: registration_id, attendee_ids, and the instances themselves (registration, attendees:
# they are in hand, and receivers run on every registration, so they need not read them back). Sent INSIDE the registration's transaction, so that what
# receivers record about these people (who they are across events) commits or rolls back with it.
attendees_registered = Signal()
# kwargs: registration_ids. Unlike the others, sent INSIDE the purge transaction: receivers clear
# their own copies of personal data so that the erasure commits or rolls back as a whole.
registrations_pseudonymised = Signal()
# kwargs: attendee_ids. One member of a registration was erased (the registration itself keeps
# its personal data); sent INSIDE the erasure transaction, like registrations_pseudonymised.
attendees_pseudonymised = Signal()
