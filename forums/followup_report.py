"""The follow-up report that opens a forum: what became of the previous forum of the programme's
adopted recommendations, and of the participants' proposals put to partners at the programme's
events since that forum (each institution's position and reasons, its commitments with their
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


def proposal_events_between(*, previous: Event, event: Event):
    """The programme's events whose proposals the report covers: from the previous forum (its
    own call included) up to the forum the report opens."""
    return Event.objects.filter(
        programme_id=event.programme_id,
        start_date__gte=previous.start_date,
        start_date__lt=event.start_date,
    ).exclude(pk=event.pk)


def _addressees_data(row) -> list[dict]:
    return [
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
    ]


def _theme_names(theme) -> dict:
    return {"fr": theme.name_fr, "ar": theme.name_ar, "en": theme.name_en}


def followup_data_build(*, event: Event, previous: Event, now=None) -> dict:
    now = now or timezone.now()
    recommendations = [
        {
            "id": row.subject.pk,
            "text": {
                language: row.subject.text_in(language) or row.subject.text
                for language in LANGUAGES
            },
            "theme": _theme_names(row.subject.theme),
            "addressees": _addressees_data(row),
        }
        for row in reads.followup_rows(events=[previous], now=now)
    ]
    proposal_events = proposal_events_between(previous=previous, event=event)
    # A proposal is the participant's own words in one language: no proposer, no photo.
    proposals = [
        {
            "id": row.subject.pk,
            "title": row.subject.title,
            "text": row.subject.text,
            "theme": _theme_names(row.subject.theme),
            "event": _titles(row.event),
            "addressees": _addressees_data(row),
        }
        for row in reads.proposal_followup_rows(events=proposal_events, now=now)
    ]
    rates = reads.response_rates_by_kind(events=[previous], proposal_events=proposal_events)
    return {
        "event": {"id": event.pk, "title": _titles(event)},
        "previous": {
            "id": previous.pk,
            "title": _titles(previous),
            "start_date": previous.start_date.isoformat(),
        },
        "built_on": timezone.localdate(now).isoformat(),
        "recommendations": recommendations,
        "proposals": proposals,
        "rates": [
            {
                "kind": rate.kind,
                "answered": rate.answered,
                "expected": rate.expected,
                "proposals_answered": rate.proposals_answered,
                "proposals_expected": rate.proposals_expected,
            }
            for rate in rates
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

        def addressees(items: list[dict]) -> list[dict]:
            return [
                {
                    "organization": item["organization"],
                    "position": (
                        str(positions[item["position"]])
                        if item["position"]
                        else str(_("No answer yet"))
                    ),
                    "answered": bool(item["position"]),
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
                for item in items
            ]

        recommendations = [
            {
                "text": _pick(rec["text"], language),
                "theme": _pick(rec["theme"], language),
                "addressees": addressees(rec["addressees"]),
            }
            for rec in data["recommendations"]
        ]
        proposals = [
            {
                "title": proposal["title"],
                "text": proposal["text"],
                "theme": _pick(proposal["theme"], language),
                "event": _pick(proposal["event"], language),
                "addressees": addressees(proposal["addressees"]),
            }
            for proposal in data.get("proposals", [])
        ]
        rates = []
        for rate in data["rates"]:
            kind = kinds.get(rate["kind"], rate["kind"])
            if rate["expected"]:
                rates.append(
                    ngettext(
                        "%(kind)s: answered %(answered)s of %(expected)s recommendation",
                        "%(kind)s: answered %(answered)s of %(expected)s recommendations",
                        rate["expected"],
                    )
                    % {"kind": kind, "answered": rate["answered"], "expected": rate["expected"]}
                )
            if rate.get("proposals_expected"):
                rates.append(
                    ngettext(
                        "%(kind)s: answered %(answered)s of %(expected)s participants' proposal",
                        "%(kind)s: answered %(answered)s of %(expected)s participants' proposals",
                        rate["proposals_expected"],
                    )
                    % {
                        "kind": kind,
                        "answered": rate["proposals_answered"],
                        "expected": rate["proposals_expected"],
                    }
                )
        return {
            "language": language,
            "rtl": language == "ar",
            "title": _pick(data["event"]["title"], language),
            "previous_title": _pick(data["previous"]["title"], language),
            "previous_start": data["previous"]["start_date"],
            "recommendations": recommendations,
            "proposals": proposals,
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
