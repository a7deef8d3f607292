"""The partner portal's answers: the recommendations and participants' proposals addressed to
the contact's organisation, its position on each, its commitments and their updates. Every read and write goes through a
selector or service scoped by the contact's organisation: another organisation's recommendation,
commitment or document is simply not found (404)."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import form_service_call

from . import selectors_followup as reads
from .forms import CommitmentForm, CommitmentUpdateForm, ResponseForm
from .services_responses import commitment_add, commitment_update_add, response_submit
from .views_partners import _with_partner


def partner_url(name: str, token: str | None, **kwargs) -> str:
    """A partner page's address, in the link's form when the contact came with a link."""
    if token is None:
        return reverse(f"forums:{name}_session", kwargs=kwargs)
    return reverse(f"forums:{name}", kwargs={"token": token, **kwargs})


@_with_partner
def partner_answers(request, *, contact, token, language):
    organization = contact.organization
    recommendations = list(reads.partner_addressed_recommendations(organization=organization))
    proposals = list(reads.partner_addressed_proposals(organization=organization))
    for rec in recommendations:
        rec.own = rec.own_responses[0] if rec.own_responses else None
        rec.url = partner_url("partner_answer", token, recommendation_id=rec.pk)
    for proposal in proposals:
        proposal.own = proposal.own_responses[0] if proposal.own_responses else None
        proposal.url = partner_url("partner_proposal_answer", token, proposal_id=proposal.pk)
    return render(
        request,
        "forums/partner_answers.html",
        {
            "organization": organization,
            "recommendations": recommendations,
            "proposals": proposals,
            "waiting": sum(1 for rec in recommendations if rec.own is None),
            "waiting_proposals": sum(1 for proposal in proposals if proposal.own is None),
            "token": token,
        },
    )


# The partner pages of each kind of subject: (answer page, add-a-commitment), and its id's name.
SUBJECT_PAGES = {
    "recommendation": ("partner_answer", "partner_commitment_add", "recommendation_id"),
    "proposal": ("partner_proposal_answer", "partner_proposal_commitment_add", "proposal_id"),
}


def _subject_url(token, kind: str, subject, *, page: int = 0) -> str:
    names = SUBJECT_PAGES[kind]
    return partner_url(names[page], token, **{names[2]: subject.pk})


def _answer_page(request, contact, token, kind, subject, *, forms=None, status=200):
    response = reads.partner_response(organization=contact.organization, **{kind: subject})
    forms = forms or {}
    initial = {"position": response.position, "reasons": response.reasons} if response else None
    commitments = list(response.commitments.all()) if response else []
    for commitment in commitments:
        commitment.update_form = forms.get(commitment.pk) or CommitmentUpdateForm(
            auto_id=f"id_c{commitment.pk}_%s"
        )
        commitment.update_url = partner_url(
            "partner_commitment_update", token, commitment_id=commitment.pk
        )
        for update in commitment.updates.all():
            if update.document_name:
                update.document_url = partner_url("partner_document", token, update_id=update.pk)
    return render(
        request,
        "forums/partner_answer.html",
        {
            "organization": contact.organization,
            "kind": kind,
            kind: subject,
            "response": response,
            "response_form": forms.get("response") or ResponseForm(initial=initial),
            "commitment_form": forms.get("commitment") or CommitmentForm(),
            "commitments": commitments,
            "answer_url": _subject_url(token, kind, subject),
            "commitment_url": _subject_url(token, kind, subject, page=1),
            "answers_url": partner_url("partner_answers", token),
            "token": token,
        },
        status=status,
    )


def _subject_or_404(contact, kind: str, subject_id: int):
    if kind == "proposal":
        subject = reads.partner_proposal_get(
            organization=contact.organization, proposal_id=subject_id
        )
    else:
        subject = reads.partner_recommendation_get(
            organization=contact.organization, recommendation_id=subject_id
        )
    if subject is None:
        raise Http404
    return subject


def _answer(request, contact, token, kind: str, subject_id: int):
    subject = _subject_or_404(contact, kind, subject_id)
    if request.method != "POST":
        return _answer_page(request, contact, token, kind, subject)
    form = ResponseForm(request.POST)
    if form.is_valid() and form_service_call(
        request,
        form,
        lambda: response_submit(
            contact=contact,
            **{SUBJECT_PAGES[kind][2]: subject.pk},
            position=form.cleaned_data["position"],
            reasons=form.cleaned_data["reasons"],
        ),
        success=_("Your answer is saved. Thank you."),
    ):
        return redirect(_subject_url(token, kind, subject))
    return _answer_page(
        request, contact, token, kind, subject, forms={"response": form}, status=400
    )


def _commitment_add(request, contact, token, kind: str, subject_id: int):
    subject = _subject_or_404(contact, kind, subject_id)
    form = CommitmentForm(request.POST)
    if form.is_valid() and form_service_call(
        request,
        form,
        lambda: commitment_add(
            contact=contact, **{SUBJECT_PAGES[kind][2]: subject.pk}, **form.cleaned_data
        ),
        success=_("Commitment added."),
    ):
        return redirect(_subject_url(token, kind, subject))
    return _answer_page(
        request, contact, token, kind, subject, forms={"commitment": form}, status=400
    )


@_with_partner
def partner_answer(request, recommendation_id: int, *, contact, token, language):
    return _answer(request, contact, token, "recommendation", recommendation_id)


@_with_partner
def partner_proposal_answer(request, proposal_id: int, *, contact, token, language):
    return _answer(request, contact, token, "proposal", proposal_id)


@require_POST
@_with_partner
def partner_commitment_add(request, recommendation_id: int, *, contact, token, language):
    return _commitment_add(request, contact, token, "recommendation", recommendation_id)


@require_POST
@_with_partner
def partner_proposal_commitment_add(request, proposal_id: int, *, contact, token, language):
    return _commitment_add(request, contact, token, "proposal", proposal_id)


@require_POST
@_with_partner
def partner_commitment_update(request, commitment_id: int, *, contact, token, language):
    commitment = reads.partner_commitment_get(
        organization=contact.organization, commitment_id=commitment_id
    )
    if commitment is None:
        raise Http404
    kind, subject = commitment.response.subject_kind, commitment.response.subject
    form = CommitmentUpdateForm(request.POST, request.FILES, auto_id=f"id_c{commitment.pk}_%s")
    if form.is_valid() and form_service_call(
        request,
        form,
        lambda: commitment_update_add(
            contact=contact,
            commitment_id=commitment.pk,
            state=form.cleaned_data["state"],
            note=form.cleaned_data["note"],
            document=form.cleaned_data["document"],
        ),
        success=_("Update saved."),
    ):
        return redirect(_subject_url(token, kind, subject))
    return _answer_page(
        request, contact, token, kind, subject, forms={commitment.pk: form}, status=400
    )


def document_response(update) -> HttpResponse:
    response = HttpResponse(bytes(update.document), content_type=update.document_type)
    response["Content-Disposition"] = f'attachment; filename="{update.document_name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@_with_partner
def partner_document(request, update_id: int, *, contact, token, language):
    update = reads.partner_update_document_get(
        organization=contact.organization, update_id=update_id
    )
    if update is None:
        raise Http404
    return document_response(update)
