"""What an HTML view does between a form and the service that takes its data: the service's
refusal goes onto the form, its success into a message."""

from django.contrib import messages

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
