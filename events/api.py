"""Staff API for organisations, programmes with targets, events and sessions. Parses, authorizes
and hands over to services; business rules live in events/services."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from core.auth import staff_auth
from core.errors import ApplicationError, PermissionDenied
from core.models import Organization
from core.pagination import BoundedLimitOffsetPagination
from core.permissions import (
    can_manage_event,
    can_manage_organizations,
    can_manage_programme,
    is_administrator,
)
from core.schemas import STAFF_ERRORS
from events.models import Event, Programme, Registration, Session, Target, Ticket, Venue
from events.schemas import (
    EventDuplicateIn,
    EventFilter,
    EventIn,
    EventOut,
    EventPatch,
    EventStatusIn,
    ImportReportOut,
    OrganizationIn,
    OrganizationOut,
    OrganizationPatch,
    PersonIn,
    ProgrammeIn,
    ProgrammeOut,
    ProgrammePatch,
    RegistrationIn,
    RegistrationOut,
    SessionIn,
    SessionOut,
    SessionPatch,
    TargetIn,
    TargetOut,
    TicketOut,
)
from events.selectors.events import event_list, organization_list, programme_list, session_list
from events.selectors.registrations import registration_list
from events.services import events as event_services
from events.services import organizations as organization_services
from events.services import programmes as programme_services
from events.services import registrations as registration_services
from events.services import tickets as ticket_services
from events.services.registration_imports import registrations_import_csv
from events.services.registrations import PersonData

router = Router(tags=["events"], auth=staff_auth)


def _referenced(model, pk: int, field: str):
    """An object named by id in a request body: unknown ids are a 400 on that field."""
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ApplicationError(
            _("Unknown %(model)s: %(id)s.") % {"model": model._meta.verbose_name, "id": pk},
            field_errors={field: [_("Does not exist.")]},
        )
    return obj


def _referenced_many(model, pks: list[int], field: str) -> list:
    return [_referenced(model, pk, field) for pk in dict.fromkeys(pks)]


def _own_programme(request, programme_id: int) -> Programme:
    programme = get_object_or_404(programme_list(user=request.auth), pk=programme_id)
    if not can_manage_programme(request.auth, programme):
        raise PermissionDenied(_("Only the programme's lead organisation may change it."))
    return programme


def _own_event(request, event_id: int) -> Event:
    event = get_object_or_404(event_list(user=request.auth), pk=event_id)
    if not can_manage_event(request.auth, event):  # pragma: no cover - event_list already scopes
        raise PermissionDenied(_("You do not organize this event."))
    return event


def _own_session(request, session_id: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("event__programme"), pk=session_id)
    if not can_manage_event(request.auth, session.event):
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    return session


# Organisations ----------------------------------------------------------------------------------


@router.get("/organizations", response=list[OrganizationOut])
@paginate(BoundedLimitOffsetPagination)
def list_organizations(request, search: str = ""):
    return organization_list(search=search)


@router.post("/organizations", response={201: OrganizationOut, **STAFF_ERRORS})
def create_organization(request, payload: OrganizationIn):
    if not can_manage_organizations(request.auth):
        raise PermissionDenied(_("Only administrators may create organisations."))
    return Status(201, organization_services.organization_create(**payload.dict()))


@router.patch("/organizations/{organization_id}", response={200: OrganizationOut, **STAFF_ERRORS})
def update_organization(request, organization_id: int, payload: OrganizationPatch):
    if not can_manage_organizations(request.auth):
        raise PermissionDenied(_("Only administrators may change organisations."))
    organization = get_object_or_404(Organization, pk=organization_id)
    return organization_services.organization_update(
        organization=organization, data=payload.dict(exclude_unset=True)
    )


# Programmes and targets -------------------------------------------------------------------------


@router.get("/programmes", response=list[ProgrammeOut])
@paginate(BoundedLimitOffsetPagination)
def list_programmes(request):
    return programme_list(user=request.auth).prefetch_related("donors", "partners")


@router.get("/programmes/{programme_id}", response={200: ProgrammeOut, **STAFF_ERRORS})
def get_programme(request, programme_id: int):
    return get_object_or_404(programme_list(user=request.auth), pk=programme_id)


@router.post("/programmes", response={201: ProgrammeOut, **STAFF_ERRORS})
def create_programme(request, payload: ProgrammeIn):
    data = payload.dict(exclude={"lead_organization_id", "donor_ids", "partner_ids", "targets"})
    lead = _referenced(Organization, payload.lead_organization_id, "lead_organization_id")
    if not is_administrator(request.auth) and not can_manage_programme(
        request.auth, Programme(lead_organization=lead)
    ):
        raise PermissionDenied(_("You can only create programmes led by your organisation."))
    programme = programme_services.programme_create(
        lead_organization=lead,
        donors=_referenced_many(Organization, payload.donor_ids, "donor_ids"),
        partners=_referenced_many(Organization, payload.partner_ids, "partner_ids"),
        targets=[_target_fields(target) for target in payload.targets],
        **data,
    )
    return Status(201, programme)


@router.patch("/programmes/{programme_id}", response={200: ProgrammeOut, **STAFF_ERRORS})
def update_programme(request, programme_id: int, payload: ProgrammePatch):
    programme = _own_programme(request, programme_id)
    data = payload.dict(exclude_unset=True, exclude={"donor_ids", "partner_ids"})
    return programme_services.programme_update(
        programme=programme,
        data=data,
        donors=None
        if payload.donor_ids is None
        else _referenced_many(Organization, payload.donor_ids, "donor_ids"),
        partners=None
        if payload.partner_ids is None
        else _referenced_many(Organization, payload.partner_ids, "partner_ids"),
    )


def _target_fields(payload: TargetIn) -> dict:
    data = payload.dict()
    data["share_field"] = data["share_field"] or ""
    data["share_value"] = data["share_value"] or ""
    return data


@router.post("/programmes/{programme_id}/targets", response={201: TargetOut, **STAFF_ERRORS})
def create_target(request, programme_id: int, payload: TargetIn):
    programme = _own_programme(request, programme_id)
    return Status(
        201, programme_services.target_create(programme=programme, **_target_fields(payload))
    )


@router.put("/targets/{target_id}", response={200: TargetOut, **STAFF_ERRORS})
def replace_target(request, target_id: int, payload: TargetIn):
    target = get_object_or_404(Target.objects.select_related("programme"), pk=target_id)
    _own_programme(request, target.programme_id)
    return programme_services.target_update(target=target, data=_target_fields(payload))


@router.delete("/targets/{target_id}", response={204: None, **STAFF_ERRORS})
def delete_target(request, target_id: int):
    target = get_object_or_404(Target.objects.select_related("programme"), pk=target_id)
    _own_programme(request, target.programme_id)
    programme_services.target_delete(target=target)
    return Status(204, None)


# Events -----------------------------------------------------------------------------------------


@router.get("/events", response=list[EventOut])
@paginate(BoundedLimitOffsetPagination)
def list_events(request, filters: Query[EventFilter]):
    return event_list(user=request.auth, filters=filters).prefetch_related(
        "co_organizers", "sessions"
    )


@router.get("/events/{event_id}", response={200: EventOut, **STAFF_ERRORS})
def get_event(request, event_id: int):
    return _own_event(request, event_id)


@router.post("/events", response={201: EventOut, **STAFF_ERRORS})
def create_event(request, payload: EventIn):
    programme = get_object_or_404(programme_list(user=request.auth), pk=payload.programme_id)
    organizer = _referenced(Organization, payload.organizer_id, "organizer_id")
    probe = Event(programme=programme, organizer=organizer)
    if not can_manage_event(request.auth, probe):
        raise PermissionDenied(_("You can only create events for your organisation."))
    data = payload.dict(exclude={"programme_id", "organizer_id", "co_organizer_ids", "sessions"})
    event = event_services.event_create(
        programme=programme,
        organizer=organizer,
        co_organizers=_referenced_many(Organization, payload.co_organizer_ids, "co_organizer_ids"),
        sessions=[_session_fields(session) for session in payload.sessions],
        **data,
    )
    return Status(201, event)


@router.patch("/events/{event_id}", response={200: EventOut, **STAFF_ERRORS})
def update_event(request, event_id: int, payload: EventPatch):
    event = _own_event(request, event_id)
    data = payload.dict(exclude_unset=True, exclude={"co_organizer_ids"})
    co_organizers = (
        None
        if payload.co_organizer_ids is None
        else _referenced_many(Organization, payload.co_organizer_ids, "co_organizer_ids")
    )
    return event_services.event_update(event=event, data=data, co_organizers=co_organizers)


@router.post("/events/{event_id}/status", response={200: EventOut, **STAFF_ERRORS})
def set_event_status(request, event_id: int, payload: EventStatusIn):
    event = _own_event(request, event_id)
    return event_services.event_set_status(event=event, status=payload.status)


@router.post("/events/{event_id}/duplicate", response={201: EventOut, **STAFF_ERRORS})
def duplicate_event(request, event_id: int, payload: EventDuplicateIn):
    event = _own_event(request, event_id)
    return Status(201, event_services.event_duplicate(event=event, start_date=payload.start_date))


# Sessions ---------------------------------------------------------------------------------------


def _session_fields(payload: SessionIn) -> dict:
    return {
        **payload.dict(exclude={"venue_id"}),
        "venue": _referenced(Venue, payload.venue_id, "venue_id"),
    }


@router.get("/events/{event_id}/sessions", response={200: list[SessionOut], **STAFF_ERRORS})
def list_sessions(request, event_id: int):
    return session_list(event=_own_event(request, event_id))


@router.post("/events/{event_id}/sessions", response={201: SessionOut, **STAFF_ERRORS})
def create_session(request, event_id: int, payload: SessionIn):
    event = _own_event(request, event_id)
    return Status(201, event_services.session_create(event=event, **_session_fields(payload)))


@router.patch("/sessions/{session_id}", response={200: SessionOut, **STAFF_ERRORS})
def update_session(request, session_id: int, payload: SessionPatch):
    session = _own_session(request, session_id)
    data = payload.dict(exclude_unset=True, exclude={"venue_id"})
    if payload.venue_id is not None:
        data["venue"] = _referenced(Venue, payload.venue_id, "venue_id")
    return event_services.session_update(session=session, data=data)


@router.delete("/sessions/{session_id}", response={204: None, **STAFF_ERRORS})
def delete_session(request, session_id: int):
    event_services.session_delete(session=_own_session(request, session_id))
    return Status(204, None)


# Registrations and tickets ----------------------------------------------------------------------


def _registration_out(registration: Registration) -> Registration:
    """Reload with what RegistrationOut reads, in one go."""
    return Registration.objects.prefetch_related(
        "members__ticket__sessions", "members__ticket__attendee"
    ).get(pk=registration.pk)


def _own_ticket(request, ticket_id: int) -> Ticket:
    ticket = get_object_or_404(
        Ticket.objects.select_related("event__programme", "attendee"), pk=ticket_id
    )
    if not can_manage_event(request.auth, ticket.event):
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    return ticket


def _person(payload: PersonIn) -> PersonData:
    return PersonData(**payload.dict())


@router.get(
    "/events/{event_id}/registrations", response={200: list[RegistrationOut], **STAFF_ERRORS}
)
@paginate(BoundedLimitOffsetPagination)
def list_registrations(request, event_id: int):
    event = _own_event(request, event_id)
    return registration_list(user=request.auth, event=event).prefetch_related(
        "members__ticket__sessions", "members__ticket__attendee"
    )


@router.post("/events/{event_id}/registrations", response={201: RegistrationOut, **STAFF_ERRORS})
def create_registration(request, event_id: int, payload: RegistrationIn):
    event = _own_event(request, event_id)
    sessions = _referenced_many(Session, payload.session_ids, "session_ids")
    registration = registration_services.registration_create(
        event=event,
        contact=_person(payload.contact),
        members=[_person(member) for member in payload.members],
        kind=payload.kind,
        phone=payload.phone,
        email=payload.email,
        language=payload.language,
        consent_register=payload.consent_register,
        consent_contact=payload.consent_contact,
        preferred_channel=payload.preferred_channel,
        whatsapp_opt_in=payload.whatsapp_opt_in,
        sessions=sessions,
        source=Registration.Source.API,
    )
    return Status(201, _registration_out(registration))


@router.post(
    "/events/{event_id}/registrations/import", response={200: ImportReportOut, **STAFF_ERRORS}
)
def import_registrations(request, event_id: int, file: File[UploadedFile], dry_run: bool = True):
    """Import a CSV of registrations; dry_run (the default) only reports bad rows."""
    event = _own_event(request, event_id)
    return registrations_import_csv(event=event, file=file, dry_run=dry_run)


@router.post("/tickets/{ticket_id}/cancel", response={200: TicketOut, **STAFF_ERRORS})
def cancel_ticket(request, ticket_id: int):
    ticket = ticket_services.ticket_cancel(
        ticket=_own_ticket(request, ticket_id), actor=request.auth
    )
    return _own_ticket(request, ticket.pk)


@router.post("/tickets/{ticket_id}/reissue", response={200: TicketOut, **STAFF_ERRORS})
def reissue_ticket(request, ticket_id: int):
    ticket = ticket_services.ticket_reissue(
        ticket=_own_ticket(request, ticket_id), actor=request.auth
    )
    return _own_ticket(request, ticket.pk)
