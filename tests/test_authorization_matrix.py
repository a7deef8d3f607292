"""Every role against every page, export and API operation, asserting allowed versus forbidden.

Endpoints are enumerated from the URL resolver and the OpenAPI schema, so a new endpoint without a
matrix entry fails `test_every_endpoint_has_a_matrix_entry`. Every request targets NGO A's objects:
the organizer of NGO B is the object-level case (another NGO's event, ticket, forum...).

Outcomes: "allowed" means the request passed authorization (2xx, 3xx to a non-login page, or a
validation answer 400/409/422 with a valid-looking payload); "denied" means 401, 403, 404, 429 or a
redirect to the login page. A 5xx fails for every role."""

import datetime
import uuid
from dataclasses import dataclass

import pytest
import time_machine
from django.contrib.admin import site as admin_site
from django.urls import URLPattern, URLResolver, get_resolver

from attendance.services.tokens import door_token_create
from config.api import api
from core.models import Membership
from forums.delivery import summary_release, summary_warnings
from forums.partners import partner_link_token
from participants.services.cards import card_issue
from tests.factories import (
    TODAY,
    AttendanceFactory,
    ContactFactory,
    DuplicateCandidateFactory,
    ForumEventFactory,
    ForumSettingsFactory,
    MembershipFactory,
    OrganizationFactory,
    ParticipantFactory,
    ParticipantLinkFactory,
    ProgrammeFactory,
    RapporteurAssignmentFactory,
    RecommendationFactory,
    SessionFactory,
    TargetFactory,
    ThemeFactory,
    TicketFactory,
    UserFactory,
    VenueFactory,
    WorkshopFactory,
)

ROLES = [
    "anonymous",
    "plain_user",
    "administrator",
    "organizer_a",
    "organizer_b",
    "volunteer_a",
    "rapporteur_a",
    "partner_a",
]
EVERYONE = set(ROLES)
ADMIN_A = {"administrator", "organizer_a"}
STAFF = {"administrator", "organizer_a", "organizer_b"}
DOOR = {"volunteer_a"}
NOBODY: set[str] = set()
LOGIN_URL = "/admin/login/"
DOOR_OPEN = datetime.datetime.combine(
    TODAY, datetime.time(10, 30), tzinfo=datetime.timezone(datetime.timedelta(hours=1))
)


@dataclass
class World:
    org_a: object
    org_b: object
    programme: object
    event: object
    session: object
    ticket: object
    attendance: object
    target: object
    venue: object
    forum: object
    theme: object
    workshop: object
    recommendation: object
    other_recommendation: object
    users: dict
    door_token: str
    partner_token: str
    other_user: object
    participant: object = None
    card: object = None
    candidate: object = None
    distinct_candidate: object = None
    participant_merge: object = None
    addressed: object = None
    commitment: object = None
    update: object = None
    knowledge_check: object = None
    call: object = None
    proposal: object = None
    accepted_proposal: object = None


def build_world() -> World:
    from events.services.events import event_close
    from participants.services.merging import participants_merge

    org_a, org_b = OrganizationFactory(name="NGO A"), OrganizationFactory(name="NGO B")
    partner_org = OrganizationFactory(name="Commune partner")
    programme = ProgrammeFactory(lead_organization=org_a)
    programme.partners.add(partner_org)
    ProgrammeFactory(lead_organization=org_b)
    session = SessionFactory(event__programme=programme)
    event = session.event
    ticket = TicketFactory(attendee__registration__event=event)
    attendance = AttendanceFactory(session=session, ticket=ticket, source="scan")
    forum = ForumEventFactory(programme=programme, end_date=TODAY)
    # The programme's earlier forum, which the follow-up report opening this one is about.
    earlier = TODAY - datetime.timedelta(days=90)
    ForumEventFactory(programme=programme, start_date=earlier, end_date=earlier)
    SessionFactory(event=forum)
    theme = ThemeFactory(event=forum)
    workshop = WorkshopFactory(event=forum, theme=theme)
    recommendation = RecommendationFactory(theme=theme, status="draft")
    other_recommendation = RecommendationFactory(theme=theme, status="draft")
    addressed = RecommendationFactory(theme=theme, status="adopted", addressed_to=[partner_org])
    ForumSettingsFactory(event=forum, followup_public=True)
    event_close(event=forum)

    users = {
        "plain_user": UserFactory(is_staff=False),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
        "organizer_a": MembershipFactory(organization=org_a).user,
        "organizer_b": MembershipFactory(organization=org_b).user,
        "rapporteur_a": MembershipFactory(
            organization=org_a, role=Membership.Role.RAPPORTEUR, user__is_staff=False
        ).user,
        "partner_a": UserFactory(is_staff=False),
    }
    RapporteurAssignmentFactory(event=forum, user=users["rapporteur_a"])
    contact = ContactFactory(organization=partner_org, user=users["partner_a"])
    issued = door_token_create(label="Gate A", events=[event], created_by=None)
    participant = ParticipantFactory(organization=org_a)
    card = card_issue(participant=participant, actor=None)

    ParticipantLinkFactory(attendee=ticket.attendee, participant__organization=org_a)
    call, proposal, accepted_proposal = _proposals(event)
    _proposal_addressed(accepted_proposal, partner_org)
    merged_pair = DuplicateCandidateFactory(organization=org_a, score=70)
    knowledge_check = _knowledge_check(event)
    return World(
        addressed=addressed,
        knowledge_check=knowledge_check,
        call=call,
        proposal=proposal,
        accepted_proposal=accepted_proposal,
        participant=participant,
        card=card,
        org_a=org_a,
        org_b=org_b,
        programme=programme,
        event=event,
        session=session,
        ticket=ticket,
        attendance=attendance,
        target=TargetFactory(programme=programme),
        venue=VenueFactory(),
        forum=forum,
        theme=theme,
        workshop=workshop,
        recommendation=recommendation,
        other_recommendation=other_recommendation,
        users=users,
        door_token=issued.raw_token,
        partner_token=partner_link_token(contact=contact),
        other_user=UserFactory(is_staff=False),
        candidate=DuplicateCandidateFactory(organization=org_a),
        distinct_candidate=DuplicateCandidateFactory(organization=org_a),
        participant_merge=participants_merge(
            kept=merged_pair.first, merged=merged_pair.second, actor=None
        ),
    )


def _inbound(world):
    """A message someone sent about NGO A's event, waiting in its inbox."""
    from notifications.models import InboundMessage

    inbound, _created = InboundMessage.objects.get_or_create(
        channel="sms",
        provider_id="matrix-1",
        defaults={
            "sender_hash": "0" * 64,
            "text": "Bonjour",
            "received_at": DOOR_OPEN,
            "action": "none",
            "registration": world.ticket.attendee.registration,
            "event": world.event,
        },
    )
    return inbound


