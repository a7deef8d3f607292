"""Reporting reads on a PostgreSQL read replica (`DATABASE_REPLICA_URL`), never a read of one's
own writes.

Only code inside `reporting_reads()` (figures, exports, dashboards) reads from the replica;
everything else, and every write, uses the primary. A replica lags the primary by a moment, so
reporting reads go to the primary instead when:
- the current request (or `reporting_reads` block outside a request) has written anything;
- the caller wrote in one of its recent requests: after a write the response sets a short-lived
  cookie (`DATABASE_REPLICA_PIN_SECONDS`), so the figures page opened right after recording a
  class headcount shows it;
- a transaction is open on the primary (what it wrote is not on any replica yet).
Without `DATABASE_REPLICA_URL` nothing changes: there is one database."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "multaqa_primary"

_reporting: ContextVar[bool] = ContextVar("reporting_reads", default=False)
# Per request (or reporting block): {"pinned": bool, "wrote": bool}.
_state: ContextVar[dict | None] = ContextVar("replica_state", default=None)


@contextmanager
def reporting_reads():
    """Reads inside may go to the replica (usable as a decorator too)."""
    reporting = _reporting.set(True)
    state = _state.set({"pinned": False, "wrote": False}) if _state.get() is None else None
    try:
        yield
    finally:
        _reporting.reset(reporting)
        if state is not None:
            _state.reset(state)


def read_alias() -> str:
    """The database a read should use now: the replica inside reporting reads, unless pinned."""
    if REPLICA not in settings.DATABASES or not _reporting.get():
        return DEFAULT_DB_ALIAS
    state = _state.get() or {}
    if state.get("pinned") or state.get("wrote"):
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


def wrote() -> None:
    state = _state.get()
    if state is not None:
        state["wrote"] = True


class ReplicaRouter:
    """Named in DATABASE_ROUTERS when DATABASE_REPLICA_URL is set."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        wrote()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is a copy of the primary: it replays the primary's migrations.
        return db == DEFAULT_DB_ALIAS


class ReplicaPinMiddleware:
    """Keeps a request's reporting reads on the primary once it (or a recent request of the
    same browser) wrote something."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if REPLICA not in settings.DATABASES:
            return self.get_response(request)
        state = {"pinned": PIN_COOKIE in request.COOKIES, "wrote": False}
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state["wrote"]:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=not settings.DEBUG,
            )
        return response
