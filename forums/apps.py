from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import tenancy as t

        for model in (
            "ForumSettings",
            "Theme",
            "Workshop",
            "RapporteurAssignment",
            "Recommendation",
            "ForumSummary",
        ):
            t.register(f"forums.{model}", t.owned(t.event_q("event__")))
        t.register("forums.Endorsement", t.owned(t.event_q("recommendation__event__")))
        # The institutions' answers belong to the forum's organizers (the answering
        # organisation is a partner, not a tenant). A new kind of subject adds its path here.
        for model, subject in (
            ("Response", ""),
            ("Commitment", "response__"),
            ("CommitmentUpdate", "commitment__response__"),
        ):
            # A response answers a forum's recommendation or an event's proposal: the organizers
            # of either event reach it.
            t.register(
                f"forums.{model}",
                t.owned(
                    t.either_q(
                        t.event_q(f"{subject}recommendation__event__"),
                        t.event_q(f"{subject}proposal__call__event__"),
                    )
                ),
            )

        from events.signals import event_closed

        from .receivers import on_event_closed

        event_closed.connect(on_event_closed, dispatch_uid="forums.summary_on_close")

        # The outbox renders the personalised summary PDF when it sends the e-mail.
        from notifications.attachments import attachment_builder_register
        from notifications.models import Purpose

        from .delivery import summary_attachments

        attachment_builder_register(purpose=Purpose.FORUM_SUMMARY, builder=summary_attachments)

        from .followup_delivery import followup_attachments

        attachment_builder_register(purpose=Purpose.FORUM_FOLLOWUP, builder=followup_attachments)