def _knowledge_check(event):
    """A pre-check of the event whose first question has a picture."""
    from django.core.files.base import ContentFile

    from assessments.models import CheckAssignment, Moment
    from tests.assessments.world import TINY_PNG, question_set_make

    question_set = question_set_make(event.programme, questions=3)
    question = question_set.questions.first()
    question.picture.save("question.png", ContentFile(TINY_PNG))
    return CheckAssignment.objects.create(question_set=question_set, event=event, moment=Moment.PRE)


def _proposals(event):
    """NGO A's call on the world's event: a waiting proposal with a photo, an accepted one."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from proposals import services as proposal_services

    call = proposal_services.call_open(event=event, themes=[{"name_fr": "Vivre ensemble"}])
    theme = call.themes.get()
    people = [TicketFactory(attendee__registration__event=event) for _ in range(2)]
    waiting, accepted = (
        proposal_services.proposal_submit(
            call=call,
            code=ticket.short_code,
            theme=theme,
            title=f"Idée {index}",
            text="Un jardin.",
            language="fr",
        )
        for index, ticket in enumerate(people)
    )
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, "PNG")
    waiting.photo.save("world.png", ContentFile(buffer.getvalue()))
    proposal_services.proposal_accept(proposal=accepted)
    return call, waiting, accepted


def _proposal_addressed(proposal, organization):
    """The accepted proposal is put to the programme's partner, whose contact is partner_a."""
    from proposals.services_addressing import proposal_address

    proposal_address(proposal=proposal, organization_ids=[organization.pk])


def _proposal_body(world, **extra):
    body = {
        "code": world.ticket.short_code,
        "theme_id": world.call.themes.get().pk,
        "title": "Matrix idea",
        "text": "Un terrain.",
        "language": "fr",
    }
    body.update(extra)
    return body


def _person():
    return {"first_name": "", "gender": "female", "age_band": "25-59"}


def _participant(world):
    """NGO A's participant for the world's ticket (factories do not go through registration)."""
    from participants.models import Participant, ParticipantLink

    attendee = world.ticket.attendee
    link = ParticipantLink.objects.filter(attendee=attendee).first()
    if link is None:
        participant = Participant.objects.create(
            organization=world.event.organizer, gender=attendee.gender, age_band=attendee.age_band
        )
        link = ParticipantLink.objects.create(attendee=attendee, participant=participant)
    return link.participant


def _opt_out_token(world):
    from notifications.tokens import registration_opt_out_token

    return registration_opt_out_token(world.ticket.attendee.registration_id, "sms")


def _feedback_token(world):
    from notifications.tokens import feedback_token

    return feedback_token(world.ticket.pk)


def _link_token(world, role):
    """A signed partner link belongs to the partner; anyone else holds a forged one."""
    return world.partner_token if role == "partner_a" else "forged-link-token"


def _partner_pages(suffix, home):
    """The three partner pages below `home` (a path builder), as forums.urls names them."""
    return {
        f"forums:partner_home{suffix}": ("get", home, None, {"partner_a"}),
        f"forums:partner_summary{suffix}": (
            "get",
            lambda w, r: f"{home(w, r)}forums/{w.forum.pk}/",
            None,
            {"partner_a"},
        ),
        f"forums:partner_pdf{suffix}": (
            "get",
            lambda w, r: f"{home(w, r)}forums/{w.forum.pk}/summary.pdf",
            None,
            {"partner_a"},
        ),
        f"forums:partner_answers{suffix}": (
            "get",
            lambda w, r: f"{home(w, r)}answers/",
            None,
            {"partner_a"},
        ),
        f"forums:partner_answer{suffix}": (
            "get",
            lambda w, r: f"{home(w, r)}answers/{w.addressed.pk}/",
            None,
            {"partner_a"},
        ),
        f"forums:partner_commitment_add{suffix}": (
            "post",
            lambda w, r: f"{home(w, r)}answers/{w.addressed.pk}/commitments/",
            lambda w: {"what": "Guichet", "by_whom": "Service", "due_on": "2027-03-01"},
            {"partner_a"},
        ),
        f"forums:partner_proposal_answer{suffix}": (
            "get",
            lambda w, r: f"{home(w, r)}proposals/{w.accepted_proposal.pk}/",
            None,
            {"partner_a"},
        ),
        f"forums:partner_proposal_commitment_add{suffix}": (
            "post",
            lambda w, r: f"{home(w, r)}proposals/{w.accepted_proposal.pk}/commitments/",
            lambda w: {"what": "Local prêté", "by_whom": "Commune", "due_on": "2027-03-01"},
            {"partner_a"},
        ),
        f"forums:partner_commitment_update{suffix}": (
            "post",
            lambda w, r: f"{home(w, r)}commitments/{w.commitment.pk}/updates/",
            lambda w: {"state": "in_progress", "note": "Ouvert"},
            {"partner_a"},
        ),
        f"forums:partner_document{suffix}": (
            "get",
            lambda w, r: f"{home(w, r)}updates/{w.update.pk}/document",
            None,
            {"partner_a"},
        ),
    }


