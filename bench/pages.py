"""The pages people see, found in the `load_demo` data: one list for the accessibility and
touch-target browser tests, `bench/lighthouse.py` and `make screenshots`, so that a page added
here is checked by all of them.

Call `demo_pages()` after `load_demo`, in a process connected to the same database as the server
under test. It only reads, except for issuing one participant card when the demo has none (the
card page needs one)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse

# Demo accounts a page is seen with.
ORGANIZER = "organizer"
RAPPORTEUR = "rapporteur"

# Who sees each page. Known before any database exists, so tests can be parametrized by it;
# demo_pages() returns exactly these pages, in this order.
PARTICIPANT, DOOR, STAFF, PARTNER = "participant", "door", "organizer", "partner"
DEMO_PAGE_AUDIENCES = {
    "home": PARTICIPANT,
    "event list": PARTICIPANT,
    "registration": PARTICIPANT,
    "confirmation": PARTICIPANT,
    "group tickets": PARTICIPANT,
    "ticket": PARTICIPANT,
    "participant card": PARTICIPANT,
    "feedback": PARTICIPANT,
    "opt-out": PARTICIPANT,
    "forum endorsement": PARTICIPANT,
    "knowledge check": PARTICIPANT,
    "proposals": PARTICIPANT,
    "forum screen": STAFF,
    "scanner": DOOR,
    "scanner signed in": DOOR,
    "login": STAFF,
    "organizer home": STAFF,
    "door index": DOOR,
    "door panel": DOOR,
    "session door": DOOR,
    "paper list": DOOR,
    "class headcount": DOOR,
    "programme figures": STAFF,
    "event figures": STAFF,
    "messages": STAFF,
    "knowledge checks": STAFF,
    "paper sheets grid": STAFF,
    "send messages": STAFF,
    "duplicates": STAFF,
    "merges": STAFF,
    "card management": STAFF,
    "forum management": STAFF,
    "forum rapporteur": STAFF,
    "proposal moderation": STAFF,
    "proposal table": STAFF,
    "partner portal": PARTNER,
    "partner answers": PARTNER,
    "forum follow-up": STAFF,
    "admin event change": STAFF,
}
DEMO_PAGE_NAMES = tuple(DEMO_PAGE_AUDIENCES)


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    # The demo account to sign in as (ORGANIZER, RAPPORTEUR), or None for a public page.
    login: str | None = None

    @property
    def audience(self) -> str:
        return DEMO_PAGE_AUDIENCES[self.name]


def demo_pages() -> list[Page]:
    from assessments.models import CheckAssignment
    from attendance.demo import DEMO_DOOR_TOKEN
    from core.models import Contact
    from events.models import Event, EventKind, Registration, Session, Ticket
    from forums.partners import partner_link_token
    from notifications.tokens import feedback_token, registration_opt_out_token

    fair = Event.objects.filter(kind=EventKind.AFRICAN_FAIR).order_by("pk").first()
    school = Event.objects.filter(kind=EventKind.SCHOOL_CAMPAIGN, status="published").first()
    forum = Event.objects.filter(kind=EventKind.FORUM).order_by("pk").first()
    school_session = Session.objects.filter(event=school).order_by("pk").first()
    fair_session = Session.objects.filter(event=fair).order_by("pk").first()
    alone = Registration.objects.filter(kind=Registration.Kind.INDIVIDUAL).order_by("pk").first()
    household = Registration.objects.filter(kind=Registration.Kind.HOUSEHOLD).order_by("pk").first()
    reachable = Registration.objects.exclude(phone="").order_by("pk").first()
    ticket = Ticket.objects.filter(attendee__registration=alone).order_by("pk").first()
    card = _demo_card()
    check = CheckAssignment.objects.filter(event=fair, moment="pre").get()
    partner = Contact.objects.filter(organization__in=fair.programme.partners.all()).first()
    pages = [
        Page("home", "/"),
        Page("event list", reverse("events:public_list")),
        Page("registration", reverse("events:register", args=[fair.pk])),
        Page("confirmation", alone.get_absolute_url()),
        Page("group tickets", household.get_absolute_url()),
        Page("ticket", ticket.get_absolute_url()),
        Page(
            "participant card",
            reverse("participants_cards:card", args=[card.secret]),
        ),
        Page(
            "feedback",
            reverse("notifications:feedback", args=[feedback_token(ticket.pk)]),
        ),
        Page(
            "opt-out",
            reverse(
                "notifications:opt_out", args=[registration_opt_out_token(reachable.pk, "sms")]
            ),
        ),
        Page("forum endorsement", reverse("forums:endorse", args=[forum.pk])),
        Page("knowledge check", reverse("assessments:answer", args=[check.room_token])),
        Page("proposals", reverse("proposals:participate", args=[fair.pk])),
        Page("forum screen", reverse("forums:screen", args=[forum.pk]), ORGANIZER),
        Page("scanner", reverse("attendance:scanner")),
        Page("scanner signed in", f"{reverse('attendance:scanner')}#token={DEMO_DOOR_TOKEN}"),
        Page("login", reverse("core:login")),
        *(
            Page(name, reverse(url_name, args=args), ORGANIZER)
            for name, url_name, args in [
                ("organizer home", "events:organizer_home", []),
                ("door index", "attendance:door_index", []),
                ("door panel", "attendance:door_panel", [fair.pk]),
                ("session door", "attendance:session_door", [fair_session.pk]),
                ("paper list", "attendance:paper_marks", [fair_session.pk]),
                ("class headcount", "attendance:class_headcount", [school_session.pk]),
                ("programme figures", "reporting:programme_dashboard", [fair.programme_id]),
                ("event figures", "reporting:event_dashboard", [fair.pk]),
                ("messages", "notifications:event_messages", [fair.pk]),
                ("knowledge checks", "assessments:results_event", [fair.pk]),
                ("paper sheets grid", "assessments:paper_grid", [check.pk]),
                ("send messages", "notifications:event_messages_send", [fair.pk]),
                ("duplicates", "participants:duplicates", []),
                ("merges", "participants:merges", []),
                ("card management", "participants_cards:manage", [card.participant_id]),
                ("forum management", "forums:manage", [forum.pk]),
            ]
        ),
        Page(
            "forum rapporteur",
            reverse("forums:rapporteur", args=[forum.pk]),
            RAPPORTEUR,
        ),
        Page("proposal moderation", reverse("proposals:manage", args=[fair.pk]), ORGANIZER),
        Page("proposal table", reverse("proposals:table", args=[fair.pk]), ORGANIZER),
        Page(
            "partner portal",
            reverse("forums:partner_home", args=[partner_link_token(contact=partner)]),
        ),
        Page(
            "partner answers",
            reverse("forums:partner_answers", args=[partner_link_token(contact=partner)]),
        ),
        Page("forum follow-up", reverse("forums:followup", args=[forum.pk]), ORGANIZER),
        Page(
            "admin event change",
            reverse("admin:events_event_change", args=[fair.pk]),
            ORGANIZER,
        ),
    ]
    assert tuple(page.name for page in pages) == DEMO_PAGE_NAMES
    return pages


def _demo_card():
    from participants.models import Participant, ParticipantCard
    from participants.services.cards import card_issue

    card = ParticipantCard.objects.order_by("pk").first()
    if card is not None:
        return card
    participant = Participant.objects.order_by("pk").first()
    return card_issue(participant=participant, actor=demo_user(ORGANIZER))


def demo_user(login: str):
    from events.demo import DEMO_USERNAME
    from forums.demo import RAPPORTEUR_USERNAME

    username = {ORGANIZER: DEMO_USERNAME, RAPPORTEUR: RAPPORTEUR_USERNAME}[login]
    return get_user_model().objects.get(username=username)
