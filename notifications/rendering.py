"""Turning a template and a registration into the text of one message, and building the e-mail
(HTML alternative, inline QR, calendar file) at send time.

Variables a template may use: name, event, session_date, session_time, venue, short_code,
ticket_url, registration_url, feedback_url, opt_out_url. In the confirmation of a household or a
class, short_code lists every member's code (the first few in an SMS) and ticket_url is the
group's tickets page, so that one message lets every member in."""

import datetime
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.db.models import Q
from django.template import Context, Engine
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape, linebreaks

from core.qr import TICKET_PAGE_BOX_SIZE, qr_png_bytes
from events.models import Registration, Session, Ticket

from .attachments import message_attachments
from .default_templates import DEFAULT_TEMPLATES
from .models import Channel, Message, MessageTemplate, Purpose
from .tokens import feedback_token, opt_out_token, registration_opt_out_token

# Plain text: nothing to escape, and a participant's nickname must come out as typed.
TEXT_ENGINE = Engine(autoescape=False)
FALLBACK_LANGUAGE = "fr"
QR_CONTENT_ID = "ticket-qr"
# Codes listed in a group's confirmation SMS before "(+n)": each costs about 11 characters, and
# the link to the group's page, in the same SMS, shows them all.
GROUP_CODES_IN_SMS = 3


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def opt_out_url(channel: str, hashed_recipient: str) -> str:
    return absolute_url(
        reverse("notifications:opt_out", kwargs={"token": opt_out_token(channel, hashed_recipient)})
    )


def registration_opt_out_url(registration: Registration, channel: str) -> str:
    token = registration_opt_out_token(registration.pk, channel)
    return absolute_url(reverse("notifications:opt_out", kwargs={"token": token}))


def feedback_url(ticket: Ticket) -> str:
    return absolute_url(
        reverse("notifications:feedback", kwargs={"token": feedback_token(ticket.pk)})
    )


def template_texts(
    *, purpose: str, channel: str, language: str, organization_id: int | None = None
) -> tuple[str, str]:
    """(subject, body): the organisation's own text, else the platform's text in the database,
    else the built-in text; French when a language is missing."""
    rows = {
        (row.organization_id, row.language): row
        for row in MessageTemplate.objects.filter(
            Q(organization__isnull=True) | Q(organization_id=organization_id),
            purpose=purpose,
            channel=channel,
            language__in=(language, FALLBACK_LANGUAGE),
        )
    }
    for lang in (language, FALLBACK_LANGUAGE):
        row = rows.get((organization_id, lang)) or rows.get((None, lang))
        if row is not None:
            return row.subject, row.body
        if (purpose, channel, lang) in DEFAULT_TEMPLATES:
            return DEFAULT_TEMPLATES[(purpose, channel, lang)]
    raise LookupError(f"no template for {purpose}/{channel}")


def render_text(text: str, context: dict) -> str:
    return TEXT_ENGINE.from_string(text).render(Context(context, autoescape=False)).strip()


def render_texts(*, subject: str, body: str, context: dict) -> tuple[str, str]:
    # A subject is one line: a template edited with a newline must not break the header.
    return " ".join(render_text(subject, context).split()), render_text(body, context)


def session_start(session: Session) -> datetime.datetime:
    return datetime.datetime.combine(
        session.date, session.start_time, tzinfo=timezone.get_default_timezone()
    )


def message_context(
    *,
    registration: Registration,
    language: str,
    channel: str,
    hashed_recipient: str,
    session: Session | None = None,
    ticket: Ticket | None = None,
    with_feedback: bool = False,
    group_tickets: list[Ticket] | None = None,
) -> dict:
    with translation.override(language):
        context = {
            "name": registration.contact_name,
            "event": registration.event.display_title,
            "registration_url": absolute_url(registration.get_absolute_url()),
            "opt_out_url": registration_opt_out_url(registration, channel),
            "ticket_url": absolute_url(ticket.get_absolute_url()) if ticket else "",
            "short_code": str(ticket) if ticket else "",
            "feedback_url": feedback_url(ticket) if ticket and with_feedback else "",
            "session_date": "",
            "session_time": "",
            "venue": "",
        }
        if session is not None:
            context["session_date"] = formats.date_format(session.date, "DATE_FORMAT")
            context["session_time"] = session.start_time.strftime("%H:%M")
            context["venue"] = ", ".join(p for p in (session.venue.name, session.venue.city) if p)
    if group_tickets and len(group_tickets) > 1:
        context["short_code"] = group_codes(group_tickets, channel=channel)
        context["ticket_url"] = context["registration_url"]
    return context


