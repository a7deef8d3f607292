"""Realistic demo data from migrant-inclusion work in Oujda. Idempotent: everything is looked up by
a natural key before being created, so running it twice creates nothing twice. Dates are placed
relative to today so that the demo always has something upcoming."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from core.demographics import Profile
from core.models import Contact, Membership, Organization
from events.models import Event, EventKind, EventStatus, Measure, Programme, Session, Target, Venue

DEMO_USERNAME = "organisateur"
# A published demo login for local runs only; production never loads demo data.
DEMO_PASSWORD = "multaqa-demo-2026"  # noqa: S105
ORGANIZER_GROUP = "Organisateurs"


@dataclass
class DemoResult:
    username: str
    password: str
    created_objects: int


ORGANIZATIONS = [
    ("Association Oujda Terre d'Accueil", "AOTA", Organization.Kind.NGO, "fr"),
    ("Centre médico-social de l'Oriental", "CMSO", Organization.Kind.MEDICAL_SOCIAL, "fr"),
    ("Commune d'Oujda", "", Organization.Kind.COMMUNE, "ar"),
    ("Région de l'Oriental", "", Organization.Kind.REGION, "ar"),
    (
        "Direction provinciale de l'Éducation nationale",
        "DPEN",
        Organization.Kind.STATE_SERVICE,
        "ar",
    ),
    ("Collectif des communautés subsahariennes", "CCS", Organization.Kind.MIGRANT_COLLECTIVE, "fr"),
    ("Fonds pour l'inclusion et la cohésion", "FIC", Organization.Kind.DONOR, "en"),
]

VENUES = [
    ("Place du 16 Août", Venue.Kind.PUBLIC_SPACE, 2000),
    ("Complexe culturel Al Massira", Venue.Kind.CULTURAL_CENTRE, 400),
    ("École Ibn Sina", Venue.Kind.SCHOOL, 60),
    ("École Al Qods", Venue.Kind.SCHOOL, 60),
    ("École Annahda", Venue.Kind.SCHOOL, 60),
    ("Maison de quartier Lazaret", Venue.Kind.COMMUNITY_HALL, 80),
    ("Salle des conférences de la Région", Venue.Kind.INSTITUTION, 250),
]


class _Counter:
    def __init__(self):
        self.created = 0

    def get_or_create(self, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.created += int(created)
        return obj


@transaction.atomic
def demo_load(*, today: datetime.date | None = None) -> DemoResult:
    today = today or timezone.localdate()
    counter = _Counter()
    orgs = {
        acronym or name: counter.get_or_create(
            Organization,
            name=name,
            defaults={
                "acronym": acronym,
                "kind": kind,
                "city": "Oujda",
                "preferred_language": lang,
            },
        )
        for name, acronym, kind, lang in ORGANIZATIONS
    }
    ngo, health, donor = orgs["AOTA"], orgs["CMSO"], orgs["FIC"]
    commune, region, education = (
        orgs["Commune d'Oujda"],
        orgs["Région de l'Oriental"],
        orgs["DPEN"],
    )
    for org, name, role, email in [
        (
            commune,
            "Service des affaires sociales",
            "Chef de service",
            "social@commune-oujda.example",
        ),
        (
            region,
            "Direction du développement social",
            "Chargée de mission",
            "social@region.example",
        ),
        (education, "Bureau de la vie scolaire", "Responsable", "vie.scolaire@dpen.example"),
        (orgs["CCS"], "Coordination du collectif", "Porte-parole", "contact@ccs.example"),
    ]:
        counter.get_or_create(
            Contact,
            organization=org,
            name=name,
            defaults={"role": role, "email": email, "preferred_language": org.preferred_language},
        )
    venues = {
        name: counter.get_or_create(
            Venue, name=name, city="Oujda", defaults={"kind": kind, "capacity": capacity}
        )
        for name, kind, capacity in VENUES
    }

    start = today.replace(day=1) - datetime.timedelta(days=60)
    programme = counter.get_or_create(
        Programme,
        code="vivre-ensemble-oriental",
        defaults={
            "name": "Vivre ensemble dans l'Oriental",
            "description": "Inclusion des personnes migrantes par la culture, l'école et le dialogue "
            "avec les institutions, avec un partenaire médico-social.",
            "lead_organization": ngo,
            "start_date": start,
            "end_date": start + datetime.timedelta(days=540),
            "budget": 1_200_000,
        },
    )
    programme.donors.add(donor)
    programme.partners.add(health, commune, region, education, orgs["CCS"])
    for measure, value, field, share_value, pct in [
        (Measure.PEOPLE_REACHED, 800, "gender", "female", 50),
        (Measure.CHILDREN_REACHED, 30, "gender", "female", 35),
        (Measure.EVENTS_HELD, 12, "", "", None),
        (Measure.ATTENDANCES, 1500, "profile", "migrant", 40),
    ]:
        counter.get_or_create(
            Target,
            programme=programme,
            measure=measure,
            defaults={
                "value": value,
                "share_field": field,
                "share_value": share_value,
                "share_min_percent": pct,
            },
        )

    fair_day = today + datetime.timedelta(days=10)
    fair = _event(
        counter,
        programme,
        ngo,
        EventKind.AFRICAN_FAIR,
        "Foire africaine d'Oujda",
        "معرض إفريقيا بوجدة",
        "Oujda African Fair",
        fair_day,
        3,
        [(venues["Place du 16 Août"], datetime.time(10), datetime.time(19), "", "")],
        capacity=1500,
        co=[health, orgs["CCS"]],
        description="Trois jours de musique, cuisine, artisanat et stands d'information santé.",
    )
    schools = [venues["École Ibn Sina"], venues["École Al Qods"], venues["École Annahda"]]
    campaign_day = today + datetime.timedelta(days=3)
    campaign = _event(
        counter,
        programme,
        ngo,
        EventKind.SCHOOL_CAMPAIGN,
        "Campagne « Nos différences, notre richesse »",
        "حملة اختلافنا غنانا",
        "School campaign: our differences, our wealth",
        campaign_day,
        14,
        [
            (
                schools[i % 3],
                datetime.time(9),
                datetime.time(11),
                schools[i % 3].name,
                ["CE6", "1re année collège"][i % 2],
            )
            for i in range(6)
        ],
        capacity=180,
        co=[education],
    )
    meetings = []
    for week in range(3):
        meeting = _event(
            counter,
            programme,
            ngo,
            EventKind.CONVIVIALITY_MEETING,
            f"Rencontre conviviale des familles n°{week + 1}",
            f"لقاء ودي للأسر رقم {week + 1}",
            f"Family conviviality meeting #{week + 1}",
            today + datetime.timedelta(days=5 + 7 * week),
            1,
            [(venues["Maison de quartier Lazaret"], datetime.time(15), datetime.time(18), "", "")],
            capacity=60,
            co=[orgs["CCS"]],
        )
        meetings.append(meeting)
    forum = _event(
        counter,
        programme,
        ngo,
        EventKind.FORUM,
        "Forum régional sur la migration",
        "المنتدى الجهوي حول الهجرة",
        "Regional forum on migration",
        today + datetime.timedelta(days=20),
        1,
        [
            (
                venues["Salle des conférences de la Région"],
                datetime.time(9),
                datetime.time(17),
                "",
                "",
            )
        ],
        capacity=200,
        co=[region, commune],
        description="Ateliers thématiques et recommandations aux institutions de la région.",
    )

    _demo_registrations(counter, fair, campaign, forum)
    _demo_people_across_events(counter, [fair, *meetings])
    user = _demo_organizer(counter, ngo)
    return DemoResult(
        username=user.username, password=DEMO_PASSWORD, created_objects=counter.created
    )


def _event(
    counter,
    programme,
    organizer,
    kind,
    title,
    title_ar,
    title_en,
    first_day,
    days,
    sessions,
    *,
    capacity,
    co=(),
    description="",
):
    event = counter.get_or_create(
        Event,
        programme=programme,
        title=title,
        defaults={
            "kind": kind,
            "title_ar": title_ar,
            "title_en": title_en,
            "description_fr": description,
            "organizer": organizer,
            "start_date": first_day,
            "end_date": first_day + datetime.timedelta(days=days - 1),
            "capacity": capacity,
            "status": EventStatus.PUBLISHED,
        },
    )
    event.co_organizers.add(*co)
    for index, (venue, start, end, school, level) in enumerate(sessions):
        # A multi-day event with one session pattern repeats it every day.
        dates = (
            [event.start_date + datetime.timedelta(days=d) for d in range(days)]
            if len(sessions) == 1
            else [event.start_date + datetime.timedelta(days=2 * index)]
        )
        for date in dates:
            counter.get_or_create(
                Session,
                event=event,
                date=date,
                start_time=start,
                venue=venue,
                defaults={
                    "end_time": end,
                    "school_name": school,
                    "class_level": level,
                    "title": school and f"{school} — {level}",
                },
            )
    return event


def _demo_organizer(counter, organization):
    user_model = get_user_model()
    user = user_model.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        user = user_model.objects.create_user(
            DEMO_USERNAME,
            email="organisateur@multaqa.local",
            password=DEMO_PASSWORD,
            is_staff=True,
            first_name="Salma",
        )
        counter.created += 1
    group = counter.get_or_create(Group, name=ORGANIZER_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=[
                "events",
                "participants",
                "attendance",
                "assessments",
                "notifications",
                "forums",
            ]
        )
    )
    user.groups.add(group)
    counter.get_or_create(
        Membership, user=user, organization=organization, role=Membership.Role.ORGANIZER
    )
    return user


# Registrations with tickets, so that the door scanner has something to scan in `make run`.
# Contact names are the natural key; no phone or e-mail, so no message is ever sent for them.
# One person of each profile, registering in each of the three languages.
DEMO_INDIVIDUALS = [
    (("Aminata", "female", "18-24"), Profile.MIGRANT, "fr"),
    (("Youssef", "male", "25-59"), Profile.HOST, "ar"),
    (("Grace", "female", "60+"), Profile.REFUGEE, "en"),
]
DEMO_FAMILY = [
    ("Fatou", "female", "25-59"),
    ("Moussa", "male", "25-59"),
    ("Awa", "female", "5-11"),
    ("Ibrahima", "male", "0-4"),
]
DEMO_CLASS_SIZE = 12
# Real first names, one each: pupils numbered "Élève 1", "Élève 2"… would all read as one name to
# the participants' matching (digits are not part of a name) and fill the duplicates queue.
DEMO_PUPILS = [
    "Salma",
    "Adam",
    "Lina",
    "Rayan",
    "Inès",
    "Omar",
    "Yasmine",
    "Bilal",
    "Nour",
    "Ilyas",
    "Aya",
    "Moussa",
]


# Forum participants: their tickets' short codes endorse the adopted recommendations.
DEMO_FORUM_PARTICIPANTS = [
    ("Mariam", "female", "25-59", "migrant", "fr"),
    ("Hassan", "male", "25-59", "host", "ar"),
    ("Blessing", "female", "18-24", "refugee", "en"),
]


def _demo_registrations(counter, fair, campaign, forum):
    from events.models import Registration
    from events.services.registrations import PersonData, registration_create

    def register(event, people, *, kind, profile, language, sessions=()):
        contact_name = people[0][0]
        if Registration.objects.filter(event=event, contact_name=contact_name).exists():
            return
        persons = [
            PersonData(first_name=name, gender=gender, age_band=age, profile=profile)
            for name, gender, age in people
        ]
        registration = registration_create(
            event=event,
            contact=persons[0],
            members=persons[1:],
            kind=kind,
            language=language,
            consent_register=True,
            consent_contact=False,
            source=Registration.Source.ADMIN,
            sessions=sessions,
        )
        counter.created += 1 + 2 * len(persons)  # the registration, its people and their tickets
        return registration

    for person, profile, language in DEMO_INDIVIDUALS:
        register(
            fair, [person], kind=Registration.Kind.INDIVIDUAL, profile=profile, language=language
        )
    register(
        fair, DEMO_FAMILY, kind=Registration.Kind.HOUSEHOLD, profile=Profile.MIGRANT, language="fr"
    )
    first_visit = campaign.sessions.order_by("date", "start_time").first()
    pupils = [
        (name, "female" if n % 2 else "male", "5-11")
        for n, name in enumerate(DEMO_PUPILS[:DEMO_CLASS_SIZE], start=1)
    ]
    register(
        campaign,
        [("Mme Benali", "female", "25-59"), *pupils],
        kind=Registration.Kind.GROUP,
        profile=Profile.HOST,
        language="fr",
        sessions=[first_visit] if first_visit else [],
    )
    for name, gender, age, profile, language in DEMO_FORUM_PARTICIPANTS:
        register(
            forum,
            [(name, gender, age)],
            kind=Registration.Kind.INDIVIDUAL,
            profile=profile,
            language=language,
        )


# People who come back: the same phone (typed differently) and the same first name (in other
# case or accents) at two or three events, a mother and her children sharing one phone, and one
# typo that the participants app cannot decide alone (it lands in the duplicates queue). The
# phones are fictitious and nobody consented to messages, so the demo never messages anyone.
DEMO_RETURNING = [
    # (event index: 0 = fair, 1.. = weekly meetings), people, phone as typed
    (0, [("Aïcha", "female", "25-59")], "0612000101"),
    (1, [("aicha", "female", "25-59")], "+212 612 000 101"),
    (2, [("AÏCHA", "female", "25-59")], "00212612000101"),
    (0, [("Mamadou", "male", "18-24")], "0612000202"),
    (3, [("Mamadou", "male", "18-24")], "06 12 00 02 02"),
    (
        1,
        [("Halima", "female", "25-59"), ("Issa", "male", "5-11"), ("Sira", "female", "0-4")],
        "0612000303",
    ),
    (2, [("Halima", "female", "25-59"), ("Issa", "male", "5-11")], "0612000303"),
    (1, [("Fatoumata", "female", "25-59")], "0612000404"),
    (3, [("Fatoumatta", "female", "25-59")], "0612000404"),
]


def _demo_people_across_events(counter, events):
    from events.models import Registration
    from events.services.registrations import PersonData, registration_create

    for index, people, phone in DEMO_RETURNING:
        event = events[index % len(events)]
        contact_name = people[0][0]
        if Registration.objects.filter(event=event, contact_name=contact_name).exists():
            continue
        persons = [
            PersonData(first_name=name, gender=gender, age_band=age, profile=Profile.MIGRANT)
            for name, gender, age in people
        ]
        registration_create(
            event=event,
            contact=persons[0],
            members=persons[1:],
            phone=phone,
            language="fr",
            consent_register=True,
            consent_contact=False,
            source=Registration.Source.ADMIN,
        )
        counter.created += 1 + 2 * len(persons)