# (kind, name) -> (method, path builder, body builder or None, allowed roles)
# Path builders take (world, role); bodies take world.
PAGES = {
    "set_language": ("post", lambda w, r: "/i18n/setlang/", lambda w: {"language": "fr"}, EVERYONE),
    "api-v1:openapi-json": ("get", lambda w, r: "/api/v1/openapi.json", None, EVERYONE),
    "api-v1:openapi-view": ("get", lambda w, r: "/api/v1/docs", None, EVERYONE),
    "core:home": ("get", lambda w, r: "/", None, EVERYONE),
    "core:health": ("get", lambda w, r: "/healthz", None, EVERYONE),
    "core:favicon": ("get", lambda w, r: "/favicon.ico", None, EVERYONE),
    "core:login": ("get", lambda w, r: "/login/", None, EVERYONE),
    # Signing out always ends on the login page, which `outcome` reads as "denied" for everyone.
    "core:logout": ("post", lambda w, r: "/logout/", lambda w: {}, set()),
    "events:organizer_home": ("get", lambda w, r: "/organizer/", None, STAFF),
    "admin_login": ("get", lambda w, r: "/admin/login/", None, EVERYONE),
    "events:public_list": ("get", lambda w, r: "/events/", None, EVERYONE),
    "events:register": ("get", lambda w, r: f"/events/{w.event.pk}/register/", None, EVERYONE),
    "events:badges": ("get", lambda w, r: f"/events/{w.event.pk}/badges.pdf", None, ADMIN_A),
    # The unguessable link is the participant's credential: whoever holds it sees the page.
    "events:registration": (
        "get",
        lambda w, r: w.ticket.attendee.registration.get_absolute_url(),
        None,
        EVERYONE,
    ),
    "events:ticket": ("get", lambda w, r: f"/tickets/{w.ticket.secret}/", None, EVERYONE),
    "events:ticket_qr_png": (
        "get",
        lambda w, r: f"/tickets/{w.ticket.secret}/qr.png",
        None,
        EVERYONE,
    ),
    "events:ticket_qr_svg": (
        "get",
        lambda w, r: f"/tickets/{w.ticket.secret}/qr.svg",
        None,
        EVERYONE,
    ),
    # The card page is a bearer link, like a ticket page.
    "participants_cards:card": ("get", lambda w, r: f"/cards/{w.card.secret}/", None, EVERYONE),
    "participants_cards:card_qr_png": (
        "get",
        lambda w, r: f"/cards/{w.card.secret}/qr.png",
        None,
        EVERYONE,
    ),
    "participants_cards:manage": (
        "get",
        lambda w, r: f"/organizer/participants/{w.participant.pk}/card/",
        None,
        ADMIN_A,
    ),
    "participants_cards:action": (
        "post",
        lambda w, r: f"/organizer/participants/{w.participant.pk}/card/reissue/",
        lambda w: {},
        ADMIN_A,
    ),
    "notifications:participant_card_send": (
        "post",
        lambda w, r: f"/organizer/participants/{w.participant.pk}/send-card/",
        lambda w: {"channel": "sms"},
        ADMIN_A,
    ),
    "participants_cards:print": (
        "get",
        lambda w, r: f"/organizer/participants/{w.participant.pk}/card.pdf",
        None,
        ADMIN_A,
    ),
    # The scanner page is a shell: it does nothing without a door token.
    "attendance:scanner": ("get", lambda w, r: "/scan/", None, EVERYONE),
    "attendance:scanner_sw": ("get", lambda w, r: "/scan/sw.js", None, EVERYONE),
    "attendance:scanner_manifest": (
        "get",
        lambda w, r: "/scan/manifest.webmanifest",
        None,
        EVERYONE,
    ),
    # Links sent to a participant by SMS/e-mail: the signed token is their credential.
    "notifications:opt_out": (
        "get",
        lambda w, r: f"/stop/{_opt_out_token(w)}/",
        None,
        EVERYONE,
    ),
    "notifications:feedback": (
        "get",
        lambda w, r: f"/feedback/{_feedback_token(w)}/",
        None,
        EVERYONE,
    ),
    "notifications:event_messages": (
        "get",
        lambda w, r: f"/organizer/events/{w.event.pk}/messages/",
        None,
        ADMIN_A,
    ),
    "notifications:event_messages_send": (
        "get",
        lambda w, r: f"/organizer/events/{w.event.pk}/messages/send/",
        None,
        ADMIN_A,
    ),
    "notifications:inbox_answer": (
        "post",
        lambda w, r: f"/organizer/events/{w.event.pk}/messages/inbox/{_inbound(w).pk}/",
        lambda w: {"action": "handled"},
        ADMIN_A,
    ),
    "attendance:door_index": ("get", lambda w, r: "/door/", None, STAFF),
    "attendance:session_door": (
        "get",
        lambda w, r: f"/door/sessions/{w.session.pk}/",
        None,
        ADMIN_A,
    ),
    "attendance:door_panel": (
        "get",
        lambda w, r: f"/door/events/{w.event.pk}/panel/",
        None,
        ADMIN_A,
    ),
    "attendance:door_panel_data": (
        "get",
        lambda w, r: f"/door/events/{w.event.pk}/panel.json",
        None,
        ADMIN_A,
    ),
    "attendance:undo_admission": (
        "post",
        lambda w, r: f"/door/sessions/{w.session.pk}/undo/{w.attendance.pk}/",
        lambda w: {"reason": "Scanned by mistake"},
        ADMIN_A,
    ),
    "attendance:paper_list": (
        "get",
        lambda w, r: f"/door/sessions/{w.session.pk}/paper-list.pdf",
        None,
        ADMIN_A,
    ),
    "attendance:paper_marks": (
        "get",
        lambda w, r: f"/door/sessions/{w.session.pk}/paper/",
        None,
        ADMIN_A,
    ),
    "attendance:class_headcount": (
        "get",
        lambda w, r: f"/door/sessions/{w.session.pk}/class-headcount/",
        None,
        ADMIN_A,
    ),
    "reporting:programme_dashboard": (
        "get",
        lambda w, r: f"/organizer/programmes/{w.programme.pk}/figures/",
        None,
        ADMIN_A,
    ),
    "reporting:programme_figures_csv": (
        "get",
        lambda w, r: f"/organizer/programmes/{w.programme.pk}/figures.csv",
        None,
        ADMIN_A,
    ),
    "reporting:programme_figures_xlsx": (
        "get",
        lambda w, r: f"/organizer/programmes/{w.programme.pk}/figures.xlsx",
        None,
        ADMIN_A,
    ),
    "reporting:event_dashboard": (
        "get",
        lambda w, r: f"/organizer/events/{w.event.pk}/figures/",
        None,
        ADMIN_A,
    ),
    "reporting:event_attendance_list_export": (
        "get",
        lambda w, r: f"/organizer/events/{w.event.pk}/attendance.csv",
        None,
        ADMIN_A,
    ),
    # Scoped lists: NGO B's organizer sees an empty queue and history.
    "participants:duplicates": (
        "get",
        lambda w, r: "/organizer/participants/duplicates/",
        None,
        STAFF,
    ),
    "participants:merges": ("get", lambda w, r: "/organizer/participants/merges/", None, STAFF),
    "participants:candidate_merge": (
        "post",
        lambda w, r: f"/organizer/participants/duplicates/{w.candidate.pk}/merge/",
        lambda w: {"keep": w.candidate.first_id},
        ADMIN_A,
    ),
    "participants:candidate_distinct": (
        "post",
        lambda w, r: f"/organizer/participants/duplicates/{w.distinct_candidate.pk}/distinct/",
        lambda w: {},
        ADMIN_A,
    ),
    "participants:merge_undo": (
        "post",
        lambda w, r: f"/organizer/participants/merges/{w.participant_merge.pk}/undo/",
        lambda w: {},
        ADMIN_A,
    ),
    "participants:participant": (
        "get",
        lambda w, r: f"/organizer/participants/{w.candidate.first_id}/",
        None,
        ADMIN_A,
    ),
    "forums:rapporteur": (
        "get",
        lambda w, r: f"/forums/{w.forum.pk}/rapporteur/",
        None,
        ADMIN_A | {"rapporteur_a"},
    ),
    "forums:manage": ("get", lambda w, r: f"/forums/{w.forum.pk}/manage/", None, ADMIN_A),
    "forums:recommendation_edit": (
        "get",
        lambda w, r: f"/forums/{w.forum.pk}/manage/recommendations/{w.recommendation.pk}/",
        None,
        ADMIN_A,
    ),
    "forums:recommendation_action": (
        "post",
        lambda w, r: f"/forums/{w.forum.pk}/manage/recommendations/{w.recommendation.pk}/reject/",
        lambda w: {},
        ADMIN_A,
    ),
    "forums:summary_new": (
        "post",
        lambda w, r: f"/forums/{w.forum.pk}/manage/summary/",
        lambda w: {},
        ADMIN_A,
    ),
    "forums:summary_preview": (
        "get",
        lambda w, r: _summary_path(w, "preview/"),
        None,
        ADMIN_A,
    ),
    "forums:summary_preview_pdf": (
        "get",
        lambda w, r: _summary_path(w, f"preview.pdf?{_partner_copy(w)}"),
        None,
        ADMIN_A,
    ),
    "forums:summary_preview_html": (
        "get",
        lambda w, r: _summary_path(w, f"preview.html?{_partner_copy(w)}"),
        None,
        ADMIN_A,
    ),
    "forums:summary_send": (
        "post",
        lambda w, r: _summary_path(w, "send/"),
        lambda w: {"sha256": w.forum.forum_summaries.latest("number").sha256},
        ADMIN_A,
    ),
    "forums:summary_delivery_retry": (
        "post",
        lambda w, r: (
            f"/forums/{w.forum.pk}/manage/summary/"
            f"{w.forum.forum_summaries.latest('number').pk}/retry/"
        ),
        lambda w: {},
        ADMIN_A,
    ),
    "forums:summary": ("get", lambda w, r: f"/forums/{w.forum.pk}/summary/", None, ADMIN_A),
    # Staff get the stored PDF; a partner is sent on to their own personalised copy.
    "forums:summary_pdf": (
        "get",
        lambda w, r: f"/forums/{w.forum.pk}/summary.pdf",
        None,
        ADMIN_A | {"partner_a"},
    ),
    "forums:screen": (
        "get",
        lambda w, r: f"/forums/{w.forum.pk}/screen/",
        None,
        ADMIN_A | {"rapporteur_a"},
    ),
    "forums:followup": ("get", lambda w, r: f"/forums/{w.forum.pk}/followup/", None, ADMIN_A),
    # The forum opted into its public follow-up page: no personal data on it, open to all.
    "forums:followup_public": (
        "get",
        lambda w, r: f"/forums/{w.forum.pk}/followup/public/",
        None,
        EVERYONE,
    ),
    "forums:followup_report_new": (
        "post",
        lambda w, r: f"/forums/{w.forum.pk}/manage/followup-report/",
        lambda w: {},
        ADMIN_A,
    ),
    "forums:followup_report_preview": (
        "get",
        lambda w, r: _followup_path(w, "preview/"),
        None,
        ADMIN_A,
    ),
    "forums:followup_report_pdf": ("get", lambda w, r: _followup_path(w, "ar.pdf"), None, ADMIN_A),
    "forums:followup_report_html": (
        "get",
        lambda w, r: _followup_path(w, "en.html"),
        None,
        ADMIN_A,
    ),
    "forums:followup_report_send": (
        "post",
        lambda w, r: _followup_path(w, "send/"),
        lambda w: {"sha256": w.forum.followup_reports.latest("number").sha256},
        ADMIN_A,
    ),
    "forums:organizer_document": (
        "get",
        lambda w, r: f"/forums/{w.forum.pk}/manage/updates/{w.update.pk}/document",
        None,
        ADMIN_A,
    ),
    "forums:programme_followup": (
        "get",
        lambda w, r: f"/forums/programmes/{w.programme.pk}/followup/",
        None,
        ADMIN_A,
    ),
    "forums:programme_network": (
        "get",
        lambda w, r: f"/forums/programmes/{w.programme.pk}/network/",
        None,
        ADMIN_A,
    ),
    # The room's link and QR code are the credential of a knowledge check: public by design,
    # as the questions' pictures and recordings are.
    "assessments:answer": (
        "get",
        lambda w, r: f"/checks/{w.knowledge_check.room_token}/",
        None,
        EVERYONE,
    ),
    "assessments:room_qr": (
        "get",
        lambda w, r: f"/checks/{w.knowledge_check.room_token}/qr.png",
        None,
        EVERYONE,
    ),
    "assessments:media": (
        "get",
        lambda w, r: (
            f"/checks/media/question/{w.knowledge_check.question_set.questions.first().pk}/picture"
        ),
        None,
        EVERYONE,
    ),
    "assessments:results_event": (
        "get",
        lambda w, r: f"/organizer/events/{w.event.pk}/checks/",
        None,
        ADMIN_A,
    ),
    "assessments:results_programme": (
        "get",
        lambda w, r: f"/organizer/programmes/{w.programme.pk}/checks/",
        None,
        ADMIN_A,
    ),
    "assessments:paper_sheet": (
        "get",
        lambda w, r: f"/organizer/checks/{w.knowledge_check.pk}/sheet/",
        None,
        ADMIN_A,
    ),
    "assessments:paper_grid": (
        "get",
        lambda w, r: f"/organizer/checks/{w.knowledge_check.pk}/grid/",
        None,
        ADMIN_A,
    ),
    # Participants endorse from their phone with their ticket code: public by design.
    # Participants propose and endorse from their phone with their code: public by design.
    "proposals:participate": (
        "get",
        lambda w, r: f"/propose/{w.event.pk}/",
        None,
        EVERYONE,
    ),
    # Facilitators (the organising NGO's rapporteurs) type in at a table.
    "proposals:table": (
        "get",
        lambda w, r: f"/propose/{w.event.pk}/table/",
        None,
        ADMIN_A | {"rapporteur_a"},
    ),
    "proposals:manage": (
        "get",
        lambda w, r: f"/organizer/events/{w.event.pk}/proposals/",
        None,
        ADMIN_A,
    ),
    "proposals:photo": (
        "get",
        lambda w, r: f"/organizer/events/{w.event.pk}/proposals/{w.proposal.pk}/photo/",
        None,
        ADMIN_A,
    ),
    "proposals:action": (
        "post",
        lambda w, r: f"/organizer/events/{w.event.pk}/proposals/{w.proposal.pk}/accept/",
        lambda w: {},
        ADMIN_A,
    ),
    "forums:endorse": ("get", lambda w, r: f"/forums/{w.forum.pk}/endorse/", None, EVERYONE),
    # The partner pages, reached with the partner's session or with a partner link's token.
    **_partner_pages("_session", lambda w, r: "/partners/"),
    **_partner_pages("", lambda w, r: f"/partners/link/{_link_token(w, r)}/"),
}

