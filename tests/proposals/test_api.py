import pytest

from core.models import Membership
from proposals import services
from proposals.models import Proposal
from tests.factories import MembershipFactory, TicketFactory

from .conftest import linked_ticket, submitted_proposal

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _body(theme, code, **extra):
    body = {"code": code, "theme_id": theme.pk, "title": "Jardin", "text": "Idée", "language": "fr"}
    body.update(extra)
    return body


def test_submit_then_read_only_accepted_without_persons(client, call, theme):
    ticket = linked_ticket(call.event)
    response = client.post(
        f"{API}/events/{call.event_id}/proposals",
        _body(theme, ticket.short_code, proposer_name="Awa"),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    proposal = Proposal.objects.get()
    assert proposal.proposer_name == ""  # no consent, no name
    assert client.get(f"{API}/events/{call.event_id}/call").json()["accepted"] == []
    services.proposal_accept(proposal=proposal)
    body = client.get(f"{API}/events/{call.event_id}/call").json()
    assert [p["title"] for p in body["accepted"]] == ["Jardin"]
    assert set(body["accepted"][0]) == {
        "id",
        "theme_id",
        "title",
        "text",
        "language",
        "proposer_name",
        "endorsement_count",
    }


@pytest.mark.parametrize(
    ("code_of", "status", "error"),
    [
        (lambda call: "ZZZZ-ZZZZ", 404, "unknown_code"),
        (lambda call: TicketFactory().short_code, 403, "code_other_event"),
    ],
)
def test_bad_codes_answer_clear_errors(client, call, theme, code_of, status, error):
    response = client.post(
        f"{API}/events/{call.event_id}/proposals",
        _body(theme, code_of(call)),
        content_type="application/json",
    )
    assert response.status_code == status
    assert response.json()["code"] == error


def test_closed_call_duplicate_and_bad_bodies(client, call, theme):
    ticket = linked_ticket(call.event)
    url = f"{API}/events/{call.event_id}/proposals"
    assert client.post(url, _body(theme, ticket.short_code), content_type="application/json")
    duplicate = client.post(url, _body(theme, ticket.short_code), content_type="application/json")
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "duplicate_proposal")
    for bad in ([], "x", {"code": ticket.short_code}, _body(theme, ticket.short_code, title="")):
        assert client.post(url, bad, content_type="application/json").status_code in (400, 422)
    other = linked_ticket(call.event).short_code
    wrong_theme = client.post(
        url, _body(theme, other, theme_id=10**6), content_type="application/json"
    )
    assert (wrong_theme.status_code, list(wrong_theme.json()["errors"])) == (400, ["theme"])
    services.call_close(call=call)
    closed = client.post(
        url, _body(theme, linked_ticket(call.event).short_code), content_type="application/json"
    )
    assert (closed.status_code, closed.json()["code"]) == (409, "call_closed")
    assert client.get(f"{API}/events/{10**6}/call").status_code == 404


def test_endorse_once_then_409(client, call, theme):
    proposal = submitted_proposal(call, theme, accepted=True)
    code = linked_ticket(call.event).short_code
    url = f"{API}/proposals/{proposal.pk}/endorsements"
    first = client.post(url, {"code": code}, content_type="application/json")
    assert (first.status_code, first.json()["endorsement_count"]) == (201, 1)
    again = client.post(url, {"code": code}, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "already_endorsed")
    unknown = client.post(
        f"{API}/proposals/{10**6}/endorsements", {"code": code}, content_type="application/json"
    )
    assert unknown.status_code == 404


def test_too_many_wrong_codes_are_throttled(client, call, theme):
    url = f"{API}/events/{call.event_id}/proposals"
    statuses = [
        client.post(url, _body(theme, "ZZZZ-ZZZZ"), content_type="application/json").status_code
        for _ in range(31)
    ]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429


def test_staff_moderate_and_facilitators_enter_groups(client, call, theme):
    proposal = submitted_proposal(call, theme)
    rapporteur = MembershipFactory(
        organization=call.event.organizer, role=Membership.Role.RAPPORTEUR
    ).user
    client.force_login(rapporteur)
    group = client.post(
        f"{API}/events/{call.event_id}/proposals/group",
        {
            "theme_id": theme.pk,
            "title": "G",
            "text": "Groupe",
            "language": "ar",
            "counts": [{"gender": "female", "age_band": "18-24", "count": 5}],
        },
        content_type="application/json",
    )
    assert group.status_code == 201, group.content
    assert group.json()["group_counts"][0]["count"] == 5
    # A facilitator does not moderate.
    assert client.post(f"{API}/proposals/{proposal.pk}/accept").status_code == 403
    organizer = MembershipFactory(organization=call.event.organizer).user
    client.force_login(organizer)
    listed = client.get(f"{API}/events/{call.event_id}/proposals?status=pending").json()
    assert {p["id"] for p in listed} == {proposal.pk, group.json()["id"]}
    rejected = client.post(
        f"{API}/proposals/{proposal.pk}/reject",
        {"reason": "Hors sujet"},
        content_type="application/json",
    )
    assert rejected.json()["rejection_reason"] == "Hors sujet"
    accepted = client.post(f"{API}/proposals/{group.json()['id']}/accept")
    assert accepted.json()["status"] == "accepted"
    merged = client.post(
        f"{API}/proposals/{proposal.pk}/merge",
        {"into_id": proposal.pk},
        content_type="application/json",
    )
    assert merged.status_code == 400
    closed = client.put(
        f"{API}/events/{call.event_id}/call", {"is_open": False}, content_type="application/json"
    )
    assert closed.json()["is_open"] is False
