"""The forum summary: a frozen, personal-data-free snapshot of the forum (facts, figures,
recommendations by theme and by addressed institution, endorsement counts, next steps), and its
renderings as an HTML page and a PDF, in a language, optionally personalised for one institution
(its own recommendations first).

Nothing here reads a participant's name, phone or e-mail: figures are sums, endorsements counts."""

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import translation

from core.demographics import DIMENSIONS
from core.models import Language
from events.models import Event

from .models import ForumSettings, Recommendation

LANGUAGES = Language.values
DEFAULT_THRESHOLD = 5


def forum_figures(event: Event) -> dict:
    """Attendance figures of the forum from the one definition of measures (reporting.figures):
    attendances (voided rows excluded, class headcounts summed) with their gender, age and profile
    breakdowns. People reached and sessions held are kept in the snapshot too, but not shown to
    partners: an exact figure next to a suppressed total would undo the suppression."""
    from reporting.selectors import figures_for_event  # lazily: forums must not need reporting

    totals = figures_for_event(event=event, levels=()).totals
    attendances = totals.breakdowns["attendances"]
    figures = {
        "total": totals.attendances,
        "people_reached": totals.people_reached,
        "sessions_held": totals.sessions_held,
    }
    for dimension in DIMENSIONS:
        figures[dimension] = {
            share.value: share.count for share in attendances.by_dimension[dimension]
        }
    return figures


def _texts(recommendation: Recommendation) -> dict:
    return {language: recommendation.text_in(language) for language in LANGUAGES}


def summary_data_build(event: Event, *, figures_source=forum_figures) -> dict:
    """The snapshot stored with a summary version. Only adopted recommendations go in."""
    settings = ForumSettings.objects.filter(event=event).first()
    adopted = (
        Recommendation.objects.filter(event=event, status=Recommendation.Status.ADOPTED)
        .select_related("theme", "proposed_by_workshop")
        .prefetch_related("addressed_to")
        .annotate(endorsement_count=Count("endorsements"))
        .order_by("theme__position", "theme_id", "priority", "-endorsement_count", "id")
    )
    recommendations, themes, institutions = [], {}, {}
    for rec in adopted:
        theme = rec.theme
        themes.setdefault(
            theme.pk,
            {
                "id": theme.pk,
                "name": {"fr": theme.name_fr, "ar": theme.name_ar, "en": theme.name_en},
                "recommendation_ids": [],
            },
        )["recommendation_ids"].append(rec.pk)
        workshop = rec.proposed_by_workshop
        addressed = sorted(rec.addressed_to.all(), key=lambda org: org.name)
        for org in addressed:
            institutions.setdefault(
                org.pk,
                {
                    "id": org.pk,
                    "name": org.name,
                    "acronym": org.acronym,
                    "recommendation_ids": [],
                },
            )["recommendation_ids"].append(rec.pk)
        recommendations.append(
            {
                "id": rec.pk,
                "theme_id": theme.pk,
                "text": _texts(rec),
                "original_language": rec.language,
                "priority": rec.priority,
                "workshop": (
                    {"fr": workshop.name_fr, "ar": workshop.name_ar, "en": workshop.name_en}
                    if workshop
                    else None
                ),
                # Only ever a name its bearer chose to give (the model refuses it otherwise).
                "proposer_name": rec.proposer_name if rec.proposer_agreed_to_be_named else "",
                "addressed_to": [org.pk for org in addressed],
                "endorsements": rec.endorsement_count,
            }
        )
    sessions = list(event.sessions.select_related("venue").order_by("date", "start_time"))
    return {
        "event": {
            "id": event.pk,
            "title": {"fr": event.title, "ar": event.title_ar, "en": event.title_en},
            "start_date": event.start_date.isoformat(),
            "end_date": event.end_date.isoformat(),
            "programme": event.programme.name,
            "organizer": event.organizer.name,
            "co_organizers": sorted(org.name for org in event.co_organizers.all()),
            "venues": sorted({str(session.venue) for session in sessions}),
        },
        "figures": figures_source(event),
        "small_number_threshold": event.programme.small_number_threshold,
        "themes": list(themes.values()),
        "institutions": sorted(institutions.values(), key=lambda item: item["name"]),
        "recommendations": recommendations,
        "next_steps": {
            language: getattr(settings, f"next_steps_{language}", "") if settings else ""
            for language in LANGUAGES
        },
    }


def _pick(texts: dict | None, language: str) -> str:
    if not texts:
        return ""
    return texts.get(language) or texts.get("fr") or next((t for t in texts.values() if t), "")


def _figures_shown(data: dict) -> tuple[int | str, list[dict]]:
    """The total and the breakdowns as partners may see them: small cells shown as `<N`, and
    the cells that would let anyone work them out from the total hidden as well (one rule for
    every partner output, in reporting.suppression)."""
    from reporting.suppression import marginals_shown

    figures = data["figures"]
    marginals = {
        dimension: {value: figures.get(dimension, {}).get(value, 0) for value in choices.values}
        for dimension, choices in DIMENSIONS.items()
    }
    total, shown = marginals_shown(
        figures.get("total", 0),
        marginals,
        threshold=data.get("small_number_threshold") or DEFAULT_THRESHOLD,
    )
    rows = []
    for dimension, choices in DIMENSIONS.items():
        values = [
            {"value": value, "label": str(choices(value).label), "count": str(count)}
            for value, count in shown[dimension].items()
            # An empty value says nothing about anyone; it is left out to keep the page short.
            if marginals[dimension][value]
        ]
        rows.append({"dimension": dimension, "values": values})
    return total, rows


