"""Wrong codes typed on the proposal pages and API, per address and event (core's guard)."""

from core.ratelimit import CodeGuessGuard

CODE_GUARD = CodeGuessGuard("proposals.code_failures")
