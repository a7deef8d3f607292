import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from events.models import EventStatus
from tests.factories import (
    AttendeeFactory,
    ContactFactory,
    ForumEventFactory,
    MembershipFactory,
    OrganizationFactory,
    RecommendationFactory,
    RegistrationFactory,
    SessionFactory,
    ThemeFactory,
    TicketFactory,
    WorkshopFactory,
    commitment_accepted,
)

# The notifications' real worker, SMTP server and SMS gateway, for the forums' worker tests.
from tests.notifications.test_integration import (  # noqa: F401 (fixtures)
    received,
    sms_gateway,
    smtp_server,
    worker,
    worker_env,
)


@dataclass
class Forum:
    event: object
    session: object
    education: object
    health: object
    commune: object
    region: object
    tickets: list
    recommendations: dict
    personal_data: list = field(default_factory=list)


def attendance(
    forum_session,
    *,
    gender="female",
    age_band="25-59",
    profile="migrant",
    headcount=1,
    ticket=None,
    voided=False,
):
    from attendance.models import Attendance

    return Attendance.objects.create(
        event=forum_session.event,
        session=forum_session,
        ticket=ticket,
        source="scan",
        gender=gender,
        age_band=age_band,
        profile=profile,
        headcount=headcount,
        recorded_at=timezone.now(),
        voided_at=timezone.now() if voided else None,
    )


@pytest.fixture
def forum(db) -> Forum:
    """A published forum with two themes, four institutions, three adopted recommendations and
    participants whose names, phones and e-mails must never leave the registration."""
    event = ForumEventFactory(
        title="Forum régional sur la migration",
        title_ar="المنتدى الجهوي",
        title_en="Regional forum",
    )
    session = SessionFactory(event=event)
    education = OrganizationFactory(name="Direction de l'Éducation", acronym="DPEN")
    health = OrganizationFactory(name="Délégation de la Santé", acronym="DS")
    commune = OrganizationFactory(name="Commune d'Oujda")
    region = OrganizationFactory(name="Région de l'Oriental")
    event.programme.partners.add(commune)
    event.co_organizers.add(region)
    school = ThemeFactory(
        event=event,
        name_fr="Accès à l'éducation",
        name_ar="الولوج إلى التعليم",
        name_en="Access to education",
        position=1,
    )
    care = ThemeFactory(event=event, name_fr="Santé", name_ar="الصحة", name_en="Health", position=2)
    workshop = WorkshopFactory(event=event, theme=school, name_fr="Atelier éducation")
    recs = {
        "enrol": RecommendationFactory(
            theme=school,
            text="Inscrire les enfants migrants sans acte de naissance",
            text_ar="تسجيل الأطفال المهاجرين دون عقد ازدياد",
            text_en="Enrol migrant children without a birth certificate",
            status="adopted",
            proposed_by_workshop=workshop,
            addressed_to=[education, commune],
            priority=1,
        ),
        "clinic": RecommendationFactory(
            theme=care,
            text="Ouvrir une permanence de santé le samedi",
            status="adopted",
            addressed_to=[health],
            priority=2,
        ),
        "tutor": RecommendationFactory(
            theme=school,
            text="Créer du soutien scolaire en darija et en français",
            status="adopted",
            addressed_to=[education],
            priority=2,
            proposer_name="Awa Traoré",
            proposer_agreed_to_be_named=True,
        ),
        "draft": RecommendationFactory(theme=care, text="Brouillon jamais adopté", status="draft"),
    }
    tickets, personal = [], []
    for index in range(3):
        registration = RegistrationFactory(
            event=event,
            contact_name=f"Mariam{index}Koné",
            phone=f"+21266100{index:04d}",
            email=f"mariam{index}@mail.example",
        )
        attendee = AttendeeFactory(registration=registration, first_name=f"Fatou{index}Diallo")
        tickets.append(TicketFactory(attendee=attendee, event=event))
        personal += [
            registration.contact_name,
            registration.phone,
            registration.email,
            attendee.first_name,
            tickets[-1].secret,
            tickets[-1].short_code,
        ]
    return Forum(
        event=event,
        session=session,
        education=education,
        health=health,
        commune=commune,
        region=region,
        tickets=tickets,
        recommendations=recs,
        personal_data=personal,
    )


