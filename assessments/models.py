"""Knowledge checks: a programme's question sets (versioned), the checks that put one before or
after an event or a session, and the submissions of the people who answered.

A question set that has submissions is never changed: editing it makes a new version
(`services.question_set_new_version`), so the results of a check always come from one version.
A submission is the whole of one person's answers to one check; the database holds at most one
per ticket and check, and one per client-generated id (a replayed offline submission is the
same submission, not a second one)."""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.demographics import age_band_field, gender_field, profile_field
from events.models import Event, Programme, Session, Ticket
from participants.models import Participant

MIN_QUESTIONS = 3
MAX_QUESTIONS = 10


def new_room_token() -> str:
    return secrets.token_urlsafe(12)


class Localized:
    """`text`, `text_ar`, `text_en` (or title…): the one in the active language, French else."""

    def localized(self, field: str) -> str:
        language = (translation.get_language() or "fr")[:2]
        if language != "fr":
            value = getattr(self, f"{field}_{language}", "")
            if value:
                return value
        return getattr(self, field)


class QuestionSet(Localized, models.Model):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="question_sets",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("title (French)"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("pass mark (% of correct answers)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    previous_version = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="next_version",
        verbose_name=_("previous version"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "title", "-version"]
        verbose_name = _("question set")
        verbose_name_plural = _("question sets")
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="questionset_pass_mark"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def display_title(self) -> str:
        return self.localized("title")


class Question(Localized, models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        TRUE_FALSE = "true_false", _("True or false")

    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("order of a question or answer", "position"), default=1
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    text = models.TextField(_("question (French)"))
    text_ar = models.TextField(_("question (Arabic)"), blank=True)
    text_en = models.TextField(_("question (English)"), blank=True)
    picture = models.ImageField(_("picture"), upload_to="checks/pictures/", blank=True)
    audio = models.FileField(_("recorded question (audio)"), upload_to="checks/audio/", blank=True)

    class Meta:
        ordering = ["question_set", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"

    @property
    def display_text(self) -> str:
        return self.localized("text")


class Choice(Localized, models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("order of a question or answer", "position"), default=1
    )
    text = models.CharField(_("answer (French)"), max_length=300)
    text_ar = models.CharField(_("answer (Arabic)"), max_length=300, blank=True)
    text_en = models.CharField(_("answer (English)"), max_length=300, blank=True)
    picture = models.ImageField(_("picture"), upload_to="checks/pictures/", blank=True)
    is_correct = models.BooleanField(_("correct answer"), default=False)

    class Meta:
        ordering = ["question", "position", "id"]
        verbose_name = _("answer choice")
        verbose_name_plural = _("answer choices")
        constraints = [
            # At most one in the database; "exactly one" is checked when a set is saved whole.
            models.UniqueConstraint(
                fields=["question"], condition=Q(is_correct=True), name="choice_one_correct"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def display_text(self) -> str:
        return self.localized("text")


class Moment(models.TextChoices):
    PRE = "pre", _("Before (pre-check)")
    POST = "post", _("After (post-check)")


class CheckAssignment(models.Model):
    """A question set put to the people of an event (or of one of its sessions), before or after."""

    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.PROTECT, related_name="checks", verbose_name=_("question set")
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="knowledge_checks", verbose_name=_("event")
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="knowledge_checks",
        verbose_name=_("session"),
        help_text=_("Leave empty for a check of the whole event."),
    )
    moment = models.CharField(_("when"), max_length=4, choices=Moment.choices)
    is_open = models.BooleanField(_("open for answers"), default=True)
    # The room's QR code carries this random token and nothing else.
    room_token = models.CharField(
        max_length=32, unique=True, default=new_room_token, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "session", "-moment"]
        verbose_name = _("knowledge check")
        verbose_name_plural = _("knowledge checks")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "moment"],
                condition=Q(session__isnull=False),
                name="check_one_per_session_moment",
            ),
            models.UniqueConstraint(
                fields=["event", "moment"],
                condition=Q(session__isnull=True),
                name="check_one_per_event_moment",
            ),
        ]

    def __str__(self) -> str:
        where = self.session or self.event
        return f"{self.get_moment_display()} — {where}"

    def clean(self):
        errors = {}
        if self.session_id and self.event_id and self.session.event_id != self.event_id:
            errors["session"] = _("This session belongs to another event.")
        if (
            self.question_set_id
            and self.event_id
            and self.question_set.programme_id != self.event.programme_id
        ):
            errors["question_set"] = _("Choose a question set of the event's programme.")
        if errors:
            raise ValidationError(errors)


class Channel(models.TextChoices):
    PHONE = "phone", _("Participant's phone")
    ORAL = "oral", _("Oral, entered by the facilitator")
    PAPER = "paper", _("Paper sheet, typed in")


class Submission(models.Model):
    assignment = models.ForeignKey(
        CheckAssignment, on_delete=models.PROTECT, related_name="submissions"
    )
    # The version answered: a check's set only changes while it has no submissions, but the
    # results read it from here so that they can never mix versions.
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="+")
    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    gender = gender_field()
    age_band = age_band_field()
    profile = profile_field()
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.PHONE)
    correct = models.PositiveSmallIntegerField()
    questions = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assignment", "created_at", "id"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "ticket"],
                condition=Q(ticket__isnull=False),
                name="submission_one_per_ticket",
            ),
            models.UniqueConstraint(
                fields=["assignment", "participant"],
                condition=Q(participant__isnull=False),
                name="submission_one_per_participant",
            ),
            models.CheckConstraint(
                condition=Q(correct__lte=models.F("questions")), name="submission_score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.correct}/{self.questions}"

    @property
    def score_percent(self) -> float:
        return 100 * self.correct / self.questions


class Answer(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="+")
    is_correct = models.BooleanField()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question"], name="answer_one_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} → {self.choice_id}"
