"""The partner portal's language switch: the pick is kept (language cookie) across the portal's
pages and reloads, over the contact's preferred language."""

import pytest
from django.urls import reverse

from forums.partners import partner_link_token
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def _switch(client, language: str, next_url: str):
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    return client.get(next_url)


def test_partner_link_portal_switches_language_and_stays_switched(
    closed_forum, partner_contact, client
):
    token = partner_link_token(contact=partner_contact)
    home_url = reverse("forums:partner_home", args=[token])
    assert '<html lang="fr"' in client.get(home_url).content.decode()

    switched = _switch(client, "ar", home_url).content.decode()
    assert '<html lang="ar" dir="rtl">' in switched and "بوابة الشركاء" in switched
    assert '<html lang="ar"' in client.get(home_url).content.decode()  # a reload
    summary = client.get(reverse("forums:partner_summary", args=[token, closed_forum.event.pk]))
    assert 'dir="rtl"' in summary.content.decode()

    back = _switch(client, "en", home_url).content.decode()
    assert '<html lang="en" dir="ltr">' in back and "Partner portal" in back


def test_signed_in_partner_switches_language(closed_forum, client):
    user = UserFactory(is_staff=False)
    ContactFactory(organization=closed_forum.education, user=user, preferred_language="ar")
    client.force_login(user)
    home_url = reverse("forums:partner_home_session")
    assert '<html lang="ar"' in client.get(home_url).content.decode()
    assert '<html lang="en" dir="ltr">' in _switch(client, "en", home_url).content.decode()
    summary_url = reverse("forums:partner_summary_session", args=[closed_forum.event.pk])
    assert 'dir="ltr"' in client.get(summary_url).content.decode()