API = {
    "GET /programmes/{programme_id}/knowledge-checks": (
        lambda w: f"/programmes/{w.programme.pk}/knowledge-checks?shared=true",
        None,
        ADMIN_A,
    ),
    # The room token is the credential; the body names a code of this event or nobody.
    "GET /checks/{token}": (lambda w: f"/checks/{w.knowledge_check.room_token}", None, EVERYONE),
    "POST /checks/{token}/submissions": (
        lambda w: f"/checks/{w.knowledge_check.room_token}/submissions",
        lambda w: {
            "client_id": str(uuid.uuid4()),
            "gender": "female",
            "age_band": "25-59",
            "profile": "migrant",
            "answers": [],
        },
        EVERYONE,
    ),
    # Proposals: participants with their code (public), facilitators, organizers.
    "GET /events/{event_id}/call": (lambda w: f"/events/{w.event.pk}/call", None, EVERYONE),
    "PUT /events/{event_id}/call": (
        lambda w: f"/events/{w.event.pk}/call",
        lambda w: {"is_open": True, "themes": [{"name_fr": "Santé"}]},
        ADMIN_A,
    ),
    "POST /events/{event_id}/proposals": (
        lambda w: f"/events/{w.event.pk}/proposals",
        _proposal_body,
        EVERYONE,
    ),
    "GET /events/{event_id}/proposals": (
        lambda w: f"/events/{w.event.pk}/proposals",
        None,
        ADMIN_A,
    ),
    "POST /events/{event_id}/proposals/table": (
        lambda w: f"/events/{w.event.pk}/proposals/table",
        lambda w: _proposal_body(w, title="Typed at the table"),
        ADMIN_A | {"rapporteur_a"},
    ),
    "POST /events/{event_id}/proposals/group": (
        lambda w: f"/events/{w.event.pk}/proposals/group",
        lambda w: {
            **_proposal_body(w, title="A group's idea"),
            "counts": [{"gender": "female", "age_band": "18-24", "count": 3}],
        },
        ADMIN_A | {"rapporteur_a"},
    ),
    "POST /proposals/{proposal_id}/endorsements": (
        lambda w: f"/proposals/{w.accepted_proposal.pk}/endorsements",
        lambda w: {"code": w.ticket.short_code},
        EVERYONE,
    ),
    "POST /proposals/{proposal_id}/accept": (
        lambda w: f"/proposals/{w.proposal.pk}/accept",
        lambda w: {},
        ADMIN_A,
    ),
    "POST /proposals/{proposal_id}/reject": (
        lambda w: f"/proposals/{w.proposal.pk}/reject",
        lambda w: {"reason": "Hors sujet"},
        ADMIN_A,
    ),
    "POST /proposals/{proposal_id}/merge": (
        lambda w: f"/proposals/{w.proposal.pk}/merge",
        lambda w: {"into_id": w.accepted_proposal.pk},
        ADMIN_A,
    ),
    "PUT /proposals/{proposal_id}/addressees": (
        lambda w: f"/proposals/{w.accepted_proposal.pk}/addressees",
        lambda w: {
            "organization_ids": list(
                w.accepted_proposal.addressees.values_list("organization_id", flat=True)
            )
        },
        ADMIN_A,
    ),
    "GET /organizations": (lambda w: "/organizations", None, STAFF),
    "POST /organizations": (
        lambda w: "/organizations",
        lambda w: {"name": f"New org {uuid.uuid4().hex[:6]}", "kind": "ngo"},
        {"administrator"},
    ),
    "PATCH /organizations/{organization_id}": (
        lambda w: f"/organizations/{w.org_a.pk}",
        lambda w: {"city": "Oujda"},
        {"administrator"},
    ),
    "GET /programmes": (lambda w: "/programmes", None, STAFF),
    "POST /programmes": (
        lambda w: "/programmes",
        lambda w: {
            "code": "new-prog",
            "name": "New programme",
            "lead_organization_id": w.org_a.pk,
            "start_date": "2026-01-01",
            "end_date": "2027-12-31",
        },
        ADMIN_A,
    ),
    "GET /programmes/{programme_id}": (lambda w: f"/programmes/{w.programme.pk}", None, ADMIN_A),
    "PATCH /programmes/{programme_id}": (
        lambda w: f"/programmes/{w.programme.pk}",
        lambda w: {"name": "Renamed"},
        ADMIN_A,
    ),
    "POST /programmes/{programme_id}/targets": (
        lambda w: f"/programmes/{w.programme.pk}/targets",
        lambda w: {"measure": "attendances", "value": 10},
        ADMIN_A,
    ),
    "PUT /targets/{target_id}": (
        lambda w: f"/targets/{w.target.pk}",
        lambda w: {"measure": "people_reached", "value": 900},
        ADMIN_A,
    ),
    "DELETE /targets/{target_id}": (lambda w: f"/targets/{w.target.pk}", None, ADMIN_A),
    "GET /events": (lambda w: "/events", None, STAFF),
    "POST /events": (
        lambda w: "/events",
        lambda w: {
            "programme_id": w.programme.pk,
            "organizer_id": w.org_a.pk,
            "kind": "conviviality_meeting",
            "title": "New meeting",
            "start_date": str(TODAY),
            "end_date": str(TODAY),
        },
        ADMIN_A,
    ),
    "GET /events/{event_id}": (lambda w: f"/events/{w.event.pk}", None, ADMIN_A),
    "PATCH /events/{event_id}": (
        lambda w: f"/events/{w.event.pk}",
        lambda w: {"title": "X"},
        ADMIN_A,
    ),
    "POST /events/{event_id}/status": (
        lambda w: f"/events/{w.event.pk}/status",
        lambda w: {"status": "cancelled"},
        ADMIN_A,
    ),
    "POST /events/{event_id}/duplicate": (
        lambda w: f"/events/{w.event.pk}/duplicate",
        lambda w: {},
        ADMIN_A,
    ),
    "GET /events/{event_id}/sessions": (lambda w: f"/events/{w.event.pk}/sessions", None, ADMIN_A),
    "POST /events/{event_id}/sessions": (
        lambda w: f"/events/{w.event.pk}/sessions",
        lambda w: {
            "date": str(TODAY),
            "start_time": "14:00",
            "end_time": "15:00",
            "venue_id": w.venue.pk,
        },
        ADMIN_A,
    ),
    "PATCH /sessions/{session_id}": (
        lambda w: f"/sessions/{w.session.pk}",
        lambda w: {"title": "Morning"},
        ADMIN_A,
    ),
    "DELETE /sessions/{session_id}": (lambda w: f"/sessions/{w.session.pk}", None, ADMIN_A),
    "GET /events/{event_id}/registrations": (
        lambda w: f"/events/{w.event.pk}/registrations",
        None,
        ADMIN_A,
    ),
    "POST /events/{event_id}/registrations": (
        lambda w: f"/events/{w.event.pk}/registrations",
        lambda w: {"contact": _person(), "consent_register": True},
        ADMIN_A,
    ),
    "POST /events/{event_id}/registrations/import": (
        lambda w: f"/events/{w.event.pk}/registrations/import",
        "multipart",
        ADMIN_A,
    ),
    "POST /participants/{participant_id}/erase": (
        lambda w: f"/participants/{_participant(w).pk}/erase",
        None,
        ADMIN_A,
    ),
    "POST /tickets/{ticket_id}/cancel": (lambda w: f"/tickets/{w.ticket.pk}/cancel", None, ADMIN_A),
    "POST /tickets/{ticket_id}/reissue": (
        lambda w: f"/tickets/{w.ticket.pk}/reissue",
        None,
        ADMIN_A,
    ),
    "GET /checkin/me": (lambda w: "/checkin/me", None, DOOR),
    "POST /checkin/scan": (
        lambda w: "/checkin/scan",
        lambda w: {"text": w.ticket.secret, "session_id": w.session.pk, "nonce": str(uuid.uuid4())},
        DOOR,
    ),
    "POST /checkin/group-admit": (
        lambda w: "/checkin/group-admit",
        lambda w: {
            "text": w.ticket.secret,
            "session_id": w.session.pk,
            "ticket_ids": [w.ticket.pk],
            "nonce": str(uuid.uuid4()),
        },
        DOOR,
    ),
    "POST /checkin/heartbeat": (
        lambda w: "/checkin/heartbeat",
        lambda w: {"device_id": "phone", "session_id": w.session.pk, "unsynced": 0},
        DOOR,
    ),
    "GET /checkin/lookup": (
        lambda w: f"/checkin/lookup?session_id={w.session.pk}&q=Am",
        None,
        DOOR,
    ),
    "POST /checkin/walk-in": (
        lambda w: "/checkin/walk-in",
        lambda w: {
            "session_id": w.session.pk,
            "nonce": str(uuid.uuid4()),
            "gender": "male",
            "age_band": "18-24",
        },
        DOOR,
    ),
    "POST /checkin/class-tally": (
        lambda w: "/checkin/class-tally",
        lambda w: {
            "session_id": w.session.pk,
            "nonce": str(uuid.uuid4()),
            "groups": [{"gender": "female", "age_band": "5-11", "count": 12}],
        },
        DOOR,
    ),
    "GET /checkin/sessions/{session_id}/counts": (
        lambda w: f"/checkin/sessions/{w.session.pk}/counts",
        None,
        DOOR,
    ),
    "GET /checkin/offline-pack": (
        lambda w: f"/checkin/offline-pack?event_id={w.event.pk}",
        None,
        DOOR,
    ),
    "POST /checkin/sync": (
        lambda w: "/checkin/sync",
        lambda w: {
            "items": [
                {
                    "type": "scan",
                    "text": w.ticket.secret,
                    "session_id": w.session.pk,
                    "nonce": str(uuid.uuid4()),
                    "client_time": DOOR_OPEN.isoformat(),
                }
            ]
        },
        DOOR,
    ),
    # Only the SMS provider holds its shared secret: no role here may call it.
    "POST /notifications/sms/inbound": (
        lambda w: "/notifications/sms/inbound",
        lambda w: {"sender": "+212600000000", "text": "STOP"},
        NOBODY,
    ),
    # Provider callbacks: authenticated by the app secret's signature or a shared secret that
    # no role here holds, so every role is refused (403).
    "GET /notifications/whatsapp/webhook": (
        lambda w: "/notifications/whatsapp/webhook?hub.mode=subscribe&hub.challenge=1",
        None,
        NOBODY,
    ),
    "POST /notifications/whatsapp/webhook": (
        lambda w: "/notifications/whatsapp/webhook",
        lambda w: {"object": "whatsapp_business_account", "entry": []},
        NOBODY,
    ),
    "POST /notifications/sms/delivery-report": (
        lambda w: "/notifications/sms/delivery-report",
        lambda w: {"id": "sms-1", "status": "delivered"},
        NOBODY,
    ),
    "GET /participants/duplicates": (lambda w: "/participants/duplicates", None, STAFF),
    "POST /participants/duplicates/{candidate_id}/merge": (
        lambda w: f"/participants/duplicates/{w.candidate.pk}/merge",
        lambda w: {"keep_id": w.candidate.second_id},
        ADMIN_A,
    ),
    "POST /participants/duplicates/{candidate_id}/distinct": (
        lambda w: f"/participants/duplicates/{w.distinct_candidate.pk}/distinct",
        lambda w: {},
        ADMIN_A,
    ),
    "POST /participant-merges/{merge_id}/undo": (
        lambda w: f"/participant-merges/{w.participant_merge.pk}/undo",
        None,
        ADMIN_A,
    ),
    "GET /participants/{participant_id}": (
        lambda w: f"/participants/{w.candidate.first_id}",
        None,
        ADMIN_A,
    ),
    "GET /programmes/{programme_id}/figures": (
        lambda w: f"/programmes/{w.programme.pk}/figures",
        None,
        ADMIN_A,
    ),
    "GET /events/{event_id}/figures": (lambda w: f"/events/{w.event.pk}/figures", None, ADMIN_A),
    "GET /forums": (lambda w: "/forums", None, STAFF),
    "GET /forums/{event_id}/themes": (lambda w: f"/forums/{w.forum.pk}/themes", None, ADMIN_A),
    "GET /forums/{event_id}/workshops": (
        lambda w: f"/forums/{w.forum.pk}/workshops",
        None,
        ADMIN_A,
    ),
    "POST /forums/{event_id}/rapporteurs": (
        lambda w: f"/forums/{w.forum.pk}/rapporteurs",
        lambda w: {"user_id": w.other_user.pk},
        ADMIN_A,
    ),
    "GET /forums/{event_id}/recommendations": (
        lambda w: f"/forums/{w.forum.pk}/recommendations",
        None,
        ADMIN_A,
    ),
    "POST /forums/{event_id}/recommendations": (
        lambda w: f"/forums/{w.forum.pk}/recommendations",
        lambda w: {"theme_id": w.theme.pk, "text": "Open a desk", "language": "fr"},
        ADMIN_A,
    ),
    "GET /recommendations/{recommendation_id}": (
        lambda w: f"/recommendations/{w.recommendation.pk}",
        None,
        ADMIN_A,
    ),
    "PATCH /recommendations/{recommendation_id}": (
        lambda w: f"/recommendations/{w.recommendation.pk}",
        lambda w: {"priority": 1},
        ADMIN_A,
    ),
    "DELETE /recommendations/{recommendation_id}": (
        lambda w: f"/recommendations/{w.recommendation.pk}",
        None,
        ADMIN_A,
    ),
    "POST /recommendations/{recommendation_id}/adopt": (
        lambda w: f"/recommendations/{w.recommendation.pk}/adopt",
        None,
        ADMIN_A,
    ),
    "POST /recommendations/{recommendation_id}/reject": (
        lambda w: f"/recommendations/{w.recommendation.pk}/reject",
        None,
        ADMIN_A,
    ),
    "POST /recommendations/{recommendation_id}/merge": (
        lambda w: f"/recommendations/{w.recommendation.pk}/merge",
        lambda w: {"into_id": w.other_recommendation.pk},
        ADMIN_A,
    ),
    "POST /forums/{event_id}/summaries": (
        lambda w: f"/forums/{w.forum.pk}/summaries",
        lambda w: {},
        ADMIN_A,
    ),
    "POST /forums/{event_id}/summaries/{version}/release": (
        lambda w: f"/forums/{w.forum.pk}/summaries/1/release",
        lambda w: {"sha256": w.forum.forum_summaries.latest("number").sha256},
        ADMIN_A,
    ),
    "GET /participants/{participant_id}/card": (
        lambda w: f"/participants/{w.participant.pk}/card",
        None,
        ADMIN_A,
    ),
    "POST /participants/{participant_id}/card": (
        lambda w: f"/participants/{w.participant.pk}/card",
        None,
        ADMIN_A,
    ),
    "POST /participants/{participant_id}/card/reissue": (
        lambda w: f"/participants/{w.participant.pk}/card/reissue",
        None,
        ADMIN_A,
    ),
    "POST /participants/{participant_id}/card/send": (
        lambda w: f"/participants/{w.participant.pk}/card/send",
        lambda w: {"channel": "sms"},
        ADMIN_A,
    ),
    "POST /participants/{participant_id}/card/revoke": (
        lambda w: f"/participants/{w.participant.pk}/card/revoke",
        None,
        ADMIN_A,
    ),
    # The institutions' answers: the partner of the organisation addressed, alone, answers;
    # the forum's organizers read the follow-up (tests/forums/test_api_responses.py has the
    # partner of another organisation).
    "GET /partner/addressed": (lambda w: "/partner/addressed", None, {"partner_a"}),
    "GET /partner/addressed/{kind}/{subject_id}/response": (
        lambda w: f"/partner/addressed/recommendation/{w.addressed.pk}/response",
        None,
        {"partner_a"},
    ),
    "PUT /partner/addressed/{kind}/{subject_id}/response": (
        lambda w: f"/partner/addressed/recommendation/{w.addressed.pk}/response",
        lambda w: {"position": "accepted", "reasons": "Matrix"},
        {"partner_a"},
    ),
    "POST /partner/addressed/{kind}/{subject_id}/commitments": (
        lambda w: f"/partner/addressed/recommendation/{w.addressed.pk}/commitments",
        lambda w: {"what": "Guichet", "by_whom": "Service", "due_on": "2027-03-01"},
        {"partner_a"},
    ),
    "POST /partner/commitments/{commitment_id}/updates": (
        lambda w: f"/partner/commitments/{w.commitment.pk}/updates",
        lambda w: {"state": "in_progress", "note": "Matrix"},
        {"partner_a"},
    ),
    "GET /forums/{event_id}/followup": (lambda w: f"/forums/{w.forum.pk}/followup", None, ADMIN_A),
    "GET /forums/{event_id}/followup/overdue": (
        lambda w: f"/forums/{w.forum.pk}/followup/overdue",
        None,
        ADMIN_A,
    ),
    "GET /forums/programmes/{programme_id}/followup": (
        lambda w: f"/forums/programmes/{w.programme.pk}/followup",
        None,
        ADMIN_A,
    ),
    "GET /forums/programmes/{programme_id}/followup/overdue": (
        lambda w: f"/forums/programmes/{w.programme.pk}/followup/overdue",
        None,
        ADMIN_A,
    ),
    "GET /forums/{event_id}/summary": (
        lambda w: f"/forums/{w.forum.pk}/summary",
        None,
        ADMIN_A | {"partner_a"},
    ),
}


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _url_names(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else (pattern.name or str(pattern))


def enumerated_pages() -> set[str]:
    names = set()
    for name in _url_names(get_resolver().url_patterns):
        if name.startswith("admin:") or name.startswith("api-v1:"):
            continue  # admin: own test below; API operations: from the OpenAPI schema
        names.add(name)
    # The API's own documentation endpoints are pages too.
    return names | {"api-v1:openapi-json", "api-v1:openapi-view"}


def enumerated_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, operations in schema["paths"].items()
        for method in operations
    }