def participation_facts(*, total: int | str, recommendations: int, endorsements: int) -> list:
    """The participation counts, each as its figure, the noun that goes under that figure and
    the whole phrase, nouns agreeing with their numbers in the active language (Arabic has six
    forms). A total hidden as a mark ("x") has no number to agree with: its noun is the plural
    and its phrase a label."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if isinstance(total, int):
        attendances = {
            "noun": ngettext("attendance", "attendances", total),
            "text": ngettext("%(count)s attendance", "%(count)s attendances", total),
        }
    else:
        attendances = {"noun": _("attendances"), "text": _("Attendances: %(count)s")}
    facts = [
        {"count": total, **attendances},
        {
            "count": recommendations,
            "noun": ngettext("adopted recommendation", "adopted recommendations", recommendations),
            "text": ngettext(
                "%(count)s adopted recommendation",
                "%(count)s adopted recommendations",
                recommendations,
            ),
        },
        {
            "count": endorsements,
            "noun": ngettext(
                "endorsement by participants", "endorsements by participants", endorsements
            ),
            "text": ngettext(
                "%(count)s endorsement by participants",
                "%(count)s endorsements by participants",
                endorsements,
            ),
        },
    ]
    for fact in facts:
        fact["text"] %= {"count": fact["count"]}
    return facts


def summary_view(data: dict, *, language: str, organization_id: int | None = None) -> dict:
    """A render-ready context in one language; for an institution, its recommendations first."""
    with translation.override(language):
        from django.utils.translation import gettext as _

        by_id = {}
        for rec in data["recommendations"]:
            by_id[rec["id"]] = {
                "id": rec["id"],
                "text": _pick(rec["text"], language),
                "priority": rec["priority"],
                "workshop": _pick(rec["workshop"], language),
                "proposer_name": rec["proposer_name"],
                "endorsements": rec["endorsements"],
                "addressed_to": [
                    inst["name"]
                    for inst in data["institutions"]
                    if inst["id"] in rec["addressed_to"]
                ],
                "for_you": organization_id is not None and organization_id in rec["addressed_to"],
            }
        themes = [
            {
                "name": _pick(theme["name"], language),
                "recommendations": [by_id[i] for i in theme["recommendation_ids"]],
            }
            for theme in data["themes"]
        ]
        institutions = [
            {
                "name": inst["name"],
                "is_you": inst["id"] == organization_id,
                "recommendations": [by_id[i] for i in inst["recommendation_ids"]],
            }
            for inst in data["institutions"]
        ]
        own = []
        if organization_id is not None:
            institutions.sort(key=lambda inst: not inst["is_you"])
            own = [rec for rec in by_id.values() if rec["for_you"]]
        total, figures = _figures_shown(data)
        dimension_titles = {
            "gender": _("By gender"),
            "age_band": _("By age"),
            "profile": _("By profile"),
        }
        for row in figures:
            row["title"] = dimension_titles[row["dimension"]]
        event = data["event"]
        return {
            "language": language,
            "rtl": language == "ar",
            "title": _pick(event["title"], language),
            "event": event,
            "total": str(total),
            "facts": participation_facts(
                total=total,
                recommendations=len(by_id),
                endorsements=sum(rec["endorsements"] for rec in by_id.values()),
            ),
            "suppression_note": _(
                "To protect people's privacy, figures below %(threshold)s are shown as "
                "“<%(threshold)s”, and “x” marks a figure hidden so that a small one cannot be "
                "worked out from the totals."
            )
            % {"threshold": data.get("small_number_threshold") or DEFAULT_THRESHOLD},
            "figures": figures,
            "themes": themes,
            "institutions": institutions,
            "own_recommendations": own,
            "personalised": organization_id is not None,
            "recommendation_count": len(by_id),
            "endorsement_count": sum(rec["endorsements"] for rec in by_id.values()),
            "next_steps": _pick(data["next_steps"], language),
        }


def summary_html_render(
    data: dict, *, language: str, organization_id: int | None = None, style_nonce: str = ""
) -> str:
    """A self-contained document (its styles inline, archived as is); served as a page, it takes
    the request's Content-Security-Policy nonce so that its styles may apply."""
    context = summary_view(data, language=language, organization_id=organization_id)
    with translation.override(language):
        return render_to_string(
            "forums/summary_document.html", {"summary": context, "style_nonce": style_nonce}
        )


def summary_pdf_render(data: dict, *, language: str, organization_id: int | None = None) -> bytes:
    from .pdf import summary_pdf_build

    context = summary_view(data, language=language, organization_id=organization_id)
    with translation.override(language):
        return summary_pdf_build(context)


def endorsement_counts(event: Event) -> dict[int, int]:
    """Live counts for the organizer and the room screen."""
    return dict(
        Recommendation.objects.filter(event=event)
        .annotate(n=Count("endorsements"))
        .values_list("id", "n")
    )
