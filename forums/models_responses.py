"""Answers from institutions: what a partner organisation says about an adopted recommendation
addressed to it (its position and reasons), what it commits to do (what, by whom, by when), and
how each commitment moves on (in progress, done, a short note, an optional document).

A response names its subject through one nullable link per kind of subject: an adopted
recommendation of a forum, or an accepted participants' proposal (of any event's call) the
organizer addressed to partners. A check holds exactly one of them; code that does not care which
reads `subject` (and `subject_kind`).

Nothing here holds a participant's data; the contact who typed an answer is kept for the
organizer's audit only and is never shown on public or partner-to-partner pages."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Contact, Organization

from .models import Recommendation, release_fields, version_fields


class Position(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    UNDER_STUDY = "under_study", _("Under study")
    DECLINED = "declined", _("Declined")


class Response(models.Model):
    """One organisation's answer to one subject addressed to it; the latest position wins (a
    partner may move from "under study" to "accepted")."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("recommendation"),
    )
    proposal = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("proposal"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="forum_responses",
        verbose_name=_("organisation"),
    )
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    reasons = models.TextField(_("reasons"), max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["recommendation_id", "proposal_id", "organization__name"]
        verbose_name = _("institutional response")
        verbose_name_plural = _("institutional responses")
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__isnull=False, proposal__isnull=True)
                | Q(recommendation__isnull=True, proposal__isnull=False),
                name="response_has_exactly_one_subject",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "organization"],
                condition=Q(recommendation__isnull=False),
                name="one_response_per_recommendation_and_organization",
            ),
            models.UniqueConstraint(
                fields=["proposal", "organization"],
                condition=Q(proposal__isnull=False),
                name="one_response_per_proposal_and_organization",
            ),
            models.CheckConstraint(
                condition=Q(position__in=Position.values), name="response_position_known"
            ),
            models.CheckConstraint(
                condition=~Q(position="declined") | ~Q(reasons=""),
                name="response_declined_has_reasons",
                violation_error_message=_("Say why the recommendation is declined."),
            ),
        ]

    def __str__(self) -> str:
        subject = f"P{self.proposal_id}" if self.proposal_id else f"#{self.recommendation_id}"
        return f"{self.organization} · {subject} · {self.position}"

    @property
    def subject(self):
        """The recommendation or the proposal answered, whichever it is."""
        return self.proposal if self.proposal_id else self.recommendation

    @property
    def subject_kind(self) -> str:
        return "proposal" if self.proposal_id else "recommendation"


class CommitmentState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Commitment(models.Model):
    """What the organisation will do about the subject, who does it and by when. Its state is
    the state of its latest update (planned until the first one)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="commitments")
    what = models.TextField(_("what"), max_length=2000)
    by_whom = models.CharField(_("by whom"), max_length=200)
    due_on = models.DateField(_("by when"))
    state = models.CharField(
        _("state"), max_length=12, choices=CommitmentState.choices, default=CommitmentState.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The last time the organisation said something about it: the reminders count from here.
    last_activity_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=CommitmentState.values), name="commitment_state_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.what[:60]} ({self.due_on})"


class CommitmentUpdate(models.Model):
    """A step of a commitment: in progress or done, a short note, optionally a document (kept in
    the database like the summary PDFs; served only to the organisation and the organizers)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=[c for c in CommitmentState.choices if c[0] != CommitmentState.PLANNED],
    )
    note = models.CharField(_("short note"), max_length=500, blank=True)
    document_name = models.CharField(_("document"), max_length=120, blank=True)
    document_type = models.CharField(max_length=60, blank=True)
    document = models.BinaryField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["commitment", "created_at", "id"]
        verbose_name = _("commitment update")
        verbose_name_plural = _("commitment updates")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["in_progress", "done"]), name="commitment_update_state"
            ),
            models.CheckConstraint(
                condition=Q(document__isnull=True, document_name="")
                | Q(document__isnull=False) & ~Q(document_name=""),
                name="commitment_update_document_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} → {self.state}"


class FollowupReport(models.Model):
    """One built version of the report that opens a forum: what became of the previous forum's
    recommendations (answers, commitments, their state). `data` is the frozen, personal-data-free
    snapshot every rendering comes from; it reaches partners once released, as the summary."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, related_name="followup_reports"
    )
    previous = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        related_name="followed_up_by",
        verbose_name=_("previous forum"),
    )
    number, built_at, built_by = version_fields()
    data = models.JSONField(default=dict)
    sha256 = models.CharField(max_length=64)
    released_at, released_by = release_fields()

    class Meta:
        ordering = ["event", "-number"]
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="unique_followup_version"),
            models.CheckConstraint(
                condition=~Q(event=models.F("previous")), name="followup_of_another_forum"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} — {self.number}"