def test_every_endpoint_has_a_matrix_entry():
    assert enumerated_pages() == set(PAGES)
    assert enumerated_operations() == set(API)


def client_for(client, world: World, role: str):
    if role in world.users:
        client.force_login(world.users[role])
    return client


def outcome(client, response, headers) -> str:
    for _hop in range(3):
        assert response.status_code < 500, f"{response.status_code}: server error"
        if response.status_code in (301, 302, 303):
            location = response["Location"]
            if location.startswith(LOGIN_URL) or "/login/" in location:
                return "denied"
            response = client.get(location, **headers)
            continue
        break
    # 429: a provider callback slows down an address after repeated refused signatures.
    if response.status_code in (401, 403, 404, 429):
        return "denied"
    assert response.status_code in (200, 201, 204, 400, 409, 422), response.status_code
    return "allowed"


def _summary_path(world, rest: str) -> str:
    summary = world.forum.forum_summaries.latest("number")
    return f"/forums/{world.forum.pk}/manage/summary/{summary.pk}/{rest}"


def _followup_path(world, rest: str) -> str:
    report = world.forum.followup_reports.latest("number")
    return f"/forums/{world.forum.pk}/manage/followup-report/{report.pk}/{rest}"


def _partner_copy(world) -> str:
    return f"organization={world.forum.programme.partners.get().pk}&language=fr"