def group_codes(tickets: list[Ticket], *, channel: str) -> str:
    """Every member's code for an e-mail; the first few and how many more for an SMS."""
    codes = [str(ticket) for ticket in tickets]
    if channel != Channel.SMS or len(codes) <= GROUP_CODES_IN_SMS:
        return ", ".join(codes)
    return f"{', '.join(codes[:GROUP_CODES_IN_SMS])} (+{len(codes) - GROUP_CODES_IN_SMS})"


def render_for(
    *,
    purpose: str,
    channel: str,
    language: str,
    context: dict,
    organization_id: int | None = None,
) -> tuple[str, str]:
    subject, body = template_texts(
        purpose=purpose, channel=channel, language=language, organization_id=organization_id
    )
    return render_texts(subject=subject, body=body, context=context)


def ticket_qr_png(ticket: Ticket, *, box_size: int = TICKET_PAGE_BOX_SIZE) -> bytes:
    """The same QR image as the ticket page: only the ticket secret is encoded."""
    return qr_png_bytes(ticket.secret, box_size=box_size)


class RelatedEmail(EmailMultiAlternatives):
    """text + HTML alternatives wrapped in multipart/related with inline images (cid:), so that
    the QR shows in the body instead of as an attachment; other attachments stay outside."""

    def __init__(self, *args, inline_images: list[tuple[str, bytes]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.inline_images = inline_images or []

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if not self.inline_images:
            return msg
        related = SafeMIMEMultipart(
            _subtype="related", encoding=self.encoding or settings.DEFAULT_CHARSET
        )
        related.attach(msg)
        for content_id, png in self.inline_images:
            image = MIMEImage(png, _subtype="png")
            image.add_header("Content-ID", f"<{content_id}>")
            image.add_header("Content-Disposition", "inline", filename=f"{content_id}.png")
            related.attach(image)
        return related


def email_html(body: str, language: str, *, extra: str = "") -> str:
    """The HTML part of an e-mail: the text, escaped, in the reader's direction. Previews of
    what will be sent (forums) use it too, so that they show exactly this."""
    direction = "rtl" if language == "ar" else "ltr"
    return f'<div dir="{direction}">{linebreaks(escape(body))}{extra}</div>'


def build_email(message: Message) -> EmailMultiAlternatives:
    from .ics import sessions_ics

    domain = (
        settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "multaqa.local"
    )
    unsubscribe = opt_out_url(Channel.EMAIL, message.recipient_hash)
    inline_images, image_html = [], ""
    ticket = message.ticket
    if message.purpose == Purpose.CONFIRMATION and ticket is not None:
        inline_images.append((QR_CONTENT_ID, ticket_qr_png(ticket)))
        image_html = f'<p><img src="cid:{QR_CONTENT_ID}" alt="QR" width="240" height="240"></p>'
    html = email_html(message.body, message.language, extra=image_html)
    email = RelatedEmail(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={
            # Stable per outbox row: a resend after a crash carries the same id, so mail
            # systems can fold the duplicate.
            "Message-ID": f"<{message.idempotency_key.replace(':', '.')}@{domain}>",
            "List-Unsubscribe": f"<{unsubscribe}>",
            "Content-Language": message.language,
        },
        inline_images=inline_images,
    )
    email.attach_alternative(html, "text/html")
    if message.purpose == Purpose.CONFIRMATION and ticket is not None:
        sessions = list(ticket.sessions.select_related("venue")) or list(
            ticket.event.sessions.select_related("venue")
        )
        with translation.override(message.language):
            title = ticket.event.display_title
        ics = sessions_ics(
            sessions, title=title, domain=domain, url=absolute_url(ticket.get_absolute_url())
        )
        email.attach("multaqa.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
    for attachment in message_attachments(message):
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    return email
