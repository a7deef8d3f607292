"""The follow-up report that opens a forum: what became of the previous forum of the programme's
adopted recommendations (each institution's position and reasons, its commitments with their
date and state, the answers by type of organisation), as a frozen snapshot and its renderings
(an HTML document and a PDF) in a language.

No personal data goes in: no proposer, no contact, no "by whom" (it may name a civil servant),
no note or document; institutions are organisations, not people."""

import datetime
import hashlib
import json

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from core.models import Language, Organization
from events.models import Event, EventKind

from . import selectors_followup as reads
from .models import CommitmentState, Position

LANGUAGES = Language.values


def previous_forum(event: Event) -> Event | None:
    """The programme's forum that came last before this one."""
    return (
        Event.objects.filter(
            programme_id=event.programme_id,
            kind=EventKind.FORUM,
            start_date__lt=event.start_date,
        )
        .exclude(pk=event.pk)
        .order_by("-start_date", "-pk")
        .first()
    )


def followup_data_build(*, event: Event, previous: Event, now=None) -> dict:
    now = now or timezone.now()
    rows = reads.followup_rows(events=[previous], now=now)
    recommendations = []
    for row in rows:
        rec = row.recommendation
        recommendations.append(
            {
                "id": rec.pk,
                "text": {language: rec.text_in(language) or rec.text for language in LANGUAGES},
                "theme": {
                    "fr": rec.theme.name_fr,
                    "ar": rec.theme.name_ar,
                    "en": rec.theme.name_en,
                },
                "addressees": [
                    {
                        "organization": addressee.organization.name,
                        "position": addressee.response.position if addressee.response else "",
                        "reasons": addressee.response.reasons if addressee.response else "",
                        "overdue": addressee.overdue,
                        "commitments": [
                            {
                                "what": commitment.what,
                                "due_on": commitment.due_on.isoformat(),
                                "state": commitment.state,
                                "overdue": commitment.overdue,
                            }
                            for commitment in addressee.commitments
                        ],
                    }
                    for addressee in row.addressees
                ],
            }
        )
    return {
        "event": {"id": event.pk, "title": _titles(event)},
        "previous": {
            "id": previous.pk,
            "title": _titles(previous),
            "start_date": previous.start_date.isoformat(),
        },
        "built_on": timezone.localdate(now).isoformat(),
        "recommendations": recommendations,
        "rates": [
            {"kind": rate.kind, "answered": rate.answered, "expected": rate.expected}
            for rate in reads.response_rates_by_kind(events=[previous])
        ],
    }


def data_sha256(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _titles(event: Event) -> dict:
    return {"fr": event.title, "ar": event.title_ar, "en": event.title_en}


def _pick(texts: dict, language: str) -> str:
    return texts.get(language) or texts.get("fr") or ""


def followup_view(data: dict, *, language: str) -> dict:
    """A render-ready context in one language (labels translated, plurals agreeing)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    with translation.override(language):
        positions = dict(Position.choices)
        states = dict(CommitmentState.choices)
        kinds = dict(Organization.Kind.choices)
        recommendations = []
        for rec in data["recommendations"]:
            addressees = []
            for item in rec["addressees"]:
                position = str(positions[item["position"]]) if item["position"] else ""
                addressees.append(
                    {
                        "organization": item["organization"],
                        "position": position or str(_("No answer yet")),
                        "answered": bool(position),
                        "reasons": item["reasons"],
                        "commitments": [
                            {
                                "what": c["what"],
                                "due_on": date_format(
                                    datetime.date.fromisoformat(c["due_on"]), "DATE_FORMAT"
                                ),
                                "state": str(states[c["state"]]),
                                "overdue": c["overdue"],
                            }
                            for c in item["commitments"]
                        ],
                    }
                )
            recommendations.append(
                {
                    "text": _pick(rec["text"], language),
                    "theme": _pick(rec["theme"], language),
                    "addressees": addressees,
                }
            )
        rates = [
            ngettext(
                "%(kind)s: answered %(answered)s of %(expected)s recommendation",
                "%(kind)s: answered %(answered)s of %(expected)s recommendations",
                rate["expected"],
            )
            % {
                "kind": kinds.get(rate["kind"], rate["kind"]),
                "answered": rate["answered"],
                "expected": rate["expected"],
            }
            for rate in data["rates"]
        ]
        return {
            "language": language,
            "rtl": language == "ar",
            "title": _pick(data["event"]["title"], language),
            "previous_title": _pick(data["previous"]["title"], language),
            "previous_start": data["previous"]["start_date"],
            "recommendations": recommendations,
            "rates": rates,
        }


def followup_html_render(data: dict, *, language: str, style_nonce: str = "") -> str:
    context = followup_view(data, language=language)
    with translation.override(language):
        return render_to_string(
            "forums/followup_report_document.html", {"report": context, "style_nonce": style_nonce}
        )


def followup_pdf_render(data: dict, *, language: str) -> bytes:
    from .pdf import followup_pdf_build

    context = followup_view(data, language=language)
    with translation.override(language):
        return followup_pdf_build(context)
