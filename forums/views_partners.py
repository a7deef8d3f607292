"""The partner portal: a contact (logged in, or holding a signed link) sees the summaries of the
forums their organisation is linked to, in their language, their own recommendations first.
Aggregate figures only; nothing here can reach a participant's data."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation

from core.i18n import switched_language

from . import selectors
from .partners import partner_contact_from_token, partner_contact_from_user
from .summary import summary_html_render, summary_pdf_render
from .views import pdf_response


def _partner(request, token: str | None):
    if token is not None:
        contact = partner_contact_from_token(token)
        if contact is None:
            raise Http404
        return contact
    contact = partner_contact_from_user(request.user)
    if contact is None:
        if not request.user.is_authenticated:
            raise _LoginRequired
        raise Http404
    return contact


class _LoginRequired(Exception):
    pass


def _with_partner(view):
    def wrapped(request, *args, token: str | None = None, **kwargs):
        try:
            contact = _partner(request, token)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())
        # A partner reads in their own language until they pick another with the switcher.
        language = switched_language(request) or contact.preferred_language
        with translation.override(language):
            return view(request, *args, contact=contact, token=token, language=language, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


@_with_partner
def partner_home(request, *, contact, token, language):
    forums = selectors.partner_forum_list(organization=contact.organization)
    return render(
        request,
        "forums/partner_home.html",
        {
            "contact": contact,
            "organization": contact.organization,
            "forums": forums,
            "token": token,
        },
    )


def _summary_for(contact, event_id: int):
    event = selectors.partner_forum_get(organization=contact.organization, event_id=event_id)
    summary = selectors.summary_latest_released(event=event) if event is not None else None
    if summary is None:
        raise Http404
    return event, summary


@_with_partner
def partner_summary(request, event_id: int, *, contact, token, language):
    _event, summary = _summary_for(contact, event_id)
    return summary_page_response(
        request, summary, language=language, organization_id=contact.organization_id
    )


def summary_page_response(request, summary, *, language: str, organization_id: int):
    """The summary page of one organisation in one language: the partner's own, and the
    organizer's preview of it."""
    html = summary_html_render(
        summary.data,
        language=language,
        organization_id=organization_id,
        style_nonce=getattr(request, "csp_nonce", ""),
    )
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response


@_with_partner
def partner_summary_pdf(request, event_id: int, *, contact, token, language):
    event, summary = _summary_for(contact, event_id)
    pdf = summary_pdf_render(
        summary.data, language=language, organization_id=contact.organization_id
    )
    return pdf_response(pdf, event, summary.number)
