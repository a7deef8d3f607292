"""How often one connection (IP) may send the public registration form.

Two counts per connection. Registrations that went through: a family or a school sharing one
connection stays well under the hourly limit, a script filling the event does not. Refused
submissions (invalid fields, honeypot, domain errors): limited only far above human speed, so a
person correcting their mistakes is never locked out while a script posting garbage is. A
refused person keeps what they typed and is told, in their language, when they may try again."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from core.ratelimit import client_ip, ratelimit_hit, ratelimit_retry_after

ACCEPTED_SCOPE = "registration"
REFUSED_SCOPE = "registration-refused"


def _limits() -> dict[str, tuple[int, int]]:
    return {
        ACCEPTED_SCOPE: settings.REGISTRATION_RATE_LIMIT,
        REFUSED_SCOPE: settings.REGISTRATION_REFUSED_RATE_LIMIT,
    }


def registration_wait_seconds(request) -> int:
    """Seconds this connection must wait before its next submission counts; 0 when it may send."""
    ip = client_ip(request)
    return max(
        ratelimit_retry_after(scope=scope, key=ip, limit=limit)
        for scope, (limit, _window) in _limits().items()
    )


def registration_attempt_count(request, *, accepted: bool) -> None:
    scope = ACCEPTED_SCOPE if accepted else REFUSED_SCOPE
    limit, window = _limits()[scope]
    ratelimit_hit(scope=scope, key=client_ip(request), limit=limit, window_seconds=window)


def registration_wait_message(seconds: int) -> str:
    # Whole minutes, rounded up: "in 0 minutes" would invite a try that is still refused.
    now = timezone.now()
    minutes = -(-seconds // 60)
    duration = timeuntil(now + datetime.timedelta(minutes=minutes), now, depth=1)
    return _(
        "Too many forms were sent from this connection. What you typed is kept below: "
        "you can send it again in %(duration)s."
    ) % {"duration": duration}
