import io

import pytest
from pypdf import PdfReader

from core.errors import ApplicationError
from events.services.events import event_close
from forums import services
from forums.models import ForumSummary
from forums.summary import (
    forum_figures,
    summary_data_build,
    summary_html_render,
    summary_pdf_render,
    summary_view,
)
from tests.factories import ForumSettingsFactory

from .conftest import attendance

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_figures_match_the_attendance_rows(forum):
    session = forum.session
    attendance(
        session, gender="female", age_band="25-59", profile="migrant", ticket=forum.tickets[0]
    )
    attendance(session, gender="male", age_band="18-24", profile="refugee")
    attendance(session, gender="female", age_band="12-17", profile="host", headcount=20)
    attendance(session, gender="male", age_band="60+", profile="host", headcount=7, voided=True)

    figures = forum_figures(forum.event)

    assert figures["total"] == 22
    assert figures["gender"] == {"female": 21, "male": 1, "other": 0, "undisclosed": 0}
    assert figures["age_band"]["12-17"] == 20 and figures["age_band"]["60+"] == 0
    assert figures["profile"] == {"migrant": 1, "refugee": 1, "host": 20, "undisclosed": 0}
    assert figures["people_reached"] == 22 and figures["sessions_held"] == 1


def test_a_person_admitted_to_two_sessions_is_two_attendances_and_one_person(forum):
    from tests.factories import SessionFactory

    second = SessionFactory(event=forum.event)
    for session in (forum.session, second):
        attendance(session, ticket=forum.tickets[0])
    attendance(second, gender="male", headcount=3)

    figures = forum_figures(forum.event)

    assert figures["total"] == 5
    assert figures["people_reached"] == 4
    assert figures["sessions_held"] == 2


def test_small_figures_are_masked_for_partners_and_not_recoverable_from_the_total(forum):
    attendance(forum.session, gender="female", headcount=12)
    attendance(forum.session, gender="other", headcount=2)
    view = summary_view(summary_data_build(forum.event), language="en")
    gender = next(row for row in view["figures"] if row["dimension"] == "gender")
    # 14 - 12 would give the 2 away: the 12 is hidden as well.
    assert {item["value"]: item["count"] for item in gender["values"]} == {
        "female": "x",
        "other": "<5",
    }
    assert view["total"] == "14"


def test_only_adopted_recommendations_grouped_by_theme_and_institution(forum):
    services.endorsement_add(
        recommendation=forum.recommendations["clinic"], ticket=forum.tickets[0]
    )
    data = summary_data_build(forum.event)
    texts = {rec["id"]: rec["text"]["fr"] for rec in data["recommendations"]}
    assert "Brouillon jamais adopté" not in texts.values()
    view = summary_view(data, language="fr")
    assert [theme["name"] for theme in view["themes"]] == ["Accès à l'éducation", "Santé"]
    education_theme = [rec["text"] for rec in view["themes"][0]["recommendations"]]
    assert education_theme == [  # priority first
        "Inscrire les enfants migrants sans acte de naissance",
        "Créer du soutien scolaire en darija et en français",
    ]
    by_institution = {
        inst["name"]: [r["text"] for r in inst["recommendations"]] for inst in view["institutions"]
    }
    assert by_institution == {
        "Commune d'Oujda": ["Inscrire les enfants migrants sans acte de naissance"],
        "Délégation de la Santé": ["Ouvrir une permanence de santé le samedi"],
        "Direction de l'Éducation": [
            "Inscrire les enfants migrants sans acte de naissance",
            "Créer du soutien scolaire en darija et en français",
        ],
    }
    assert view["endorsement_count"] == 1


def test_personalised_summary_lists_the_institution_s_recommendations_first(forum):
    data = summary_data_build(forum.event)
    view = summary_view(data, language="fr", organization_id=forum.health.pk)
    assert [rec["text"] for rec in view["own_recommendations"]] == [
        "Ouvrir une permanence de santé le samedi"
    ]
    assert view["institutions"][0]["name"] == "Délégation de la Santé"
    html = summary_html_render(data, language="fr", organization_id=forum.health.pk)
    assert html.index("Ouvrir une permanence") < html.index("Inscrire les enfants")
    pdf = flat(pdf_text(summary_pdf_render(data, language="fr", organization_id=forum.health.pk)))
    assert pdf.index("Ouvrir une permanence") < pdf.index("Inscrire les enfants")


def test_translations_are_used_in_the_reader_s_language(forum):
    data = summary_data_build(forum.event)
    english = summary_view(data, language="en")
    assert english["title"] == "Regional forum"
    texts = [rec["text"] for theme in english["themes"] for rec in theme["recommendations"]]
    assert "Enrol migrant children without a birth certificate" in texts
    # No English translation: the original French text is shown rather than nothing.
    assert "Ouvrir une permanence de santé le samedi" in texts


