"""Wrong codes per address and event: a room shares one Wi-Fi address and people mistype, so the
limit is generous; it only has to stop someone trying codes in bulk."""

from core.ratelimit import client_ip, ratelimit_exhausted, ratelimit_hit

CODE_FAILURES_LIMIT = 30
CODE_FAILURES_WINDOW = 600
CODE_FAILURES_SCOPE = "proposals.code_failures"


def _key(request, event_id: int) -> str:
    return f"{event_id}:{client_ip(request)}"


def code_failures_exhausted(request, event_id: int) -> bool:
    return ratelimit_exhausted(
        scope=CODE_FAILURES_SCOPE, key=_key(request, event_id), limit=CODE_FAILURES_LIMIT
    )


def code_failure_count(request, event_id: int) -> None:
    ratelimit_hit(
        scope=CODE_FAILURES_SCOPE,
        key=_key(request, event_id),
        limit=CODE_FAILURES_LIMIT,
        window_seconds=CODE_FAILURES_WINDOW,
    )
