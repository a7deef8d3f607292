import datetime
import smtplib
from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from notifications import services, sms
from notifications.models import Message
from notifications.services.outbox import lease_seconds, retry_delay
from notifications.sms import SmsResult
from tests.concurrency import run_together

from .conftest import NOW


def make_message(n=0, **fields):
    values = {
        "idempotency_key": f"test:{n}:sms",
        "channel": "sms",
        "recipient": f"+2126000000{n:02d}",
        "language": "fr",
        "purpose": "reminder",
        "subject": "",
        "body": f"Hello {n}",
        "scheduled_at": NOW - datetime.timedelta(minutes=1),
    }
    values.update(fields)
    return services.message_schedule(**values)[0]


@pytest.mark.django_db
def test_scheduling_the_same_key_twice_keeps_one_row():
    first = make_message()
    again = make_message(body="other text")
    assert first.pk == again.pk and Message.objects.count() == 1


@pytest.mark.django_db
def test_claim_takes_only_due_rows(frozen_now):
    due = make_message(0)
    make_message(1, scheduled_at=NOW + datetime.timedelta(minutes=5))
    claims = services.messages_claim_due()
    assert [pk for pk, _ in claims] == [due.pk]
    due.refresh_from_db()
    assert due.status == Message.Status.SENDING and due.leased_until > NOW
    assert services.messages_claim_due() == []


@pytest.mark.django_db
def test_row_of_a_dead_worker_is_claimable_again_after_the_lease(frozen_now):
    message = make_message()
    [(pk, old_token)] = services.messages_claim_due()
    frozen_now.shift(datetime.timedelta(seconds=lease_seconds() - 1))
    assert services.messages_claim_due() == []
    frozen_now.shift(datetime.timedelta(seconds=2))
    [(pk2, new_token)] = services.messages_claim_due()
    assert pk2 == message.pk and new_token != old_token
    # The task of the dead worker, delivered late, must not send.
    assert services.message_send(message_id=pk, claim_token=old_token).status == "skipped"
    assert services.message_send(message_id=pk, claim_token=new_token).status == "sent"
    assert len(sms.outbox) == 1


@pytest.mark.django_db
def test_sent_row_is_never_claimed_or_sent_again(frozen_now):
    make_message()
    [(pk, token)] = services.messages_claim_due()
    assert services.message_send(message_id=pk, claim_token=token).status == "sent"
    frozen_now.shift(datetime.timedelta(days=1))
    assert services.messages_claim_due() == []
    assert services.message_send(message_id=pk, claim_token=token).status == "skipped"
    assert len(sms.outbox) == 1
    assert Message.objects.get(pk=pk).sent_at is not None


def send_with(result, frozen_now):
    make_message()
    [(pk, token)] = services.messages_claim_due()
    with mock.patch(
        "notifications.sms.backends.locmem.SmsBackend.send_messages", return_value=[result]
    ):
        return pk, token, services.message_send(message_id=pk, claim_token=token)


@pytest.mark.django_db
def test_permanent_failure_is_failed_without_retry(frozen_now):
    pk, _token, outcome = send_with(
        SmsResult(SmsResult.FAILED, error="HTTP 400 invalid number"), frozen_now
    )
    message = Message.objects.get(pk=pk)
    assert outcome.status == "failed" and outcome.retry_in is None
    assert (
        message.status == Message.Status.FAILED and message.last_error == "HTTP 400 invalid number"
    )
    assert message.attempts == 1


@pytest.mark.django_db
@override_settings(NOTIFICATIONS_MAX_ATTEMPTS=3, NOTIFICATIONS_RETRY_BASE_SECONDS=30)
def test_transient_failure_retries_with_exponential_backoff_then_gives_up(frozen_now):
    transient = SmsResult(SmsResult.RETRY, error="HTTP 503")
    pk, token, outcome = send_with(transient, frozen_now)
    assert (outcome.status, outcome.retry_in) == ("retry", 30)
    message = Message.objects.get(pk=pk)
    assert (
        message.status == Message.Status.SENDING
        and message.leased_until > NOW + datetime.timedelta(seconds=30)
    )
    with mock.patch(
        "notifications.sms.backends.locmem.SmsBackend.send_messages", return_value=[transient]
    ):
        assert services.message_send(message_id=pk, claim_token=token).retry_in == 60
        final = services.message_send(message_id=pk, claim_token=token)
    message.refresh_from_db()
    assert final.status == "failed"
    assert message.status == Message.Status.FAILED and message.attempts == 3
    assert message.last_error.startswith("gave up after 3 attempts")


