"""The privacy sweep: canary names, a phone and an e-mail planted through the public form and the
door, then looked for everywhere a partner, a log or a purged database could show them.

Aggregate outputs (figures, CSV/XLSX exports, the figures API) never hold them; the door PDFs print
names until the purge and none after it; after the retention purge no column of any table holds
them, and every figure is the same as before the purge."""

import datetime
import io
import logging
import uuid
import zoneinfo

import openpyxl
import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.db import models
from pypdf import PdfReader

from attendance.services.tokens import door_token_create
from events.models import Registration
from events.services.retention import retention_purge_expired
from reporting.selectors import figures_for_programme
from tests.events.registration_form import form_data, with_members
from tests.factories import TODAY, MembershipFactory, ProgrammeFactory, SessionFactory

pytestmark = pytest.mark.django_db
OUJDA = zoneinfo.ZoneInfo("Africa/Casablanca")
CANARY_NAME, CANARY_MEMBER, CANARY_TYPED = "Canarynabou", "Canarymoussa", "Canarytypedname"
CANARY_PHONE, CANARY_EMAIL = "+212661987654", "canary.private@example.net"
CANARY_REPLY = "Canaryreplytext"
CANARIES = [
    CANARY_NAME,
    CANARY_MEMBER,
    CANARY_TYPED,
    CANARY_PHONE,
    "661987654",
    CANARY_EMAIL,
    CANARY_REPLY,
]
BEFORE_EVENT = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
DOOR_OPEN = datetime.datetime.combine(TODAY, datetime.time(10, 30), tzinfo=OUJDA)


def _register(client, event):
    response = client.post(
        f"/events/{event.pk}/register/",
        with_members(
            form_data(
                **{
                    "contact-first_name": CANARY_NAME,
                    "contact-kind": "household",
                    "contact-phone": "06 61 98 76 54",
                    "contact-email": CANARY_EMAIL,
                    "contact-consent_contact": "on",
                }
            ),
            {"first_name": CANARY_MEMBER, "gender": "male", "age_band": "5-11"},
        ),
    )
    assert response.status_code == 302
    return Registration.objects.get(event=event)


def _door(client, session, registration):
    issued = door_token_create(label="Gate A", events=[session.event], created_by=None)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {issued.raw_token}"}
    ticket = registration.members.get(is_contact=True).ticket
    for text, expected in ((ticket.secret, "admitted"), (CANARY_TYPED, "unknown_ticket")):
        answer = client.post(
            "/api/v1/checkin/scan",
            {"text": text, "session_id": session.pk, "nonce": str(uuid.uuid4())},
            content_type="application/json",
            **bearer,
        )
        assert answer.json()["status"] == expected


def _replies(client, settings):
    """The contact answers our SMS: a question (the organizers' inbox) and a yes (an answer)."""
    settings.SMS_INBOUND_TOKEN = "canary-inbound-secret"  # noqa: S105
    for provider_id, text in (("c-1", f"{CANARY_REPLY} viendra aussi ?"), ("c-2", "OUI")):
        response = client.post(
            "/api/v1/notifications/sms/inbound",
            {"from": CANARY_PHONE, "text": text, "id": provider_id},
            content_type="application/json",
            headers={"Authorization": "Bearer canary-inbound-secret"},
        )
        assert response.status_code == 200


def _aggregate_outputs(client, event) -> dict[str, str]:
    """What a donor or partner receives: figures pages, exports and API answers."""
    programme_id = event.programme_id
    outputs = {}
    for url in (
        f"/organizer/programmes/{programme_id}/figures/",
        f"/organizer/programmes/{programme_id}/figures.csv",
        f"/organizer/events/{event.pk}/figures/",
        f"/api/v1/programmes/{programme_id}/figures",
        f"/api/v1/events/{event.pk}/figures",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        outputs[url] = response.content.decode("utf-8-sig")
    workbook = client.get(f"/organizer/programmes/{programme_id}/figures.xlsx")
    assert workbook.status_code == 200
    sheets = openpyxl.load_workbook(io.BytesIO(workbook.content), read_only=True)
    outputs["figures.xlsx"] = " ".join(
        str(cell) for sheet in sheets for row in sheet.iter_rows(values_only=True) for cell in row
    )
    return outputs


def _pdf_texts(client, event, session) -> dict[str, str]:
    """The PDFs an organizer prints for the door: the paper check-in list and the badges."""
    texts = {}
    for url in (f"/door/sessions/{session.pk}/paper-list.pdf", f"/events/{event.pk}/badges.pdf"):
        response = client.get(url)
        assert response.status_code == 200, url
        pages = PdfReader(io.BytesIO(response.content)).pages
        texts[url] = " ".join(page.extract_text() for page in pages)
    return texts


def _database_text() -> str:
    """Every text, JSON and binary value of every table, as one string."""
    kinds = (models.CharField, models.TextField, models.JSONField, models.BinaryField)
    chunks = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)]
        if names:
            for row in model._default_manager.values_list(*names):
                chunks.extend(
                    bytes(v).decode("utf-8", "replace")
                    if isinstance(v, memoryview | bytes)
                    else str(v)
                    for v in row
                )
    return "\n".join(chunks)


def _purge_after_retention(event, capture_on_commit) -> None:
    """A month after the event (its retention period), the purge forgets its one registration."""
    after_retention = datetime.datetime.combine(
        event.end_date + datetime.timedelta(days=31), datetime.time(12), OUJDA
    )
    with time_machine.travel(after_retention, tick=False), capture_on_commit(execute=True):
        assert retention_purge_expired() == 1


def test_canaries_reach_no_aggregate_output_no_log_and_no_purged_column(
    client, caplog, django_capture_on_commit_callbacks, settings
):
    cache.clear()
    caplog.set_level(logging.DEBUG)
    programme = ProgrammeFactory(retention_days=30)
    session = SessionFactory(event__programme=programme)
    event = session.event
    with (
        time_machine.travel(BEFORE_EVENT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        registration = _register(client, event)
    with (
        time_machine.travel(BEFORE_EVENT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _replies(client, settings)
    with time_machine.travel(DOOR_OPEN, tick=False):
        _door(client, session, registration)
    assert CANARY_TYPED in _database_text(), "the typed text was not planted"
    assert CANARY_REPLY in _database_text(), "the reply was not planted"
    assert CANARY_NAME in _database_text()

    client.force_login(MembershipFactory(organization=event.organizer).user)
    for where, text in _aggregate_outputs(client, event).items():
        for canary in CANARIES:
            assert canary not in text, f"{canary!r} in {where}"
    figures_before = figures_for_programme(programme=programme)
    printed = " ".join(_pdf_texts(client, event, session).values())
    assert CANARY_NAME in printed, "the PDFs do not print names: the check below proves nothing"

    _purge_after_retention(event, django_capture_on_commit_callbacks)

    dump = _database_text()
    for canary in CANARIES:
        assert canary not in dump, f"{canary!r} survived the purge"
    for where, text in _pdf_texts(client, event, session).items():
        for canary in CANARIES:
            assert canary not in text, f"{canary!r} still printed in {where} after the purge"
    assert figures_for_programme(programme=programme) == figures_before
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records
    for canary in CANARIES:
        assert canary not in logged, f"{canary!r} in the logs"
