"""A code typed once on a participant's phone (a forum's endorsements, an event's proposals):
tried under the code-guessing guard, then remembered in the session for that event, never in a
URL, until the person forgets it."""

from dataclasses import dataclass

from .errors import ApplicationError
from .ratelimit import CodeGuessGuard


@dataclass(frozen=True)
class CodeEntry:
    guard: CodeGuessGuard
    # Session keys are "<prefix>.<event id>".
    session_prefix: str

    def _key(self, event_id: int) -> str:
        return f"{self.session_prefix}.{event_id}"

    def remembered(self, request, event_id: int):
        return request.session.get(self._key(event_id))

    def forget(self, request, event_id: int) -> None:
        request.session.pop(self._key(event_id), None)

    def enter(self, request, event_id: int, form, find) -> bool:
        """The code of a valid `form` (its field `code`): `find(code)` returns what to remember
        or raises ApplicationError when the code names nobody. False, with the error on the
        form's field, when the code is refused or the address has used its tries."""
        try:
            value = self.guard.attempt(request, event_id, lambda: find(form.cleaned_data["code"]))
        except ApplicationError as exc:
            form.add_error("code", exc.message)
            return False
        # A new session id once a code is accepted: whoever knew the old one does not inherit it.
        request.session.cycle_key()
        request.session[self._key(event_id)] = value
        return True