def test_pdf_contains_the_recommendations_and_figures(forum):
    attendance(forum.session, headcount=40)
    ForumSettingsFactory(event=forum.event, next_steps_fr="Réunion de suivi en mars")
    pdf = flat(pdf_text(summary_pdf_render(summary_data_build(forum.event), language="fr")))
    for text in (
        "Inscrire les enfants migrants sans acte de naissance",
        "Ouvrir une permanence de santé le samedi",
        "Accès à l'éducation",
        "Réunion de suivi en mars",
        "Awa Traoré",
        "40",
    ):
        assert text in pdf


def test_arabic_pdf_renders_with_arabic_glyphs(forum):
    pdf = summary_pdf_render(summary_data_build(forum.event), language="ar")
    text = pdf_text(pdf)
    assert PdfReader(io.BytesIO(pdf)).pages
    # Reshaped Arabic is drawn with presentation forms; any Arabic letter proves the font worked.
    assert any("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" for ch in text)


def test_summary_outputs_contain_no_personal_data(forum):
    for ticket in forum.tickets:
        attendance(forum.session, ticket=ticket)
        services.endorsement_add(recommendation=forum.recommendations["enrol"], ticket=ticket)
    data = summary_data_build(forum.event)
    html = summary_html_render(data, language="fr")
    pdf = pdf_text(summary_pdf_render(data, language="fr"))
    for value in forum.personal_data:
        assert value not in str(data)
        assert value not in html
        assert value not in pdf


def test_closing_the_forum_builds_one_summary_even_when_closed_twice(
    forum, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=forum.event)
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=forum.event)
    # The task may also be delivered twice by the broker: the build is idempotent.
    from forums.tasks import forum_summary_build_task

    forum_summary_build_task(forum.event.pk)
    summaries = ForumSummary.objects.filter(event=forum.event)
    assert summaries.count() == 1
    summary = summaries.get()
    assert summary.number == 1 and summary.language == "fr"
    assert bytes(summary.pdf).startswith(b"%PDF")
    assert len(summary.sha256) == 64
    assert "Inscrire les enfants migrants" in summary.html


def test_closing_another_kind_of_event_builds_nothing(django_capture_on_commit_callbacks):
    from tests.factories import EventFactory

    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=event)
    assert not ForumSummary.objects.exists()


def test_explicit_new_version_gets_the_next_number(closed_forum):
    second = services.summary_build(event=closed_forum.event, new_version=True, language="en")
    assert second.number == 2 and second.language == "en"
    assert services.summary_build(event=closed_forum.event) == second


def test_summary_is_not_built_for_an_open_forum(forum):
    with pytest.raises(ApplicationError) as exc:
        services.summary_build(event=forum.event)
    assert exc.value.code == "forum_not_closed"


def test_demo_forum_loads_twice_and_closing_it_builds_the_summary(
    django_capture_on_commit_callbacks,
):
    from django.core.management import call_command

    from events.models import Event
    from forums.models import Recommendation, Theme

    call_command("load_demo")
    counts = (Theme.objects.count(), Recommendation.objects.count())
    call_command("load_demo")
    assert (Theme.objects.count(), Recommendation.objects.count()) == counts == (5, 6)
    event = Event.objects.get(title="Forum régional sur la migration")
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=event)
    summary = ForumSummary.objects.get(event=event)
    assert "Inscrire à l'école les enfants migrants" in flat(pdf_text(bytes(summary.pdf)))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_builds_of_a_closed_forum_make_one_version(forum):
    from events.models import EventStatus
    from tests.concurrency import run_together

    type(forum.event).objects.filter(pk=forum.event.pk).update(status=EventStatus.CLOSED)
    summaries, errors = run_together([lambda: services.summary_build(event=forum.event)] * 4)
    assert errors == []
    numbers = [summary.number for summary in summaries]
    assert numbers == [1, 1, 1, 1]
    assert ForumSummary.objects.filter(event=forum.event).count() == 1


def test_long_arabic_text_wraps_with_its_beginning_on_the_first_line():
    import arabic_reshaper

    from core.pdf_fonts import register_unicode_fonts
    from forums.pdf import _arabic_lines, _Styles

    register_unicode_fonts()
    words = ["تسجيل", "الأطفال", "المهاجرين", "في", "المدرسة", "ولو", "بدون", "عقد", "ازدياد"] * 3
    lines = _arabic_lines(" ".join(words), _Styles(rtl=True).body, 120, rtl=True)
    assert len(lines) > 2
    # Pure right-to-left text in visual order reads backwards: reversing gives logical order.
    assert lines[0][::-1].startswith(arabic_reshaper.reshape("تسجيل الأطفال"))
    assert lines[-1][::-1].endswith(arabic_reshaper.reshape("ازدياد"))
