"""Who may do what. The one place pages, admin, API and exports ask; nothing else checks roles.

Administrators (superusers) see everything. Organizers see and change the programmes and events of
the organisations they belong to. Querysets are scoped by field paths so this module does not
import the domain apps (they import it)."""

from django.db.models import Q, QuerySet

from .models import Membership


def is_administrator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def organization_ids(user, role: str = Membership.Role.ORGANIZER) -> set[int]:
    if not (user and user.is_authenticated and user.is_active):
        return set()
    cache_name = f"_multaqa_org_ids_{role}"
    if not hasattr(user, cache_name):
        ids = set(
            Membership.objects.filter(user=user, role=role).values_list(
                "organization_id", flat=True
            )
        )
        setattr(user, cache_name, ids)
    return getattr(user, cache_name)


def is_staff_member(user) -> bool:
    """May use the organizer API and pages at all (object checks come on top)."""
    return is_administrator(user) or bool(organization_ids(user))


def programme_seen_q(orgs: set[int]) -> Q:
    """Programmes an organisation leads or runs an event of."""
    return Q(lead_organization_id__in=orgs) | Q(events__organizer_id__in=orgs)


def event_owner_q(orgs: set[int], prefix: str = "") -> Q:
    """Events (or rows reached through `prefix`, e.g. 'event__') of these organisations: the
    event's organiser or its programme's lead. core.tenancy scopes the admin with the same Q."""
    return Q(**{f"{prefix}organizer_id__in": orgs}) | Q(
        **{f"{prefix}programme__lead_organization_id__in": orgs}
    )


def scope_programmes(user, queryset: QuerySet) -> QuerySet:
    if is_administrator(user):
        return queryset
    return queryset.filter(programme_seen_q(organization_ids(user))).distinct()


def scope_events(user, queryset: QuerySet, prefix: str = "") -> QuerySet:
    """Events (or rows reached through `prefix`, e.g. 'event__') the user organizes."""
    if is_administrator(user):
        return queryset
    return queryset.filter(event_owner_q(organization_ids(user), prefix))


def can_manage_programme(user, programme) -> bool:
    return is_administrator(user) or programme.lead_organization_id in organization_ids(user)


def can_manage_event(user, event) -> bool:
    if is_administrator(user):
        return True
    orgs = organization_ids(user)
    return event.organizer_id in orgs or event.programme.lead_organization_id in orgs


# Volunteers: a door token (not a user) scoped to the events it was issued for. Only the scanner
# API accepts it; it sees first name, gender and age band of the tickets it scans, nothing more.
def volunteer_may_use_event(door_token, event_id: int) -> bool:
    return bool(door_token) and door_token.events.filter(pk=event_id).exists()


# Rapporteurs: a user assigned to a forum who still holds a rapporteur role in the organisation
# that organizes it (leaving the organisation ends the access). The assignment is reached through
# the event's reverse relation so this module does not import the forums app.
def is_forum_rapporteur(user, event) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if event.organizer_id not in organization_ids(user, role=Membership.Role.RAPPORTEUR):
        return False
    return event.rapporteur_assignments.filter(user=user).exists()


def can_enter_recommendations(user, event) -> bool:
    """Organizers of the forum and its rapporteurs."""
    return can_manage_event(user, event) or is_forum_rapporteur(user, event)


def can_facilitate_event(user, event) -> bool:
    """Organizers of the event, and the rapporteurs (facilitators) of its organising NGO: they
    type proposals in for participants at a facilitated table and enter groups' proposals."""
    if can_manage_event(user, event):
        return True
    return event.organizer_id in organization_ids(user, role=Membership.Role.RAPPORTEUR)


# Partner contacts: an organisation's contact (logged in, or holding a signed link) sees the
# summaries and aggregates of the forums their organisation is linked to, never registrations.
def partner_forum_link(organization) -> Q:
    """Events linked to `organization`: partner or donor of the programme, co-organiser, or
    addressed by one of the forum's adopted recommendations."""
    return (
        Q(programme__partners=organization)
        | Q(programme__donors=organization)
        | Q(co_organizers=organization)
        | Q(
            recommendations__addressed_to=organization,
            recommendations__status="adopted",
        )
    )


def can_manage_organizations(user) -> bool:
    """Organisations are shared by every NGO (partners, donors, schools): only administrators
    create, change or delete them. Organizers list and read them to pick partners."""
    return is_administrator(user)


def can_manage_memberships(user) -> bool:
    """Role changes (who is organizer or rapporteur of what) are for administrators only."""
    return is_administrator(user)
