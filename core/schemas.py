"""Shapes every app's API shares: the error body, input schemas that demand a JSON object, strict
scalar types for request bodies, and how schema components are named in the OpenAPI document."""

import re
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Schema
from ninja.schema import DjangoGetter, NinjaGenerateJsonSchema
from pydantic import Strict, model_validator

# JSON has real integers and booleans: "5" or true for a count, or 1 for a flag, is a client bug
# that the schema already calls invalid, so validation refuses it too. Only for bodies: query and
# path parameters arrive as text and are parsed leniently.
StrictInt = Annotated[int, Strict()]
StrictBool = Annotated[bool, Strict()]


class ErrorOut(Schema):
    code: str
    detail: str
    errors: dict = {}


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation documents, each with the one error body."""
    return dict.fromkeys(statuses, ErrorOut)


# A staff operation's answers besides success: bad input, not logged in, not allowed, not found
# (or another organisation's), and a conflict with the current state.
STAFF_ERRORS = error_responses(400, 401, 403, 404, 409)


class InputSchema(Schema):
    """A request body: a JSON object, nothing else. ninja's schemas read attributes from any
    object (that is how output schemas read models), so without this a body of "x", 42, null or
    [] would validate as an object with every field missing, which a PATCH takes as "change
    nothing"."""

    @model_validator(mode="before")
    @classmethod
    def _require_json_object(cls, data: Any) -> Any:
        # ninja's own validator (outermost) has already wrapped the input for attribute access.
        raw = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(raw, dict):
            raise ValueError(_("The request body must be a JSON object."))
        return data


# The part of a pydantic reference that names a class nested in another ("Organization.Kind"):
# every dotted segment from the first capitalised one on (modules are lower-case here).
_CLASS_PATH = re.compile(r"(?:^|\.)([A-Z][\w]*(?:\.[\w]+)*)$")


class UniqueNameJsonSchema(NinjaGenerateJsonSchema):
    """Names each component after its class path: `Organization.Kind` becomes
    `OrganizationKind`, not `Kind`. ninja generates each operation's schemas separately and
    merges their definitions by name, so two classes with one short name would silently replace
    each other in the document (the organisation kind listed the registration kinds)."""

    def get_defs_ref(self, core_mode_ref):
        defs_ref = super().get_defs_ref(core_mode_ref)
        core_ref, _mode = core_mode_ref
        without_id = core_ref.rsplit(":", 1)[0]
        match = _CLASS_PATH.search(without_id) if "[" not in without_id else None
        if match:
            name = self.normalize_name(match.group(1).replace(".", ""))
            choices = self._prioritized_defsref_choices[defs_ref]
            if choices[0] != name:
                choices.insert(0, name)
        return defs_ref
