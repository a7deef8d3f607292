"""A household or a class gets one confirmation that lets every member in: every member's code
(the first few in an SMS) and the group's tickets page; nothing at all without consent."""

import pytest
from django.core import mail

from core.demographics import AgeBand, Gender
from events.models import Registration, Ticket
from events.services.registrations import PersonData, registration_create
from notifications import sms
from notifications.models import Message
from notifications.sms.segments import count_segments

pytestmark = pytest.mark.django_db

NAMES = ["Aminata", "Awa", "Moussa", "Fatou", "Ibrahim", "Mariam"]


def household(event, committed, *, size, **fields):
    people = [
        PersonData(gender=Gender.FEMALE, age_band=AgeBand.AGE_25_59, first_name=n) for n in NAMES
    ]
    values = {
        "phone": "+212612345678",
        "email": "",
        "language": "fr",
        "consent_contact": True,
        **fields,
    }
    return committed(
        registration_create,
        event=event,
        contact=people[0],
        members=people[1:size],
        kind=Registration.Kind.HOUSEHOLD,
        consent_register=True,
        source=Registration.Source.WEB,
        **values,
    )


def codes_of(registration):
    tickets = Ticket.objects.filter(attendee__registration=registration)
    return [str(ticket) for ticket in tickets.order_by("-attendee__is_contact", "id")]


def test_household_sms_lists_every_members_code_and_the_groups_page(event, frozen_now, committed):
    registration = household(event, committed, size=3)
    [text] = [message.body for message in sms.outbox]
    for code in codes_of(registration):
        assert code in text
    assert registration.get_absolute_url() in text
    assert not any(name in text for name in NAMES)


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_group_sms_costs_at_most_one_segment_more_than_a_single_persons(
    event, frozen_now, committed, language
):
    household(event, committed, size=1, language=language)
    household(event, committed, size=6, language=language)
    single, group = (count_segments(message.body).segments for message in sms.outbox)
    assert group <= single + 1
    assert group <= (3 if language == "ar" else 2)  # Arabic travels as UCS-2, 67 per part


def test_large_group_sms_lists_the_first_codes_and_links_the_page_with_all(
    event, frozen_now, committed
):
    registration = household(event, committed, size=6, email="famille@example.org")
    codes = codes_of(registration)
    [text] = [message.body for message in sms.outbox]
    assert all(code in text for code in codes[:3]) and "(+3)" in text
    assert registration.get_absolute_url() in text
    [email] = mail.outbox
    assert all(code in email.body for code in codes)


def test_no_consent_means_no_message_at_all(event, frozen_now, committed):
    household(event, committed, size=3, consent_contact=False, email="famille@example.org")
    assert sms.outbox == [] and mail.outbox == []
    assert not Message.objects.exists()
