from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Knowledge checks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import tenancy as t

        # A question set belongs to a programme: its lead organisation writes it, as its targets.
        t.register("assessments.QuestionSet", t.owned(t.field_q("programme__lead_organization_id")))
        t.register(
            "assessments.Question",
            t.owned(t.field_q("question_set__programme__lead_organization_id")),
        )
        t.register(
            "assessments.Choice",
            t.owned(t.field_q("question__question_set__programme__lead_organization_id")),
        )
        t.register("assessments.CheckAssignment", t.owned(t.event_q("event__")))
        t.register("assessments.Submission", t.owned(t.event_q("assignment__event__")))
        t.register("assessments.Answer", t.owned(t.event_q("submission__assignment__event__")))
