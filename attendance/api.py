"""Check-in API for volunteers' scanners, authenticated by door token (Authorization: Bearer …).
Answers come in the token's language, else the scanner's Accept-Language."""

from functools import wraps

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from ninja import Query, Router

from core.schemas import error_responses
from events.models import Session

from .auth import door_token_auth, scan_token_auth
from .models import DoorAction
from .offline import PACK_RETRY_AFTER_SECONDS, OfflinePackNotReady, offline_pack
from .schemas import (
    ClassTallyIn,
    DoorMeOut,
    ErrorOut,
    GroupAdmitIn,
    GroupAdmitResult,
    HeartbeatIn,
    HeartbeatOut,
    LookupOut,
    ScanIn,
    ScanResult,
    SessionCountsOut,
    SyncIn,
    SyncOut,
    WalkInIn,
    WalkInResult,
)
from .selectors import door_lookup, session_counts, token_sessions
from .services.counted import CountedGroup, walk_in_record
from .services.door import checkin_window, door_settings_for, token_may_use
from .services.door_devices import door_device_report
from .services.groups import checkin_group_admit
from .services.scans import checkin_scan
from .services.sync import OfflineKnownWalkIn, OfflineScan, OfflineWalkIn, checkin_sync

router = Router(tags=["check-in"], auth=door_token_auth)
SCAN_RESULT_FIELDS = tuple(ScanResult.model_fields)
ERRORS = error_responses(400, 401, 403, 404, 429)
SYNC_ERRORS = error_responses(400, 401, 403, 404, 413, 422, 429)