def summary_sent(event, *, new_version=False, user=None):
    """A summary version built and, after the organizer's preview, confirmed with every warning
    accepted: what partners receive and see in their portal."""
    from forums.delivery import summary_release, summary_warnings
    from forums.services import summary_build

    summary = summary_build(event=event, new_version=new_version)
    return summary_release(
        summary_id=summary.pk,
        previewed_sha256=summary.sha256,
        acknowledged=list(summary_warnings(summary)),
        user=user,
    )


@pytest.fixture
def closed_forum(forum, django_capture_on_commit_callbacks):
    """Closed, and its summary sent to the partners after the preview."""
    from events.services.events import event_close

    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=forum.event)
    with django_capture_on_commit_callbacks(execute=True):
        summary_sent(forum.event)
    forum.event.refresh_from_db()
    assert forum.event.status == EventStatus.CLOSED
    return forum


def next_forum_of(forum: Forum):
    """The programme's next forum, half a year after this one, by the same organizer."""
    event = forum.event
    later = event.start_date + datetime.timedelta(days=180)
    return ForumEventFactory(
        programme=event.programme,
        organizer=event.organizer,
        start_date=later,
        end_date=later,
        title="Deuxième forum",
        title_ar="المنتدى الثاني",
        title_en="Second forum",
    )


def reminded_contacts(forum: Forum) -> dict:
    """A contact of education who reads Arabic and one of health who reads English."""
    return {
        "education_ar": ContactFactory(
            organization=forum.education, email="dpen@example.ma", preferred_language="ar"
        ),
        "health_en": ContactFactory(
            organization=forum.health, email="ds@example.ma", preferred_language="en"
        ),
    }


def partner_reminders():
    from notifications.models import Message, Purpose

    return Message.objects.filter(purpose=Purpose.PARTNER_REMINDER)


def assert_stale_commitment_reminded_until_updated(event, contact, commitment, next_period):
    """A commitment without news for longer than `update_every_days` is reminded to its contact
    once, and not again in `next_period()` once the contact gave news."""
    from forums.reminders import forum_partner_reminders_send
    from forums.services_responses import commitment_update_add

    forum_partner_reminders_send(event=event)
    mine = partner_reminders().filter(recipient=contact.email)
    assert mine.count() == 1 and "عدد الالتزامات التي تنتظر تحيينا: 1" in mine.get().body
    commitment_update_add(contact=contact, commitment_id=commitment.pk, state="in_progress")
    next_period()
    forum_partner_reminders_send(event=event)
    assert mine.count() == 1


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def partner_route(subject, action: str) -> str:
    """The partner portal's route for `action` ("answer", "commitment_add") on the subject:
    recommendations' routes came first (`partner_answer`), proposals' are named
    (`partner_proposal_answer`)."""
    kind = "" if subject._meta.model_name == "recommendation" else "proposal_"
    return f"forums:partner_{kind}{action}"


