"""WhatsApp templates in the admin: parameters checked against the variables we render, and the
list page names the purposes and languages that have no template (they go by SMS or e-mail)."""

import pytest
from django.core.exceptions import ValidationError

from notifications.models import WhatsAppTemplate

pytestmark = pytest.mark.django_db


def _reminder_template(parameters) -> WhatsAppTemplate:
    return WhatsAppTemplate(
        purpose="reminder",
        language="fr",
        provider_name="x",
        provider_language_code="fr",
        parameters=parameters,
    )


@pytest.mark.parametrize(
    "parameters",
    [
        [["event", "event"], ["date", "session_date"]],
        [],
    ],
)
def test_parameters_naming_our_variables_are_accepted(parameters):
    template = _reminder_template(parameters)
    template.clean()


@pytest.mark.parametrize(
    "parameters",
    [
        [["event", "secret_field"]],  # not a variable we render
        [["Event", "event"]],  # WhatsApp's parameter names are lower case
        [["event"]],
        {"event": "event"},
        [["", "event"]],
        [["bad-name", "event"]],
    ],
)
def test_parameters_that_would_break_a_message_are_refused(parameters):
    template = _reminder_template(parameters)
    with pytest.raises(ValidationError) as error:
        template.clean()
    assert "parameters" in error.value.message_dict


def test_the_list_page_warns_about_purposes_and_languages_without_template(
    client, admin_user, whatsapp_templates
):
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    WhatsAppTemplate.objects.filter(purpose="reminder", language="ar").delete()
    html = client.get("/admin/notifications/whatsapptemplate/").content.decode()
    assert "No WhatsApp template" in html
    assert "Reminder (Arabic)" in html
    assert "Reminder (French)" not in html