def test_backoff_doubles_and_is_capped():
    with override_settings(NOTIFICATIONS_RETRY_BASE_SECONDS=60):
        assert [retry_delay(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
        assert retry_delay(20) == 3600


@pytest.mark.django_db
@override_settings(NOTIFICATIONS_RETRY_BASE_SECONDS=30)
def test_send_task_asks_celery_to_retry_after_the_backoff(frozen_now):
    from celery.exceptions import Retry

    from notifications.tasks import message_send_task

    make_message()
    [(pk, token)] = services.messages_claim_due()
    timeout = [SmsResult(SmsResult.RETRY, error="provider timeout")]
    with (
        mock.patch(
            "notifications.sms.backends.locmem.SmsBackend.send_messages", return_value=timeout
        ),
        pytest.raises(Retry) as retry,
    ):
        message_send_task.apply(args=(pk, token))
    assert retry.value.when == 30
    assert message_send_task.apply(args=(pk, token)).get() == "sent"
    message = Message.objects.get()
    assert message.status == Message.Status.SENT and message.attempts == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "status"),
    [
        (
            smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")}),
            Message.Status.FAILED,
        ),
        (smtplib.SMTPDataError(554, b"rejected"), Message.Status.FAILED),
        (smtplib.SMTPDataError(451, b"try later"), Message.Status.SENDING),
        (ConnectionRefusedError("down"), Message.Status.SENDING),
    ],
)
def test_smtp_errors_are_mapped_to_failed_or_retry(frozen_now, error, status):
    make_message(channel="email", recipient="x@example.org", subject="Hi")
    [(pk, token)] = services.messages_claim_due()
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=error
    ):
        services.message_send(message_id=pk, claim_token=token)
    assert Message.objects.get(pk=pk).status == status


@pytest.mark.django_db
def test_email_message_id_is_stable_per_outbox_row(frozen_now):
    from django.core import mail

    make_message(
        channel="email",
        recipient="x@example.org",
        subject="Hi",
        idempotency_key="reminder:r1:s2:180:email",
    )
    [(pk, token)] = services.messages_claim_due()
    services.message_send(message_id=pk, claim_token=token)
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<reminder.r1.s2.180.email@")
    assert Message.objects.get(pk=pk).provider_id == mail.outbox[0].extra_headers["Message-ID"]


@pytest.mark.django_db
def test_send_now_and_retry_failed_actions(frozen_now, event, committed):
    later = make_message(0, event=event, scheduled_at=NOW + datetime.timedelta(days=1))
    failed = make_message(1, event=event)
    Message.objects.filter(pk=failed.pk).update(
        status=Message.Status.FAILED, attempts=5, last_error="HTTP 503"
    )
    assert committed(services.messages_send_now, event=event, message_ids=[later.pk]) == 1
    assert committed(services.messages_retry_failed, event=event) == 1
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}
    assert sorted(m.body for m in sms.outbox) == sorted([later.body, failed.body])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_claim_disjoint_rows_on_postgresql():
    for n in range(60):
        make_message(n, scheduled_at=timezone.now() - datetime.timedelta(minutes=1))

    def worker():
        claimed = []
        for _ in range(10):
            claimed.extend(pk for pk, _ in services.messages_claim_due(limit=7))
        return claimed

    results, errors = run_together([worker, worker])
    assert errors == []
    assert not set(results[0]) & set(results[1])
    assert len(results[0]) + len(results[1]) == 60
    assert results[0] and results[1]


@pytest.mark.django_db
def test_failure_reasons_never_keep_the_recipients_number(frozen_now):
    pk, _token, _outcome = send_with(
        SmsResult(SmsResult.FAILED, error="HTTP 400 +212600000000 is not a mobile number"),
        frozen_now,
    )
    assert "+212600000000" not in Message.objects.get(pk=pk).last_error


@pytest.mark.django_db
def test_claim_without_row_locks_never_takes_a_row_a_rival_just_took(frozen_now):
    """The SQLite path: a row another caller claims between our SELECT and our UPDATE is lost to
    us (the UPDATE repeats the due condition and matches nothing), never claimed twice."""
    from notifications.services import outbox

    first, second = make_message(0), make_message(1)
    original = outbox._claim_one

    def rival_wins_the_first_row(pk, now, claim):
        if pk == first.pk:
            Message.objects.filter(pk=pk).update(
                status=Message.Status.SENDING,
                claim_token="rival",
                leased_until=now + datetime.timedelta(minutes=5),
            )
        return original(pk, now, claim)

    with (
        mock.patch.object(connection.features, "has_select_for_update_skip_locked", False),
        mock.patch.object(outbox, "_claim_one", side_effect=rival_wins_the_first_row),
    ):
        claims = services.messages_claim_due()
    assert [pk for pk, _ in claims] == [second.pk]
    assert Message.objects.get(pk=first.pk).claim_token == "rival"
