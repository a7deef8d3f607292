"""Forums API: recommendations for staff (scoped by core.permissions), and the summary of a forum
for its partners (signed-link token in X-Partner-Token, or a partner's session). The
institutions' answers and the follow-up are in forums/api_responses.py, mounted below."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status

from core.auth import staff_auth
from core.errors import ApplicationError, NotFound
from core.models import Language, Organization
from core.permissions import can_manage_event
from core.schemas import STAFF_ERRORS

from . import selectors, services
from .api_auth import PartnerOrStaffSessionAuth, PartnerTokenAuth
from .api_responses import responses_router
from .delivery import summary_release
from .models import Recommendation, Theme, Workshop
from .schemas import (
    ForumOut,
    MergeIn,
    RapporteurIn,
    RapporteurOut,
    RecommendationIn,
    RecommendationOut,
    RecommendationPatch,
    SummaryOut,
    SummaryReleaseIn,
    SummaryVersionIn,
    ThemeOut,
    WorkshopOut,
)
from .summary import summary_view

router = Router(tags=["forums"], auth=staff_auth)


# The institutions' answers: partners' routes and the organizer's follow-up, one router for
# the app all the same (config/api.py mounts this one).
router.add_router("", responses_router)


def _forum(request, event_id: int):
    event = selectors.forum_get_for_staff(user=request.auth, event_id=event_id)
    if event is None:
        raise NotFound(_("No such forum."))
    return event


def _recommendation(request, recommendation_id: int) -> Recommendation:
    recommendation = selectors.recommendation_get_for_staff(
        user=request.auth, recommendation_id=recommendation_id
    )
    if recommendation is None:
        raise NotFound(_("No such recommendation."))
    return recommendation


def _in_forum(model, pk, event, field: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk, event=event).first()
    if obj is None:
        raise ApplicationError(
            _("Unknown %(model)s for this forum: %(id)s.")
            % {"model": model._meta.verbose_name, "id": pk},
            field_errors={field: [_("Does not exist.")]},
        )
    return obj


def _organizations(ids: list[int]) -> list[Organization]:
    ids = list(dict.fromkeys(ids))
    found = list(Organization.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        missing = sorted(set(ids) - {org.pk for org in found})
        raise ApplicationError(
            _("Unknown organisations: %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            field_errors={"addressed_to_ids": [_("Does not exist.")]},
        )
    return found


def _fields(payload, event, *, partial: bool) -> dict:
    data = payload.dict(
        exclude_unset=partial,
        exclude={"theme_id", "proposed_by_workshop_id", "addressed_to_ids"},
    )
    if partial:
        data = {key: value for key, value in data.items() if value is not None}
    if ("theme_id" in payload.model_fields_set or not partial) and payload.theme_id is not None:
        data["theme"] = _in_forum(Theme, payload.theme_id, event, "theme_id")
    if "proposed_by_workshop_id" in payload.model_fields_set:
        data["proposed_by_workshop"] = _in_forum(
            Workshop, payload.proposed_by_workshop_id, event, "proposed_by_workshop_id"
        )
    return data


@router.get("/forums", response=list[ForumOut])
def list_forums(request):
    return list(selectors.forum_list_for_staff(user=request.auth))


@router.get("/forums/{event_id}/themes", response={200: list[ThemeOut], **STAFF_ERRORS})
def list_themes(request, event_id: int):
    return list(selectors.theme_list(event=_forum(request, event_id)))


@router.get("/forums/{event_id}/workshops", response={200: list[WorkshopOut], **STAFF_ERRORS})
def list_workshops(request, event_id: int):
    return list(selectors.workshop_list(event=_forum(request, event_id)))


@router.post("/forums/{event_id}/rapporteurs", response={201: RapporteurOut, **STAFF_ERRORS})
def assign_rapporteur(request, event_id: int, payload: RapporteurIn):
    event = _forum(request, event_id)
    user = get_user_model().objects.filter(pk=payload.user_id, is_active=True).first()
    if user is None:
        raise ApplicationError(
            _("Unknown user: %(id)s.") % {"id": payload.user_id},
            field_errors={"user_id": [_("Does not exist.")]},
        )
    workshop = _in_forum(Workshop, payload.workshop_id, event, "workshop_id")
    assignment = services.rapporteur_assign(
        event=event, user=user, workshop=workshop, assigned_by=request.auth
    )
    return Status(201, assignment)


@router.get(
    "/forums/{event_id}/recommendations", response={200: list[RecommendationOut], **STAFF_ERRORS}
)
def list_recommendations(request, event_id: int, status: Recommendation.Status | None = None):
    event = _forum(request, event_id)
    return list(selectors.recommendation_list(event=event, status=status))


@router.post(
    "/forums/{event_id}/recommendations", response={201: RecommendationOut, **STAFF_ERRORS}
)
def create_recommendation(request, event_id: int, payload: RecommendationIn):
    event = _forum(request, event_id)
    recommendation = services.recommendation_create(
        event=event,
        user=request.auth,
        addressed_to=_organizations(payload.addressed_to_ids),
        **_fields(payload, event, partial=False),
    )
    return Status(201, recommendation)


@router.get(
    "/recommendations/{recommendation_id}", response={200: RecommendationOut, **STAFF_ERRORS}
)
def get_recommendation(request, recommendation_id: int):
    return _recommendation(request, recommendation_id)


@router.patch(
    "/recommendations/{recommendation_id}", response={200: RecommendationOut, **STAFF_ERRORS}
)
def update_recommendation(request, recommendation_id: int, payload: RecommendationPatch):
    recommendation = _recommendation(request, recommendation_id)
    addressed = payload.addressed_to_ids
    return services.recommendation_update(
        recommendation=recommendation,
        data=_fields(payload, recommendation.event, partial=True),
        addressed_to=None if addressed is None else _organizations(addressed),
    )


@router.delete("/recommendations/{recommendation_id}", response={204: None, **STAFF_ERRORS})
def delete_recommendation(request, recommendation_id: int):
    services.recommendation_delete(
        recommendation=_recommendation(request, recommendation_id), user=request.auth
    )
    return Status(204, None)


@router.post(
    "/recommendations/{recommendation_id}/adopt", response={200: RecommendationOut, **STAFF_ERRORS}
)
def adopt_recommendation(request, recommendation_id: int):
    return services.recommendation_adopt(
        recommendation=_recommendation(request, recommendation_id), user=request.auth
    )


@router.post(
    "/recommendations/{recommendation_id}/reject", response={200: RecommendationOut, **STAFF_ERRORS}
)
def reject_recommendation(request, recommendation_id: int):
    return services.recommendation_reject(
        recommendation=_recommendation(request, recommendation_id), user=request.auth
    )


@router.post(
    "/recommendations/{recommendation_id}/merge", response={200: RecommendationOut, **STAFF_ERRORS}
)
def merge_recommendation(request, recommendation_id: int, payload: MergeIn):
    source = _recommendation(request, recommendation_id)
    target = _recommendation(request, payload.into_id)
    return services.recommendation_merge(recommendation=source, into=target, user=request.auth)


@router.post("/forums/{event_id}/summaries", response={201: SummaryOut, **STAFF_ERRORS})
def build_new_summary_version(request, event_id: int, payload: SummaryVersionIn):
    """The organizer's explicit request for a new version (closing builds the first one). It is
    a draft: partners get it only once released, after a preview."""
    event = _forum(request, event_id)
    summary = services.summary_build(
        event=event, new_version=True, user=request.auth, language=payload.language or ""
    )
    return Status(201, _summary_out(summary, language=summary.language, organization_id=None))


@router.post(
    "/forums/{event_id}/summaries/{version}/release", response={200: SummaryOut, **STAFF_ERRORS}
)
def release_summary_version(request, event_id: int, version: int, payload: SummaryReleaseIn):
    """Send a previewed version to the partners (e-mail, partner portal). Warnings (no adopted
    recommendation, 0 attendances) must be listed in `acknowledged`; sending twice sends once."""
    event = _forum(request, event_id)
    summary = event.forum_summaries.filter(number=version).first()
    if summary is None:
        raise NotFound(_("No such summary version."))
    summary = summary_release(
        summary_id=summary.pk,
        previewed_sha256=payload.sha256,
        acknowledged=payload.acknowledged,
        user=request.auth,
    )
    return _summary_out(summary, language=summary.language, organization_id=None)


@router.get(
    "/forums/{event_id}/summary",
    response={200: SummaryOut, **STAFF_ERRORS},
    auth=[PartnerTokenAuth(), PartnerOrStaffSessionAuth()],
)
def get_summary(request, event_id: int, language: Language | None = None):
    viewer = request.auth
    organization = getattr(viewer, "organization", None)
    if organization is not None:  # a partner contact
        event = selectors.partner_forum_get(organization=organization, event_id=event_id)
        language = language or viewer.preferred_language
    else:  # staff: only the forums they organise
        event = selectors.forum_get_for_staff(user=viewer, event_id=event_id)
        if event is not None and not can_manage_event(viewer, event):
            event = None
    if event is None:
        summary = None
    elif organization is not None:  # partners read what was released to them, never a draft
        summary = selectors.summary_latest_released(event=event)
    else:
        summary = selectors.summary_latest(event=event)
    if summary is None:
        raise NotFound(_("No summary for this forum."))
    return _summary_out(
        summary,
        language=language or summary.language,
        organization_id=organization.pk if organization is not None else None,
    )


def _summary_out(summary, *, language: str, organization_id: int | None) -> dict:
    view = summary_view(summary.data, language=language, organization_id=organization_id)
    return {
        "event_id": summary.event_id,
        "version": summary.number,
        "built_at": summary.built_at,
        "released_at": summary.released_at,
        "sha256": summary.sha256,
        "language": language,
        "title": view["title"],
        "event": view["event"],
        "total_attendances": view["total"],
        "figures": view["figures"],
        "recommendation_count": view["recommendation_count"],
        "endorsement_count": view["endorsement_count"],
        "own_recommendations": view["own_recommendations"],
        "themes": view["themes"],
        "institutions": view["institutions"],
        "next_steps": view["next_steps"],
        "pdf_url": reverse("forums:summary_pdf", kwargs={"event_id": summary.event_id}),
    }