def assert_another_organisation_reaches_nothing(client, subject, *, owner, other):
    """`owner` (a contact) accepts `subject` (a recommendation or a proposal addressed to its
    organisation) and updates its commitment with a document; a contact of `other`, by session
    or by link, gets 404 on reading, answering, committing, updating and downloading. Returns
    the other's contact and the commitment, for the checks that nothing changed."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from forums.partners import partner_link_token
    from forums.services_responses import commitment_update_add
    from tests.factories import UserFactory, commitment_accepted

    commitment = commitment_accepted(owner, subject)
    update = commitment_update_add(
        contact=owner,
        commitment_id=commitment.pk,
        state="in_progress",
        document=SimpleUploadedFile("a.pdf", PDF),
    )
    user = UserFactory(is_staff=False)
    contact = ContactFactory(organization=other, user=user)
    token = partner_link_token(contact=contact)
    client.force_login(user)
    data = {"position": "declined", "reasons": "x", "state": "done", "what": "x", "by_whom": "y"}
    data["due_on"] = "2027-01-01"
    for suffix, prefix in (("_session", []), ("", [token])):
        urls = [
            (
                "get",
                reverse(f"{partner_route(subject, 'answer')}{suffix}", args=[*prefix, subject.pk]),
            ),
            (
                "post",
                reverse(f"{partner_route(subject, 'answer')}{suffix}", args=[*prefix, subject.pk]),
            ),
            (
                "post",
                reverse(
                    f"{partner_route(subject, 'commitment_add')}{suffix}",
                    args=[*prefix, subject.pk],
                ),
            ),
            (
                "post",
                reverse(f"forums:partner_commitment_update{suffix}", args=[*prefix, commitment.pk]),
            ),
            ("get", reverse(f"forums:partner_document{suffix}", args=[*prefix, update.pk])),
        ]
        for method, url in urls:
            answer = client.get(url) if method == "get" else client.post(url, data)
            assert answer.status_code == 404, url
    return contact, commitment


def commitment_refusal(contact, subject) -> str:
    """The code with which the partner's services refuse the contact a commitment on `subject`
    (a recommendation or a proposal)."""
    from core.errors import ApplicationError
    from forums.services_responses import commitment_add

    with pytest.raises(ApplicationError) as error:
        commitment_add(
            contact=contact,
            what="x",
            by_whom="y",
            due_on=timezone.localdate(),
            **{f"{subject._meta.model_name}_id": subject.pk},
        )
    return error.value.code


def overdue_commitment(contact, subject, *, what, by_whom):
    """The contact's organisation accepted the subject and committed to `what` by yesterday."""
    return commitment_accepted(
        contact,
        subject,
        what=what,
        by_whom=by_whom,
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )


def organizer_followup_page(client, event) -> str:
    """The forum's follow-up page as one of its organizers reads it, in English."""
    client.force_login(MembershipFactory(organization=event.organizer).user)
    return client.get(f"/forums/{event.pk}/followup/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.fixture
def partner_contact(forum):
    return ContactFactory(organization=forum.education, preferred_language="fr")


@dataclass
class ForumProposals:
    call: object
    garden: object  # addressed to education and the commune
    library: object  # addressed to health; its proposer agreed to be named
    waiting: object  # not moderated yet: never put to anyone
    named: str = "Aminata Sow"


def proposals_addressed_at(forum: Forum) -> ForumProposals:
    """Participants' proposals at the forum (with their ticket codes), two accepted and put to
    partners of the programme. Education and health join the programme's partners (its network);
    the commune already is one."""
    from proposals import services
    from proposals.services_addressing import proposal_address

    forum.event.programme.partners.add(forum.education, forum.health)
    call = services.call_open(
        event=forum.event,
        themes=[{"name_fr": "Vivre ensemble", "name_ar": "العيش المشترك", "name_en": "Living"}],
    )
    theme = call.themes.get()

    def submit(ticket, title, text, **extra):
        return services.proposal_submit(
            call=call,
            code=ticket.short_code,
            theme=theme,
            title=title,
            text=text,
            language="fr",
            **extra,
        )

    garden = submit(
        forum.tickets[0], "Jardin partagé du quartier", "Un jardin cultivé par tous les voisins."
    )
    library = submit(
        forum.tickets[1],
        "Bibliothèque trilingue",
        "Des livres en arabe, en français et en anglais.",
        proposer_name="Aminata Sow",
        proposer_agreed_to_be_named=True,
    )
    waiting = submit(forum.tickets[2], "Idée en attente", "Pas encore modérée.")
    for proposal in (garden, library):
        services.proposal_accept(proposal=proposal)
    proposal_address(proposal=garden, organization_ids=[forum.education.pk, forum.commune.pk])
    proposal_address(proposal=library, organization_ids=[forum.health.pk])
    return ForumProposals(call=call, garden=garden, library=library, waiting=waiting)


@pytest.fixture
def forum_proposals(forum) -> ForumProposals:
    return proposals_addressed_at(forum)
