"""Pages of participant cards: the organizer's page (issue, reissue, revoke, print) and the
participant's card page, an unguessable bearer link like a ticket page (no-store, noindex)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.qr import qr_png_bytes
from core.responses import private
from core.services import audit_record

from .selectors_cards import card_active, card_by_secret, card_of_managed, participant_managed
from .services.cards import card_issue, card_reissue, card_revoke

ACTIONS = {"issue", "reissue", "revoke"}


@login_required
def card_manage(request, participant_id: int):
    participant = participant_managed(user=request.user, participant_id=participant_id)
    context = {"participant": participant, "card": card_active(participant=participant)}
    return private(render(request, "participants/card_manage.html", context))


@login_required
@require_POST
def card_action(request, participant_id: int, action: str):
    participant = participant_managed(user=request.user, participant_id=participant_id)
    if action not in ACTIONS:
        raise Http404
    try:
        if action == "issue":
            card_issue(participant=participant, actor=request.user)
        elif action == "reissue":
            card_reissue(participant=participant, actor=request.user)
        elif (card := card_active(participant=participant)) is not None:
            card_revoke(card=card, actor=request.user)
    except ApplicationError as error:
        context = {"participant": participant, "card": card_active(participant=participant)}
        context["error"] = error.message
        return private(render(request, "participants/card_manage.html", context, status=409))
    return redirect("participants_cards:manage", participant_id=participant.pk)


@login_required
def card_print(request, participant_id: int):
    card = card_of_managed(user=request.user, participant_id=participant_id)
    if card is None:
        raise Http404
    layout = "a4" if request.GET.get("layout") == "a4" else "a6"
    audit_record(
        actor=request.user, action="participant_card.print", target=card, detail={"layout": layout}
    )
    # reportlab loads with the first PDF, not in every process at start (README, "Small server").
    from .card_pdf import cards_pdf

    response = HttpResponse(cards_pdf([card], layout=layout), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="card-{participant_id}.pdf"'
    return private(response)


@never_cache
def card_page(request, secret: str):
    card = card_by_secret(secret=secret)
    if card is None:
        raise Http404
    return private(render(request, "participants/card.html", {"card": card}))


def card_qr_png(request, secret: str):
    card = card_by_secret(secret=secret)
    if card is None:
        raise Http404
    return private(HttpResponse(qr_png_bytes(card.secret), content_type="image/png"))
