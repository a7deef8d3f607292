import io
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from core.qr import BADGE_BOX_SIZE, TICKET_PAGE_BOX_SIZE, qr_png_bytes, qr_svg
from events.badges import badges_pdf
from tests.events.test_registration_services import CHILD, register, tickets_of
from tests.factories import EventFactory, MembershipFactory, TicketFactory

pytestmark = pytest.mark.django_db


def decode_png(data: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))]


@pytest.mark.parametrize("box_size", [TICKET_PAGE_BOX_SIZE, BADGE_BOX_SIZE])
def test_qr_png_decodes_to_exactly_the_secret(box_size):
    ticket = TicketFactory()
    assert decode_png(qr_png_bytes(ticket.secret, box_size=box_size)) == [ticket.secret]


def test_qr_content_holds_no_personal_data():
    registration = register(EventFactory(), phone="0612345678", email="aminata@example.org")
    ticket = tickets_of(registration)[0]
    (content,) = decode_png(qr_png_bytes(ticket.secret))
    assert content == ticket.secret
    for personal in ("Aminata", "612345678", "aminata@example.org", "+212"):
        assert personal.lower() not in content.lower()


def test_ticket_page_qr_png_served_is_decodable(client):
    ticket = TicketFactory()
    response = client.get(f"/tickets/{ticket.secret}/qr.png")
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert decode_png(response.content) == [ticket.secret]


def test_qr_svg_is_a_well_formed_svg_of_the_ticket(client):
    ticket = TicketFactory()
    response = client.get(f"/tickets/{ticket.secret}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag.endswith("svg")
    assert qr_svg(ticket.secret) == response.content.decode()


def test_qr_of_a_waiting_ticket_is_not_served(client):
    event = EventFactory(capacity=1)
    register(event)
    waiting = tickets_of(register(event))[0]
    assert client.get(f"/tickets/{waiting.secret}/qr.png").status_code == 404


def test_badge_pdf_has_eight_badges_per_page_with_decodable_qr_codes():
    tickets = tickets_of(register(EventFactory(), members=[CHILD] * 9))
    reader = PdfReader(io.BytesIO(badges_pdf(tickets)))
    assert len(reader.pages) == 2
    decoded = []
    for page in reader.pages:
        text = page.extract_text()
        for image in page.images:
            decoded += decode_png(image.data) or [
                r.text for r in zxingcpp.read_barcodes(image.image.convert("L"))
            ]
        assert "-" in text
    assert sorted(decoded) == sorted(t.secret for t in tickets)
    first_page_text = reader.pages[0].extract_text()
    for ticket in tickets[:8]:
        assert ticket.short_code[:4] + "-" + ticket.short_code[4:] in first_page_text


def test_badges_page_is_for_the_event_organizers_only(client):
    registration = register(EventFactory(), members=[CHILD])
    event = registration.event
    url = f"/events/{event.pk}/badges.pdf"
    assert client.get(url).status_code == 302  # to the login page
    outsider = MembershipFactory().user
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    organizer = MembershipFactory(organization=event.organizer).user
    client.force_login(organizer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1


def test_badges_of_one_registration_group(client):
    event = EventFactory()
    family = register(event, members=[CHILD, CHILD])
    register(event)
    client.force_login(MembershipFactory(organization=event.organizer).user)
    response = client.get(f"/events/{event.pk}/badges.pdf?registration={family.pk}")
    images = PdfReader(io.BytesIO(response.content)).pages[0].images
    assert len(images) == 3
    other = register(EventFactory())
    assert client.get(f"/events/{event.pk}/badges.pdf?registration={other.pk}").status_code == 404


def _has_arabic(text: str) -> bool:
    # Shaped Arabic is drawn with presentation forms; any Arabic letter proves the font worked.
    return any("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" for ch in text)


def test_badges_print_arabic_names_joined_and_latin_ones_as_typed():
    event = EventFactory()
    arabic = TicketFactory(event=event, attendee__first_name="فاطمة")
    latin = TicketFactory(event=event, attendee__first_name="Aminata")

    text = PdfReader(io.BytesIO(badges_pdf([arabic, latin]))).pages[0].extract_text()

    assert _has_arabic(text)
    assert "Aminata" in text


def test_without_arabic_fonts_badges_still_print_and_leave_arabic_names_blank(settings):
    settings.FORUMS_PDF_FONT = "/nonexistent/font.ttf"
    event = EventFactory()
    tickets = [
        TicketFactory(event=event, attendee__first_name="فاطمة"),
        TicketFactory(event=event, attendee__first_name="Aminata"),
    ]

    reader = PdfReader(io.BytesIO(badges_pdf(tickets)))
    text = reader.pages[0].extract_text()

    assert not _has_arabic(text)
    assert "Aminata" in text and len(reader.pages[0].images) == 2
