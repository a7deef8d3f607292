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

from core.errors import ApplicationError
from core.services import audit_record
from events.models import Event, EventKind
from notifications.attachments import Attachment
from notifications.models import Channel, Message, Purpose
from notifications.rendering import opt_out_url, render_for
from notifications.services import message_schedule, messages_dispatch
from notifications.tokens import recipient_hash

from . import selectors
from .followup_report import data_sha256, followup_data_build, followup_pdf_render, previous_forum
from .models import FollowupReport
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


def delivery_key(*, report_id: int, contact_id: int) -> str:
    return f"{Purpose.FORUM_FOLLOWUP}:f{report_id}:c{contact_id}"


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
    from .tasks import forum_followup_deliver_task

    with transaction.atomic():
        report = (
            FollowupReport.objects.select_for_update().select_related("event").get(pk=report_id)
        )
        if report.sha256 != previewed_sha256:
            raise ApplicationError(
                _("This is not the version you previewed. Preview it again before sending."),
                code="followup_not_previewed",
                status=409,
            )
        latest = followup_latest(event=report.event)
        if latest.pk != report.pk:
            raise ApplicationError(
                _("A newer version of this report exists; only the latest one is delivered."),
                code="followup_superseded",
                status=409,
            )
        if report.released_at is None:
            report.released_at, report.released_by = timezone.now(), user
            report.save(update_fields=["released_at", "released_by"])
            audit_record(actor=user, action="forums.followup_released", target=report)
        report_id = report.pk
        transaction.on_commit(lambda: forum_followup_deliver_task.delay(report_id))
    return report


def followup_deliver(*, report_id: int) -> list[int]:
    report = FollowupReport.objects.select_related("event", "previous").get(pk=report_id)
    latest = followup_latest(event=report.event)
    if report.released_at is None or latest.pk != report.pk:
        return []
    ids = []
    with transaction.atomic():
        for contact in followup_recipients(report):
            language, subject, body = followup_email(report, contact)
            message, _created = message_schedule(
                idempotency_key=delivery_key(report_id=report.pk, contact_id=contact.pk),
                channel=Channel.EMAIL,
                recipient=contact.email,
                language=language,
                purpose=Purpose.FORUM_FOLLOWUP,
                subject=subject,
                body=body,
                scheduled_at=timezone.now(),
                event=report.event,
                payload={"followup": report.pk, "contact": contact.pk},
            )
            ids.append(message.pk)
        messages_dispatch(ids=ids)
    return ids


def followup_pdf_attachment(report: FollowupReport, *, language: str) -> Attachment:
    return Attachment(
        filename=f"forum-{report.previous_id}-followup-v{report.number}-{language}.pdf",
        content=followup_pdf_render(report.data, language=language),
        mimetype="application/pdf",
    )


def followup_attachments(message: Message) -> list[Attachment]:
    report = FollowupReport.objects.get(pk=(message.payload or {})["followup"])
    return [followup_pdf_attachment(report, language=message.language)]
