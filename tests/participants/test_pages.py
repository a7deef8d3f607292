"""The organizer pages: the possible-duplicates queue (ranked, enough to decide, phones masked),
merge / different people / undo as plain forms, the participant page and the merges history;
scoped to the organizer's organisation."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from participants.models import DuplicateCandidate, Participant, ParticipantMerge
from participants.services.merging import participants_merge
from tests.factories import (
    DuplicateCandidateFactory,
    EventFactory,
    ProgrammeFactory,
)
from tests.participants.test_matching import participant_of, register

pytestmark = pytest.mark.django_db
QUEUE = "/organizer/participants/duplicates/"


@pytest.fixture
def organizer(organizer, client):
    # The assertions below read the English texts (French is the default).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return organizer


@pytest.fixture
def typo(organization):
    """Aminata registered twice with the same phone, the second time as Aminatou."""
    programme = ProgrammeFactory(lead_organization=organization)
    first_event = EventFactory(programme=programme, title="Café des langues")
    second_event = EventFactory(programme=programme, title="Atelier CV")
    first = register(first_event, "Aminata", "0612345678")
    second = register(second_event, "Aminatou", "0612345678")
    return DuplicateCandidate.objects.get(
        first=participant_of(first), second=participant_of(second)
    )


def test_the_queue_shows_what_is_needed_to_decide_with_the_phone_masked(client, organizer, typo):
    page = client.get(QUEUE).content.decode()
    for text in ("Aminata", "Aminatou", "Café des langues", "Atelier CV", "78"):
        assert text in page
    assert "0612345678" not in page and "612345678" not in page and "+212" not in page
    assert "••••••••••78" in page


def test_the_queue_ranks_by_score(client, organizer, organization):
    scores = [60, 100, 80]
    made = {s: DuplicateCandidateFactory(organization=organization, score=s).pk for s in scores}
    page = client.get(QUEUE).content.decode()
    order = [int(pk) for pk in re.findall(r'data-candidate="(\d+)"', page)]
    assert order == [made[100], made[80], made[60]]


def test_merge_from_the_queue_without_javascript(client, organizer, typo):
    response = client.post(
        f"{QUEUE}{typo.pk}/merge/", {"keep": typo.second_id, "next": QUEUE}, follow=True
    )
    assert response.redirect_chain[-1][0] == QUEUE
    assert f"P-{typo.first_id} was merged into P-{typo.second_id}" in response.content.decode()
    assert Participant.objects.get(pk=typo.first_id).merged_into_id == typo.second_id
    typo.refresh_from_db()
    assert typo.status == "merged" and typo.decided_by == organizer
    # Decided: it leaves the queue.
    assert f'data-candidate="{typo.pk}"' not in response.content.decode()


def test_merge_keeping_someone_outside_the_pair_is_a_form_error(client, organizer, typo):
    response = client.post(f"{QUEUE}{typo.pk}/merge/", {"keep": "999999"}, follow=True)
    assert response.status_code == 200
    assert "Choose which of the two participants to keep." in response.content.decode()
    assert not ParticipantMerge.objects.exists()


def test_different_people_from_the_queue(client, organizer, typo):
    response = client.post(f"{QUEUE}{typo.pk}/distinct/", follow=True)
    assert "marked as different people" in response.content.decode()
    typo.refresh_from_db()
    assert typo.status == "distinct"
    again = client.post(f"{QUEUE}{typo.pk}/distinct/", follow=True)
    assert "already decided" in again.content.decode()


def test_undo_from_the_history_and_the_last_merge_button(client, organizer, typo):
    client.post(f"{QUEUE}{typo.pk}/merge/", {"keep": typo.first_id})
    merge = ParticipantMerge.objects.get()
    queue = client.get(QUEUE).content.decode()
    assert f"/organizer/participants/merges/{merge.pk}/undo/" in queue
    history = client.get("/organizer/participants/merges/").content.decode()
    assert f"/organizer/participants/merges/{merge.pk}/undo/" in history
    response = client.post(f"/organizer/participants/merges/{merge.pk}/undo/", follow=True)
    assert "was undone" in response.content.decode()
    assert Participant.objects.get(pk=typo.second_id).merged_into_id is None
    typo.refresh_from_db()
    assert typo.status == "open"


def test_participant_page_lists_events_links_and_merges(client, organizer, typo):
    participants_merge(kept=typo.first, merged=typo.second, actor=organizer)
    page = client.get(f"/organizer/participants/{typo.first_id}/").content.decode()
    assert "Café des langues" in page and "Atelier CV" in page
    assert f"P-{typo.second_id}" in page and "Undo merge" in page
    merged_page = client.get(f"/organizer/participants/{typo.second_id}/").content.decode()
    assert f"Merged into P-{typo.first_id}" in merged_page


def test_another_organisations_rows_are_not_found(client, organizer):
    other = DuplicateCandidateFactory()
    merge = participants_merge(kept=other.first, merged=other.second, actor=None)
    other_candidate = DuplicateCandidateFactory()
    for method, url in [
        ("post", f"{QUEUE}{other_candidate.pk}/merge/"),
        ("post", f"{QUEUE}{other_candidate.pk}/distinct/"),
        ("post", f"/organizer/participants/merges/{merge.pk}/undo/"),
        ("get", f"/organizer/participants/{other.first_id}/"),
    ]:
        assert getattr(client, method)(url).status_code == 404, url
    assert f'data-candidate="{other_candidate.pk}"' not in client.get(QUEUE).content.decode()
    merge.refresh_from_db()
    assert merge.undone_at is None
    assert ParticipantMerge.objects.count() == 1


def test_keyboard_review_is_a_static_script_under_the_strict_policy(client, organizer, typo):
    response = client.get(QUEUE)
    page = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == ['<script src="/static/participants/duplicates.js" defer>']
    assert "style=" not in page and "onclick" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
    source = Path(finders.find("participants/duplicates.js")).read_text()
    for key in ('"j"', '"k"', '"m"', '"d"', '"u"'):
        assert f"case {key}" in source
    # The forms the keys submit are on the page (and work without the script).
    assert 'data-action="merge"' in page and 'data-action="distinct"' in page
    assert 'data-action="undo-last"' not in page  # nothing merged yet


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_queue_is_translated(client, organizer, typo, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(QUEUE).content.decode()
    expected = {
        "fr": "Doublons possibles",
        "ar": "تكرارات محتملة",
        "en": "Possible duplicates",
    }[language]
    assert expected in page
    assert ('dir="rtl"' in page) == (language == "ar")


def test_people_without_an_organizer_role_are_refused(client, typo):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=False))
    assert client.get(QUEUE).status_code == 403
