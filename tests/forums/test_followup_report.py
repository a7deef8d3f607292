"""The follow-up report that opens the next forum of the programme: built from the answers,
readable in FR/AR/EN (the PDF read back as printed, Arabic joined), free of personal data, and
sent to the partners once previewed and confirmed, once per contact."""

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from forums.followup_delivery import followup_deliver, followup_release, followup_report_build
from forums.followup_report import followup_html_render, followup_pdf_render
from notifications.attachments import message_attachments
from notifications.models import Message, Purpose
from tests.factories import (
    ContactFactory,
    MembershipFactory,
    commitment_accepted,
)
from tests.forums.conftest import next_forum_of
from tests.pdf_text import line_with, pdf_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_forum(closed_forum):
    forum = next_forum_of(closed_forum)
    education = ContactFactory(
        organization=closed_forum.education,
        name="Karima Bennani",
        email="dpen@example.ma",
        preferred_language="ar",
    )
    rec = closed_forum.recommendations["enrol"]
    commitment_accepted(
        education,
        rec,
        what="Circulaire aux directeurs d'école",
        by_whom="M. Alaoui",
        due_on=datetime.date(2027, 3, 1),
    )
    return forum


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_report_pdf_prints_the_answers_in_the_readers_language(closed_forum, next_forum, language):
    report = followup_report_build(event=next_forum)
    lines = pdf_lines(followup_pdf_render(report.data, language=language))
    with translation.override(language):
        line_with(lines, _("Follow-up of the recommendations"))
        line_with(lines, _("Answers by type of organisation"))
        line_with(lines, str(_("Accepted")))
        line_with(lines, str(_("No answer yet")))
    line_with(lines, "Circulaire aux directeurs d")
    if language == "ar":
        line_with(lines, "تسجيل الأطفال المهاجرين دون عقد ازدياد")
        line_with(lines, "المنتدى الجهوي")
    text = "\n".join(lines)
    for personal in ["Karima Bennani", "M. Alaoui", "Awa Traoré", *closed_forum.personal_data]:
        assert personal not in text


def test_report_html_is_right_to_left_in_arabic_and_names_no_one(closed_forum, next_forum):
    report = followup_report_build(event=next_forum)
    html = followup_html_render(report.data, language="ar")
    assert 'dir="rtl"' in html and "تتبع التوصيات" in html and "مقبولة" in html
    assert "M. Alaoui" not in html and "Karima Bennani" not in html


def test_a_forum_without_an_earlier_one_has_no_report(closed_forum):
    with pytest.raises(ApplicationError) as error:
        followup_report_build(event=closed_forum.event)
    assert error.value.code == "no_previous_forum"


def test_sent_once_per_contact_after_confirming_the_previewed_version(
    closed_forum, next_forum, django_capture_on_commit_callbacks
):
    report = followup_report_build(event=next_forum)
    with pytest.raises(ApplicationError):
        followup_release(report_id=report.pk, previewed_sha256="not-the-one")
    with django_capture_on_commit_callbacks(execute=True):
        followup_release(report_id=report.pk, previewed_sha256=report.sha256)
    followup_deliver(report_id=report.pk)  # a retried task
    rows = Message.objects.filter(purpose=Purpose.FORUM_FOLLOWUP)
    assert list(rows.values_list("recipient", flat=True)) == ["dpen@example.ma"]
    message = rows.get()
    assert message.language == "ar" and "المنتدى الثاني" in message.body
    (attachment,) = message_attachments(message)
    assert attachment.mimetype == "application/pdf"
    line_with(pdf_lines(attachment.content), "تتبع التوصيات")


def test_organizer_builds_previews_and_sends_from_the_pages(client, closed_forum, next_forum):
    client.force_login(MembershipFactory(organization=next_forum.organizer).user)
    built = client.post(f"/forums/{next_forum.pk}/manage/followup-report/")
    assert built.status_code == 302
    preview = client.get(built["Location"])
    assert preview.status_code == 200 and "dpen@example.ma" not in preview.content.decode()
    report = next_forum.followup_reports.get()
    pdf = client.get(f"/forums/{next_forum.pk}/manage/followup-report/{report.pk}/ar.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    sent = client.post(
        f"/forums/{next_forum.pk}/manage/followup-report/{report.pk}/send/",
        {"sha256": report.sha256},
    )
    assert sent.status_code == 302
    report.refresh_from_db()
    assert report.released_at is not None
