"""Building and sending the follow-up report that opens a forum, the way the summary goes: built
as a draft, previewed by the organizer (each partner contact's e-mail, the PDF and page in each
language, by the functions that send them), confirmed against the previewed version's hash,
then one outbox e-mail per contact with the PDF rebuilt at send time
(notifications.attachments). The idempotency key is (report version, contact).

Recipients are the contacts with an e-mail of the organisations linked to the previous forum
(those its recommendations were addressed to, the programme's partners and donors, its
co-organisers): the ones the recommendations concern."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ApplicationError
from core.services import audit_record
from events.models import Event, EventKind
from notifications.attachments import Attachment
from notifications.models import Channel, Message, Purpose
from notifications.rendering import opt_out_url, render_for
from notifications.tokens import recipient_hash

from . import selectors
from .followup_report import data_sha256, followup_data_build, followup_pdf_render, previous_forum
from .models import FollowupReport
from .partner_delivery import PartnerDocument, document_deliver, document_release
from .partners import partner_link_url


def followup_report_build(*, event: Event, user=None) -> FollowupReport:
    """A new version of the report from today's data (answers keep coming in)."""
    if event.kind != EventKind.FORUM:
        raise ApplicationError(_("This event is not a forum."), code="not_a_forum", status=409)
    previous = previous_forum(event)
    if previous is None:
        raise ApplicationError(
            _("This programme has no earlier forum to report on."),
            code="no_previous_forum",
            status=409,
        )
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        data = followup_data_build(event=event, previous=previous)
        number = (event.followup_reports.aggregate(top=Max("number"))["top"] or 0) + 1
        report = FollowupReport.objects.create(
            event=event,
            previous=previous,
            number=number,
            built_at=timezone.now(),
            built_by=user,
            data=data,
            sha256=data_sha256(data),
        )
        audit_record(
            actor=user, action="forums.followup_built", target=report, detail={"number": number}
        )
    return report


def followup_latest(*, event: Event) -> FollowupReport | None:
    return event.followup_reports.order_by("-number").first()


def followup_recipients(report: FollowupReport):
    return selectors.summary_recipient_contacts(event=report.previous)


def followup_email(report: FollowupReport, contact) -> tuple[str, str, str]:
    language = contact.preferred_language
    data = report.data
    subject, body = render_for(
        purpose=Purpose.FORUM_FOLLOWUP,
        channel=Channel.EMAIL,
        language=language,
        context={
            "name": contact.name,
            "organization": contact.organization.name,
            "event": data["event"]["title"].get(language) or data["event"]["title"]["fr"],
            "previous": data["previous"]["title"].get(language) or data["previous"]["title"]["fr"],
            "partner_url": partner_link_url(contact=contact),
            "opt_out_url": opt_out_url(Channel.EMAIL, recipient_hash(Channel.EMAIL, contact.email)),
        },
        organization_id=report.event.organizer_id,
    )
    return language, subject, body


def followup_release(*, report_id: int, previewed_sha256: str, user=None) -> FollowupReport:
    """The organizer's confirmation after the preview; delivered once committed."""
    return document_release(
        FOLLOWUP, document_id=report_id, previewed_sha256=previewed_sha256, user=user
    )


def followup_deliver(*, report_id: int) -> list[int]:
    return document_deliver(FOLLOWUP, document_id=report_id)


def followup_pdf_attachment(report: FollowupReport, *, language: str) -> Attachment:
    return Attachment(
        filename=f"forum-{report.previous_id}-followup-v{report.number}-{language}.pdf",
        content=followup_pdf_render(report.data, language=language),
        mimetype="application/pdf",
    )


def followup_attachments(message: Message) -> list[Attachment]:
    report = FollowupReport.objects.get(pk=(message.payload or {})["followup"])
    return [followup_pdf_attachment(report, language=message.language)]


FOLLOWUP = PartnerDocument(
    name="followup",
    model=FollowupReport,
    purpose=Purpose.FORUM_FOLLOWUP,
    key_prefix="f",
    superseded_message=gettext_lazy(
        "A newer version of this report exists; only the latest one is delivered."
    ),
    deliver_task="forums.tasks.forum_followup_deliver_task",
    latest=lambda report: followup_latest(event=report.event),
    recipients=followup_recipients,
    email=followup_email,
    payload=lambda report, contact: {"followup": report.pk, "contact": contact.pk},
    related=("event", "previous"),
)
