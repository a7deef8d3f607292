"""Demo data for the regional forum: themes, workshops, a rapporteur and a few recommendations
(some adopted, with translations). Idempotent: everything is looked up by a natural key first."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from core.models import Contact, Organization
from events.codes import format_short_code
from events.demo import DEMO_PASSWORD
from events.models import Event, EventKind, Ticket

from .models import ForumSettings, Recommendation, Theme, Workshop
from .partners import partner_link_url
from .services import rapporteur_assign

RAPPORTEUR_USERNAME = "rapporteur"
PARTNER_USERNAME = "partenaire"
# The demo partner speaks for the Region, co-organiser of the forum (so it reaches its summaries).
PARTNER_ORGANIZATION = "Région de l'Oriental"
FORUM_TITLE = "Forum régional sur la migration"

THEMES = [
    ("Accès à l'éducation", "الولوج إلى التعليم", "Access to education"),
    ("Santé", "الصحة", "Health"),
    ("Documentation et droits", "الوثائق والحقوق", "Documentation and rights"),
    ("Emploi", "الشغل", "Employment"),
    ("Vivre ensemble", "العيش المشترك", "Living together"),
]

# (theme index, status, priority, text FR, text AR, text EN, addressed-to names or acronyms)
RECOMMENDATIONS = [
    (
        0,
        "adopted",
        1,
        "Inscrire à l'école les enfants migrants même sans acte de naissance, sur simple attestation.",
        "تسجيل الأطفال المهاجرين في المدرسة ولو بدون عقد ازدياد، بناءً على شهادة بسيطة.",
        "Enrol migrant children in school even without a birth certificate, on a simple statement.",
        ["DPEN", "Commune d'Oujda"],
    ),
    (
        0,
        "adopted",
        2,
        "Créer des cours de soutien en arabe et en français pour les élèves nouvellement arrivés.",
        "إحداث دروس الدعم باللغتين العربية والفرنسية للتلاميذ الوافدين الجدد.",
        "Set up Arabic and French support classes for newly arrived pupils.",
        ["DPEN"],
    ),
    (
        1,
        "adopted",
        1,
        "Ouvrir une permanence de santé le samedi au centre de santé du quartier Lazaret.",
        "فتح مداومة صحية يوم السبت بالمركز الصحي لحي لازاري.",
        "Open a Saturday health desk at the Lazaret neighbourhood health centre.",
        ["CMSO", "Région de l'Oriental"],
    ),
    (
        2,
        "adopted",
        2,
        "Tenir un guichet mensuel d'information sur les titres de séjour à la commune.",
        "تنظيم شباك شهري للإعلام حول بطاقات الإقامة بالجماعة.",
        "Hold a monthly information desk on residence permits at the town hall.",
        ["Commune d'Oujda"],
    ),
    (
        3,
        "draft",
        2,
        "Associer les personnes migrantes aux programmes régionaux d'auto-emploi.",
        "",
        "",
        ["Région de l'Oriental"],
    ),
    (
        4,
        "draft",
        3,
        "Organiser chaque trimestre une fête de quartier avec les familles migrantes et voisines.",
        "",
        "",
        ["Commune d'Oujda"],
    ),
]


@dataclass
class DemoResult:
    created_objects: int
    text: str = ""


def _organization(label: str) -> Organization | None:
    return (
        Organization.objects.filter(acronym=label).first()
        or Organization.objects.filter(name=label).first()
    )


@transaction.atomic
def demo_load() -> DemoResult:
    created = 0
    event = Event.objects.filter(
        kind=EventKind.FORUM, title=FORUM_TITLE, programme__code="vivre-ensemble-oriental"
    ).first()
    if event is None:  # the events loader did not run: nothing to attach to
        return DemoResult(created_objects=0)
    _settings, made = ForumSettings.objects.get_or_create(
        event=event,
        defaults={
            "next_steps_fr": "Réunion de suivi avec les institutions dans trois mois ; "
            "point d'étape publié sur le portail des partenaires.",
            "next_steps_ar": "اجتماع متابعة مع المؤسسات بعد ثلاثة أشهر؛ ونشر حصيلة مرحلية في بوابة الشركاء.",
            "next_steps_en": "Follow-up meeting with the institutions in three months; progress note "
            "published on the partner portal.",
        },
    )
    created += made
    themes, workshops = [], []
    for position, (fr, ar, en) in enumerate(THEMES, start=1):
        theme, made = Theme.objects.get_or_create(
            event=event, name_fr=fr, defaults={"name_ar": ar, "name_en": en, "position": position}
        )
        created += made
        workshop, made = Workshop.objects.get_or_create(
            event=event,
            name_fr=f"Atelier {position} — {fr}",
            defaults={
                "theme": theme,
                "name_ar": f"الورشة {position} — {ar}",
                "name_en": f"Workshop {position} — {en}",
            },
        )
        created += made
        themes.append(theme)
        workshops.append(workshop)
    for index, status, priority, fr, ar, en, addressed in RECOMMENDATIONS:
        rec, made = Recommendation.objects.get_or_create(
            event=event,
            text=fr,
            defaults={
                "theme": themes[index],
                "language": "fr",
                "text_ar": ar,
                "text_en": en,
                "priority": priority,
                "status": status,
                "proposed_by_workshop": workshops[index],
            },
        )
        if made:
            created += 1
            rec.addressed_to.set([org for org in map(_organization, addressed) if org])
    user = get_user_model().objects.filter(username=RAPPORTEUR_USERNAME).first()
    if user is None:
        user = get_user_model().objects.create_user(
            RAPPORTEUR_USERNAME,
            email="rapporteur@multaqa.local",
            password=DEMO_PASSWORD,
            first_name="Youssef",
        )
        created += 1
    if not event.rapporteur_assignments.filter(user=user).exists():
        rapporteur_assign(event=event, user=user, workshop=workshops[0])
        created += 1
    partner, made = _demo_partner()
    created += made
    return DemoResult(created_objects=created, text=_logins_text(event, partner))


def _demo_partner() -> tuple[Contact | None, int]:
    """A partner contact with an account, for the partner portal (`/login/` then `/partners/`)."""
    contact = Contact.objects.filter(organization__name=PARTNER_ORGANIZATION).first()
    if contact is None:
        return None, 0
    if contact.user_id is not None:
        return contact, 0
    user_model = get_user_model()
    user = user_model.objects.filter(username=PARTNER_USERNAME).first()
    if user is None:
        user = user_model.objects.create_user(
            PARTNER_USERNAME, email="partenaire@multaqa.local", password=DEMO_PASSWORD
        )
    contact.user = user
    contact.save(update_fields=["user"])
    return contact, 1


def _logins_text(event: Event, partner: Contact | None) -> str:
    def url(name: str, **kwargs) -> str:
        return settings.SITE_URL + reverse(name, kwargs=kwargs)

    ticket = Ticket.objects.filter(event=event, status=Ticket.Status.VALID).first()
    lines = [
        f"Rapporteur login: {RAPPORTEUR_USERNAME} / {DEMO_PASSWORD}, then "
        + url("forums:rapporteur", event_id=event.pk),
        f"Forum endorsements (with a forum ticket code such as {format_short_code(ticket.short_code)}): "
        + url("forums:endorse", event_id=event.pk)
        if ticket
        else "",
    ]
    if partner is not None:
        lines += [
            f"Partner login: {PARTNER_USERNAME} / {DEMO_PASSWORD} at {url('core:login')} "
            "(forum summaries appear once the forum is closed)",
            f"Partner link without an account: {partner_link_url(contact=partner)}",
        ]
    return "\n".join(line for line in lines if line)