def _headers(world, role):
    return {"HTTP_AUTHORIZATION": f"Bearer {world.door_token}"} if role == "volunteer_a" else {}


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    # Closing the forum builds its summary after commit.
    with (
        time_machine.travel(DOOR_OPEN, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        built = build_world()
    # The organizer previewed the summary and sent it: partners see it in their portal.
    summary = built.forum.forum_summaries.get()
    summary_release(
        summary_id=summary.pk,
        previewed_sha256=summary.sha256,
        acknowledged=list(summary_warnings(summary)),
    )
    # The partner answered the recommendation addressed to it, with a commitment and an update.
    _partner_answered(built)
    from forums.followup_delivery import followup_report_build

    followup_report_build(event=built.forum)
    return built


def _partner_answered(world) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from forums.services_responses import commitment_add, commitment_update_add, response_submit

    contact = world.users["partner_a"].partner_contact
    response_submit(contact=contact, recommendation_id=world.addressed.pk, position="accepted")
    response_submit(contact=contact, proposal_id=world.accepted_proposal.pk, position="accepted")
    world.commitment = commitment_add(
        contact=contact,
        recommendation_id=world.addressed.pk,
        what="Guichet",
        by_whom="Service",
        due_on=TODAY + datetime.timedelta(days=60),
    )
    world.update = commitment_update_add(
        contact=contact,
        commitment_id=world.commitment.pk,
        state="in_progress",
        document=SimpleUploadedFile("note.pdf", b"%PDF-1.4 test"),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_matrix(client, world, name, role):
    method, path, body, allowed = PAGES[name]
    client = client_for(client, world, role)
    headers = _headers(world, role)
    with time_machine.travel(DOOR_OPEN, tick=False):
        if method == "get":
            response = client.get(path(world, role), **headers)
        else:
            response = client.post(path(world, role), body(world), **headers)
        result = outcome(client, response, headers)
    assert result == ("allowed" if role in allowed else "denied"), (name, role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(API))
def test_api_matrix(client, world, operation, role):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path, body, allowed = API[operation]
    method = operation.split()[0].lower()
    client = client_for(client, world, role)
    headers = _headers(world, role)
    url = "/api/v1" + path(world)
    with time_machine.travel(DOOR_OPEN, tick=False):
        if body == "multipart":
            upload = SimpleUploadedFile("people.csv", b"first_name,gender,age_band\n", "text/csv")
            response = client.post(url, {"file": upload}, **headers)
        elif method == "get":
            response = client.get(url, **headers)
        else:
            data = body(world) if body else {}
            response = getattr(client, method)(
                url, data, content_type="application/json", **headers
            )
        result = outcome(client, response, headers)
    assert result == ("allowed" if role in allowed else "denied"), (
        operation,
        role,
        response.content[:300],
    )


# The admin: every registered model's list is closed to people without a staff role; the
# organizer of NGO B cannot open NGO A's objects.
ADMIN_MODELS = sorted(
    f"{model._meta.app_label}/{model._meta.model_name}" for model in admin_site._registry
)


@pytest.mark.parametrize(
    "role", ["anonymous", "plain_user", "rapporteur_a", "partner_a", "volunteer_a"]
)
@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_lists_are_closed_to_non_staff(client, world, model, role):
    client = client_for(client, world, role)
    response = client.get(f"/admin/{model}/", **_headers(world, role))
    assert (
        outcome(client, response, {}) == "denied"
        or response.status_code == 200
        and (b'id="login-form"' in response.content)
    )


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_lists_open_to_administrators(client, world, model):
    client = client_for(client, world, "administrator")
    assert client.get(f"/admin/{model}/").status_code == 200


def _admin_objects(world):
    return {
        "events/event": world.event.pk,
        "events/registration": world.ticket.attendee.registration_id,
        "events/ticket": world.ticket.pk,
        "events/session": world.session.pk,
        "events/programme": world.programme.pk,
        "attendance/attendance": world.attendance.pk,
    }


@pytest.mark.parametrize("role,expected", [("organizer_a", 200), ("organizer_b", 302)])
def test_admin_object_pages_are_scoped_to_the_organizers_ngo(client, world, role, expected):
    from django.contrib.auth.models import Permission

    # Organizers use the admin with model permissions an administrator grants; the rows they
    # reach are still scoped by core.permissions.
    user = world.users[role]
    for model in _admin_objects(world):
        app_label, model_name = model.split("/")
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label=app_label, codename=f"change_{model_name}"
            )
        )
    client = client_for(client, world, role)
    for model, pk in _admin_objects(world).items():
        response = client.get(f"/admin/{model}/{pk}/change/")
        # Django's admin answers an object outside the queryset with a redirect to the index.
        assert response.status_code == expected, (model, role)
        if expected == 302:
            assert response["Location"] == "/admin/"


def test_organisations_are_read_only_in_the_admin_for_organizers(client, world):
    from django.contrib.auth.models import Permission

    # Even with every model permission on organisations, an organizer only reads them: they are
    # shared by all NGOs, and the API says the same (see API above).
    user = world.users["organizer_a"]
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="core", codename__endswith="organization"
        )
    )
    client = client_for(client, world, "organizer_a")
    org = world.org_a

    assert client.get("/admin/core/organization/").status_code == 200
    assert client.get("/admin/core/organization/add/").status_code == 403
    created = client.post("/admin/core/organization/add/", {"name": "Sneaky", "kind": "ngo"})
    assert created.status_code == 403
    changed = client.post(f"/admin/core/organization/{org.pk}/change/", {"name": "Renamed"})
    assert changed.status_code == 403
    assert (
        client.post(f"/admin/core/organization/{org.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    org.refresh_from_db()
    assert org.name == "NGO A"
    assert not type(org).objects.filter(name="Sneaky").exists()


def test_organizer_of_ngo_b_cannot_edit_ngo_a_event_through_the_api(client, world):
    client = client_for(client, world, "organizer_b")
    response = client.patch(
        f"/api/v1/events/{world.event.pk}", {"title": "Hijacked"}, content_type="application/json"
    )
    assert response.status_code == 404
    world.event.refresh_from_db()
    assert world.event.title != "Hijacked"