def in_volunteer_language(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        language = request.auth.language or translation.get_language_from_request(request)
        with translation.override(language):
            return view(request, *args, **kwargs)

    return wrapper


def _session(session_id: int) -> Session:
    # The door settings come along: walk-ins and class tallies check the window with them.
    return get_object_or_404(
        Session.objects.select_related("event", "event__door_settings"), pk=session_id
    )


def _assigned_session(request, session_id: int) -> Session:
    """Reads are only for the token's events; other sessions look like they do not exist."""
    session = _session(session_id)
    if not token_may_use(request.auth, session):
        from core.errors import NotFound

        raise NotFound(translation.gettext("Not found."))
    return session


@router.get("/checkin/me", response={200: DoorMeOut, **ERRORS})
@in_volunteer_language
def door_me(request):
    sessions = []
    for session in token_sessions(token=request.auth):
        door = door_settings_for(session.event)
        # The door's window, so that the scanner can start with the session open now.
        opens, closes = checkin_window(session)
        sessions.append(
            {
                "id": session.pk,
                "event_id": session.event_id,
                "event_title": session.event.display_title,
                "label": session.title or session.school_name or session.venue.name,
                "date": session.date,
                "start_time": session.start_time,
                "end_time": session.end_time,
                "exit_scans_enabled": door.exit_scans_enabled,
                "opens": opens,
                "closes": closes,
            }
        )
    return {"label": request.auth.label, "sessions": sessions}


@router.post("/checkin/scan", response={200: ScanResult, **ERRORS}, auth=scan_token_auth)
@in_volunteer_language
def scan(request, payload: ScanIn):
    # The session's id only: the scan reads what it needs of it with the ticket (an unknown
    # session is a 404 from the service).
    result = checkin_scan(
        token=request.auth,
        text=payload.text,
        session=payload.session_id,
        gate=payload.gate,
        nonce=payload.nonce,
        client_time=payload.client_time,
        from_lookup=payload.from_lookup,
        direction=payload.direction,
    )
    # The service builds ScanResult's shape (tests/attendance/test_scan_path.py holds it to the
    # schema), so it is not validated again on the door's hot path; only its fields go out (a
    # nonce reused from another door call replays an answer of another shape).
    return JsonResponse({name: result.get(name) for name in SCAN_RESULT_FIELDS})


@router.post(
    "/checkin/group-admit",
    response={200: GroupAdmitResult, 422: ErrorOut, **ERRORS},
    auth=scan_token_auth,
)
@in_volunteer_language
def group_admit(request, payload: GroupAdmitIn):
    """Admit the chosen members of the scanned ticket's household or class in one action."""
    return checkin_group_admit(
        token=request.auth,
        text=payload.text,
        session_id=payload.session_id,
        ticket_ids=payload.ticket_ids,
        nonce=payload.nonce,
        gate=payload.gate,
        client_time=payload.client_time,
        direction=payload.direction,
    )


@router.post("/checkin/heartbeat", response={200: HeartbeatOut, 422: ErrorOut, **ERRORS})
@in_volunteer_language
def heartbeat(request, payload: HeartbeatIn):
    """The scanner's state for the organizers' door panel: its session, gate, unsynced scans."""
    device = door_device_report(
        token=request.auth,
        device_id=payload.device_id,
        session_id=payload.session_id,
        gate=payload.gate,
        unsynced=payload.unsynced,
    )
    return {"received_at": device.last_seen_at}


@router.get("/checkin/lookup", response={200: list[LookupOut], **ERRORS})
@in_volunteer_language
def lookup(request, session_id: int, q: str = Query("", max_length=50)):
    return door_lookup(session=_assigned_session(request, session_id), query=q)


@router.post("/checkin/walk-in", response={200: WalkInResult, **ERRORS})
@in_volunteer_language
def walk_in(request, payload: WalkInIn):
    if payload.groups:
        groups = [CountedGroup(g.gender, g.age_band, g.profile, g.count) for g in payload.groups]
    else:
        groups = [
            CountedGroup(
                payload.gender or "", payload.age_band or "", payload.profile, payload.count
            )
        ]
    return walk_in_record(
        token=request.auth,
        session=_session(payload.session_id),
        groups=groups,
        gate=payload.gate,
        nonce=payload.nonce,
        client_time=payload.client_time,
    )


@router.post("/checkin/class-tally", response={200: WalkInResult, **ERRORS})
@in_volunteer_language
def class_tally(request, payload: ClassTallyIn):
    groups = [CountedGroup(g.gender, g.age_band, payload.profile, g.count) for g in payload.groups]
    return walk_in_record(
        token=request.auth,
        session=_session(payload.session_id),
        groups=groups,
        gate="",
        nonce=payload.nonce,
        client_time=payload.client_time,
        action=DoorAction.CLASS_TALLY,
    )


@router.get("/checkin/sessions/{session_id}/counts", response={200: SessionCountsOut, **ERRORS})
@in_volunteer_language
def counts(request, session_id: int):
    return session_counts(session=_assigned_session(request, session_id))


@router.get("/checkin/offline-pack", response={200: dict, 503: ErrorOut, **ERRORS})
@in_volunteer_language
# Hashes and ids compress well (to about half); the pack holds nothing the request reflects.
@gzip_page
def offline_pack_download(request, event_id: int):
    """What the scanner needs to validate this event's tickets with no network (compact JSON).

    The slow short-code hashes are normally computed in the background beforehand; when too many
    are still missing (e.g. just after a salt rotation) the answer is 503 with Retry-After and the
    scanner keeps its previous pack until then."""
    event = get_object_or_404(request.auth.events.all(), pk=event_id)
    try:
        pack = offline_pack(token=request.auth, event=event)
    except OfflinePackNotReady:
        response = JsonResponse(
            {
                "code": "pack_not_ready",
                "detail": _("The offline ticket list is being prepared; try again in a minute."),
                "errors": {},
            },
            status=503,
        )
        response["Retry-After"] = str(PACK_RETRY_AFTER_SECONDS)
        return response
    return JsonResponse(pack, json_dumps_params={"separators": (",", ":")})


@router.post("/checkin/sync", response={200: SyncOut, **SYNC_ERRORS})
@in_volunteer_language
def sync(request, payload: SyncIn):
    items = []
    for item in payload.items:
        common = {
            "nonce": item.nonce,
            "session_id": item.session_id,
            "device_time": item.device_time,
            "gate": item.gate.strip(),
            "device_id": item.device_id,
        }
        if item.type == "scan":
            items.append(
                OfflineScan(
                    **common,
                    local_status=item.local_status,
                    ticket_id=item.ticket_id,
                    ticket_hash=item.ticket_hash,
                    text=item.text,
                )
            )
        elif item.type == "known_walk_in":
            items.append(
                OfflineKnownWalkIn(**common, card_id=item.card_id, card_hash=item.card_hash)
            )
        else:
            groups = [CountedGroup(g.gender, g.age_band, g.profile, g.count) for g in item.groups]
            items.append(OfflineWalkIn(**common, groups=groups))
    return {"results": checkin_sync(token=request.auth, items=items)}
