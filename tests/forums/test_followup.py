"""The follow-up pages: response rates by type of organisation against a hand-counted ground
truth, the overdue list, the programme's network, and the public page that shows no personal
data and exists only when the forum opts in."""

import datetime

import pytest
from django.utils import timezone

from core.models import Organization
from forums.models import ForumSummary
from forums.selectors_followup import response_rates_by_kind
from forums.services_responses import response_submit
from tests.factories import (
    ContactFactory,
    ForumSettingsFactory,
    MembershipFactory,
    OrganizationFactory,
    RecommendationFactory,
    commitment_accepted,
)
from tests.forums.conftest import organizer_followup_page, overdue_commitment

pytestmark = pytest.mark.django_db
Kind = Organization.Kind


def test_response_rates_by_kind_match_the_hand_count(closed_forum):
    """Ground truth: state services are addressed 12 times and answer 7; communes 3 and 1;
    rejected or draft recommendations and other forums never count."""
    event, theme = closed_forum.event, closed_forum.recommendations["enrol"].theme
    Organization.objects.filter(pk__in=[closed_forum.education.pk, closed_forum.health.pk]).update(
        kind=Kind.STATE_SERVICE
    )
    Organization.objects.filter(pk=closed_forum.commune.pk).update(kind=Kind.COMMUNE)
    # Already: enrol -> education, commune; clinic -> health; tutor -> education (3 state, 1 commune)
    extra_state = [OrganizationFactory(kind=Kind.STATE_SERVICE) for _ in range(3)]
    for _ in range(3):  # 3 recommendations x 3 more state services = 9 state pairs
        RecommendationFactory(theme=theme, status="adopted", addressed_to=extra_state)
    RecommendationFactory(theme=theme, status="adopted", addressed_to=[closed_forum.commune])
    RecommendationFactory(theme=theme, status="adopted", addressed_to=[closed_forum.commune])
    RecommendationFactory(theme=theme, status="rejected", addressed_to=extra_state)
    RecommendationFactory(theme=theme, status="draft", addressed_to=[closed_forum.commune])
    recs = closed_forum.recommendations
    answers = [
        (closed_forum.education, recs["enrol"], "accepted"),
        (closed_forum.education, recs["tutor"], "declined"),
        (closed_forum.health, recs["clinic"], "under_study"),
        (closed_forum.commune, recs["enrol"], "accepted"),
    ]
    state_recs = list(event.recommendations.filter(addressed_to=extra_state[0], status="adopted"))
    answers += [(extra_state[0], rec, "accepted") for rec in state_recs]
    answers += [(extra_state[1], state_recs[0], "accepted")]
    for organization, rec, position in answers:
        response_submit(
            contact=ContactFactory(organization=organization),
            recommendation_id=rec.pk,
            position=position,
            reasons="Motif" if position == "declined" else "",
        )
    rates = {
        rate.kind: (rate.answered, rate.expected) for rate in response_rates_by_kind(events=[event])
    }
    assert rates == {Kind.STATE_SERVICE: (7, 12), Kind.COMMUNE: (1, 3)}


def test_followup_page_shows_answers_commitments_and_the_overdue_list(client, closed_forum):
    event = closed_forum.event
    ForumSettingsFactory(event=event, response_due_days=10)
    ForumSummary.objects.filter(event=event).update(
        released_at=timezone.now() - datetime.timedelta(days=11)
    )
    education = ContactFactory(organization=closed_forum.education)
    rec = closed_forum.recommendations["enrol"]
    overdue_commitment(education, rec, what="Circulaire aux écoles", by_whom="Service scolarité")
    page = organizer_followup_page(client, event)
    assert "Circulaire aux écoles" in page and "Service scolarité" in page
    overdue = page.split('id="overdue"')[1].split("</ul>")[0]
    assert "Délégation de la Santé has not answered" in overdue  # clinic, past the delay
    assert "Circulaire aux écoles" in overdue  # the commitment's date has passed
    assert "Commune d&#x27;Oujda has not answered" in overdue
    programme = client.get(f"/forums/programmes/{event.programme_id}/followup/").content.decode()
    assert "Circulaire aux écoles" in programme


def test_public_page_needs_the_opt_in_and_shows_no_personal_data(client, closed_forum):
    event = closed_forum.event
    url = f"/forums/{event.pk}/followup/public/"
    assert client.get(url).status_code == 404
    ForumSettingsFactory(event=event, followup_public=True)
    education = ContactFactory(organization=closed_forum.education, name="Karima Bennani")
    rec = closed_forum.recommendations["tutor"]
    commitment_accepted(education, rec, what="Soutien scolaire le mercredi", by_whom="M. Alaoui")
    for language, direction in (("fr", "ltr"), ("ar", "rtl"), ("en", "ltr")):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'dir="{direction}"' in page
        assert "Soutien scolaire le mercredi" in page and rec.text in page
        for personal in ["Karima Bennani", "M. Alaoui", "Awa Traoré", *closed_forum.personal_data]:
            assert personal not in page


def test_network_lists_types_languages_and_addressed_recommendations(client, closed_forum):
    event = closed_forum.event
    ContactFactory(organization=closed_forum.education, preferred_language="ar")
    ContactFactory(organization=closed_forum.education, preferred_language="fr")
    client.force_login(MembershipFactory(organization=event.programme.lead_organization).user)
    page = client.get(
        f"/forums/programmes/{event.programme_id}/network/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Direction de l&#x27;Éducation" in page and "Commune d&#x27;Oujda" in page
    assert "العربيّة" in page or "العربية" in page
    assert closed_forum.recommendations["tutor"].text in page


def test_followup_reads_do_not_grow_with_the_number_of_recommendations(closed_forum):
    """A constant number of queries per forum, whatever the recommendations and answers."""
    from forums.selectors_followup import followup_rows

    event = closed_forum.event
    theme = closed_forum.recommendations["enrol"].theme
    education = ContactFactory(organization=closed_forum.education)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            followup_rows(events=[event])
        return len(queries)

    def answered_with_a_commitment():
        rec = RecommendationFactory(
            theme=theme, status="adopted", addressed_to=[closed_forum.education]
        )
        commitment_accepted(education, rec)

    answered_with_a_commitment()
    before = count()
    for _ in range(15):
        answered_with_a_commitment()
    assert count() == before
