"""What an HTML view does between a form and the service that takes its data: the service's
refusal goes onto the form, its success into a message."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404

from .errors import ApplicationError


def add_error_to_form(form, exc: ApplicationError) -> None:
    """Show a service's refusal on the form whose data it refused: each field error on its field
    (on the form as a whole when the form has no such field), else the message."""
    for field, errors in exc.field_errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
    if not exc.field_errors:
        form.add_error(None, exc.message)


def form_service_call(request, form, call, *, success) -> bool:
    """Run `call` (a service fed with the valid form's data): True with the `success` message
    for the next page, or False with the service's refusal on the form."""
    try:
        call()
    except ApplicationError as exc:
        add_error_to_form(form, exc)
        return False
    messages.success(request, success)
    return True


def posted_action_call(request, action: str, calls: dict[str, tuple[Callable, str]]) -> None:
    """Run the service an organizer's button names (`calls[action]`: the call and its success
    message): an unknown name is a 404, the service's refusal an error message for the next
    page, as is an invalid choice that `chosen` refuses."""
    if action not in calls:
        raise Http404
    call, success = calls[action]
    try:
        call()
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


def chosen(form, field: str, refusal: str):
    """The valid form's `field`, else `refusal` as the service would refuse it."""
    if not form.is_valid():
        raise ApplicationError(refusal)
    return form.cleaned_data[field]
