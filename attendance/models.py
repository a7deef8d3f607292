"""Attendance: one row per admitted person (ticket scan, walk-in) or per counted group (a class
headcount), with the demographics the figures are computed from. Undoing an admission voids the
row with a reason; nothing is silently deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from core.demographics import age_band_field, gender_field, profile_field
from events.models import Event, Programme, Session, Ticket
from participants.models import ParticipantCard


class Attendance(models.Model):
    class Source(models.TextChoices):
        SCAN = "scan", _("QR scan")
        SHORT_CODE = "short_code", _("Short code")
        LOOKUP = "lookup", _("Name lookup at the door")
        WALK_IN = "walk_in", _("Walk-in")
        CLASS_TALLY = "class_tally", _("Class headcount")
        PAPER = "paper", _("Paper list")
        OFFLINE = "offline", _("Offline scan, synced")

    # Denormalised from session so that figures over millions of rows need no join. Neither
    # needs an index of its own: the composite indexes below start with them, and every index
    # is one more write on each admission at the door.
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="attendances", db_index=False
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendances", db_index=False
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="attendances"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    gender = gender_field()
    age_band = age_band_field()
    profile = profile_field()
    # 1 for a person; N for a class headcount row of N identical demographics.
    headcount = models.PositiveIntegerField(_("people"), default=1)
    gate = models.CharField(_("gate"), max_length=60, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by_label = models.CharField(_("recorded by"), max_length=120, blank=True)
    door_token = models.ForeignKey(
        "DoorToken", on_delete=models.PROTECT, null=True, blank=True, related_name="attendances"
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=300, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        indexes = [
            models.Index(fields=["event", "session"], name="attendance_event_session"),
            models.Index(fields=["session", "recorded_at"], name="attendance_session_time"),
        ]
        constraints = [
            # Exactly one admission per ticket per session: the database says no to the second.
            models.UniqueConstraint(
                fields=["ticket", "session"],
                condition=Q(ticket__isnull=False, voided_at__isnull=True),
                name="one_admission_per_ticket_per_session",
            ),
            models.CheckConstraint(
                condition=Q(headcount__gt=0), name="attendance_headcount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.get_source_display()} · {self.headcount}"


class DoorToken(models.Model):
    """A volunteer's (or a shared device's) key to the scan API, scoped to some events.

    Only a SHA-256 hash of the token is stored; the raw token is shown once, when created. The
    prefix lets organizers tell tokens apart in lists without revealing them."""

    label = models.CharField(
        _("volunteer or device"),
        max_length=120,
        help_text=_("Shown on every admission it records."),
    )
    events = models.ManyToManyField(Event, related_name="door_tokens", verbose_name=_("events"))
    language = models.CharField(
        _("language of the answers"),
        max_length=5,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Leave empty to follow the scanner's language."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("token starts with"), max_length=8, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("door token")
        verbose_name_plural = _("door tokens")

    def __str__(self) -> str:
        return f"{self.label} ({self.token_prefix}…)"


class DoorSettings(models.Model):
    """How the door of one event works. Events without a row use the defaults below."""

    DEFAULT_OPENS_MINUTES_BEFORE = 60
    DEFAULT_CLOSES_MINUTES_AFTER = 60

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="door_settings")
    opens_minutes_before = models.PositiveIntegerField(
        _("check-in opens (minutes before the start)"), default=DEFAULT_OPENS_MINUTES_BEFORE
    )
    closes_minutes_after = models.PositiveIntegerField(
        _("check-in closes (minutes after the end)"), default=DEFAULT_CLOSES_MINUTES_AFTER
    )
    exit_scans_enabled = models.BooleanField(_("scan people out at the exit"), default=False)
    # A participant card of someone without a ticket registers and admits them on the spot.
    known_walk_ins = models.BooleanField(
        _("admit known participants without a ticket (participant card)"), default=True
    )

    class Meta:
        verbose_name = _("door settings")
        verbose_name_plural = _("door settings")

    def __str__(self) -> str:
        return str(self.event)


class ScanStatus(models.TextChoices):
    ADMITTED = "admitted", _("Admitted")
    ALREADY_ADMITTED = "already_admitted", _("Already admitted")
    UNKNOWN_TICKET = "unknown_ticket", _("Unknown ticket")
    CANCELLED = "cancelled", _("Ticket not valid")
    WRONG_EVENT = "wrong_event", _("Ticket for another event")
    WRONG_SESSION = "wrong_session", _("Ticket for another session")
    NOT_VALID_TODAY = "not_valid_today", _("Ticket not valid today")
    SESSION_NOT_OPEN = "session_not_open", _("Check-in not open")
    NOT_ALLOWED = "not_allowed", _("Not allowed for this event")
    EXITED = "exited", _("Left")
    NOT_INSIDE = "not_inside", _("Not inside")
    RECORDED = "recorded", _("Recorded")


class DoorAction(models.TextChoices):
    ENTRY = "entry", _("Entry scan")
    EXIT = "exit", _("Exit scan")
    WALK_IN = "walk_in", _("Walk-in")
    CLASS_TALLY = "class_tally", _("Class headcount")


class ScanAttempt(models.Model):
    """Every request made at the door, failures included, with the answer it got. The answer is
    stored so that a retried request (same nonce) gets the same answer and records nothing twice."""

    # No single-column index for token and session: the unique (token, nonce) and the session
    # indexes below start with them (one write less per scan each).
    token = models.ForeignKey(
        DoorToken, on_delete=models.PROTECT, related_name="attempts", db_index=False
    )
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="scan_attempts", db_index=False
    )
    action = models.CharField(_("action"), max_length=20, choices=DoorAction.choices)
    status = models.CharField(_("status"), max_length=20, choices=ScanStatus.choices)
    # Truncated: enough to recognise a mistyped code, not a place to store arbitrary input.
    text = models.CharField(_("scanned text"), max_length=64, blank=True)
    gate = models.CharField(_("gate"), max_length=60, blank=True)
    nonce = models.UUIDField()
    client_time = models.DateTimeField(_("client time"), null=True, blank=True)
    server_time = models.DateTimeField(_("server time"), db_index=True)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attendance = models.ForeignKey(
        Attendance, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response = models.JSONField(default=dict)

    class Meta:
        ordering = ["-server_time", "-id"]
        verbose_name = _("scan attempt")
        verbose_name_plural = _("scan log")
        indexes = [
            models.Index(fields=["session", "server_time"], name="scan_session_time"),
            models.Index(fields=["session", "ticket", "action"], name="scan_session_ticket"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["token", "nonce"], name="one_answer_per_token_nonce"),
        ]

    def __str__(self) -> str:
        return f"{self.server_time:%Y-%m-%d %H:%M:%S} {self.action} {self.status}"


class SyncConflict(models.Model):
    """Something an offline scanner admitted that the server could not simply accept at sync
    time: the ticket was already admitted elsewhere (another device, an online scan), or it was
    cancelled or re-issued after the device downloaded its offline pack. The organizer sees these
    on the session's door page; nothing is admitted twice."""

    class Kind(models.TextChoices):
        DOUBLE_ADMISSION = "double_admission", _("Admitted on another device too")
        CANCELLED = "cancelled", _("Ticket cancelled after the last download")
        REISSUED = "reissued", _("Ticket re-issued after the last download")
        CARD_REVOKED = "card_revoked", _("Participant card revoked after the last download")

    token = models.ForeignKey(DoorToken, on_delete=models.PROTECT, related_name="sync_conflicts")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="sync_conflicts")
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("conflict"), max_length=20, choices=Kind.choices)
    attempt = models.OneToOneField(
        ScanAttempt, on_delete=models.PROTECT, related_name="sync_conflict"
    )
    # The admission that stands (for a double admission): who let the person in first.
    kept_attendance = models.ForeignKey(
        Attendance, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    device_id = models.CharField(_("device"), max_length=64, blank=True)
    device_time = models.DateTimeField(_("time on the device"))
    detected_at = models.DateTimeField(_("detected at"), db_index=True)

    class Meta:
        ordering = ["-detected_at", "-id"]
        verbose_name = _("sync conflict")
        verbose_name_plural = _("sync conflicts")

    def __str__(self) -> str:
        return f"{self.session} · {self.get_kind_display()}"


class DoorDevice(models.Model):
    """What a scanner last said about itself (its heartbeat, sent while it has a network): the
    session and gate it scans, and how many scans it holds that are not synced yet. A device that
    stopped calling is offline, still holding at least that many; the door panel shows both."""

    token = models.ForeignKey(DoorToken, on_delete=models.CASCADE, related_name="devices")
    # The scanner's own random id (kept on the phone), as its offline uploads name it.
    device_id = models.CharField(_("device"), max_length=64)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    gate = models.CharField(_("gate"), max_length=60, blank=True)
    unsynced = models.PositiveIntegerField(_("scans not synced"), default=0)
    last_seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("door device")
        verbose_name_plural = _("door devices")
        constraints = [
            models.UniqueConstraint(fields=["token", "device_id"], name="one_row_per_door_device")
        ]

    def __str__(self) -> str:
        return f"{self.token_id} · {self.device_id[:8]}"


class OfflinePackKey(models.Model):
    """One generation of an event's offline pack hashing: the random salt every hash in the pack
    uses and the PBKDF2 iteration count of its short-code hashes. The latest generation of an
    event is the one packs are built with; a new one starts when the iteration setting changes
    or when someone rotates it (every short code is then hashed again)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    salt = models.CharField(max_length=64)
    iterations = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("offline pack key")
        verbose_name_plural = _("offline pack keys")

    def __str__(self) -> str:
        return f"{self.event} · {self.created_at:%Y-%m-%d %H:%M}"


class OfflineCodeHash(models.Model):
    """A ticket's short code hashed with one pack generation's salt (slow by design, so it is
    computed once and kept). `short_code` is the code it was computed for: when a re-issued
    ticket's code differs, its hash is computed again at the next pack build."""

    key = models.ForeignKey(OfflinePackKey, on_delete=models.CASCADE, related_name="code_hashes")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    short_code = models.CharField(max_length=16)
    code_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "ticket"], name="one_code_hash_per_key_ticket")
        ]

    def __str__(self) -> str:
        return f"{self.key_id} · {self.ticket_id}"


class OfflineCardCodeHash(models.Model):
    """A participant card's short code hashed with one pack generation's salt, as
    OfflineCodeHash does for tickets. A card's code never changes (a reissue is a new card), so
    the card alone says which code was hashed."""

    key = models.ForeignKey(
        OfflinePackKey, on_delete=models.CASCADE, related_name="card_code_hashes"
    )
    card = models.ForeignKey(ParticipantCard, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "card"], name="one_code_hash_per_key_card")
        ]

    def __str__(self) -> str:
        return f"{self.key_id} · card {self.card_id}"


class TicketTally(models.Model):
    """What one ticket's counted (never voided) attendance rows add up to: sessions attended,
    people (headcount) and the first session date. Written by PostgreSQL triggers on
    attendance rows (attendance/tallies.py), in the transaction that writes the rows, so the
    figures never read a stale tally; never written from Python. A ticket is one person at one
    event, so programme figures read one row per ticket instead of one per admission."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+", db_index=False)
    sessions = models.PositiveIntegerField()
    headcount = models.PositiveBigIntegerField()
    first_date = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["event"], name="tickettally_event")]

    def __str__(self) -> str:
        return f"ticket {self.ticket_id}: {self.sessions}"


class AnonymousTally(models.Model):
    """Counted anonymous attendance (walk-ins, class headcounts) of one session with one set of
    demographics: rows and people. Written by the same triggers as TicketTally."""

    # The unique constraint's index starts with the session: no index of its own.
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+", db_index=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+", db_index=False)
    gender = gender_field()
    age_band = age_band_field()
    profile = profile_field()
    rows = models.PositiveIntegerField()
    headcount = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "gender", "age_band", "profile"],
                name="one_anonymous_tally_per_session_cell",
            )
        ]
        indexes = [models.Index(fields=["event"], name="anonymoustally_event")]

    def __str__(self) -> str:
        return f"session {self.session_id}: {self.headcount}"


class PersonReach(models.Model):
    """One registered person (the canonical participant a ticket's link resolves to, or the
    attendee itself when unlinked: a negative key, as the figures count it) at one event: their
    distinct sessions, people and first session date there, the person's demographics, and what
    the person-level measures need from the whole programme (events attended, whether this
    event holds their first attendance, and the one row that counts them once in totals).

    Written by PostgreSQL only (attendance/reach.py): triggers queue the people a write changes
    (attendance rows, links, merges, demographics, session dates, an event's programme) in
    ReachPending, and a flush recomputes their rows before figures read them and every few
    seconds from the beat. Never written from Python. Programme figures read one row per person
    and event instead of resolving every ticket to its person on each call."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+", db_index=False)
    person = models.BigIntegerField()
    gender = gender_field()
    age_band = age_band_field()
    profile = profile_field()
    sessions = models.PositiveIntegerField()
    headcount = models.PositiveBigIntegerField()
    first_date = models.DateField()
    # Distinct events of the programme the person attended.
    events = models.PositiveIntegerField()
    # This event's first date is the person's first date in the programme.
    first_here = models.BooleanField()
    # The one row per person and programme (the first event of `first_here`) that counts them
    # once in programme totals.
    counted_once = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(fields=["programme"], name="personreach_programme"),
            # Regular people in totals: per event, the rows from the regular number of sessions.
            models.Index(fields=["event", "sessions"], name="personreach_event_sessions"),
        ]
        constraints = [
            # Starts with the person: the triggers delete and the filtered figures look up by it.
            models.UniqueConstraint(fields=["person", "event"], name="one_reach_per_person_event")
        ]

    def __str__(self) -> str:
        return f"person {self.person} at event {self.event_id}: {self.sessions}"


class ReachPending(models.Model):
    """A person whose reach rows a committed write may have changed, queued by the reach triggers
    (attendance/reach.py) in the writing transaction, until the next flush recomputes them. The
    door's admission inserts one of these instead of recomputing the person's reach itself.
    Written and emptied by PostgreSQL only."""

    person = models.BigIntegerField()
    # Set by the database: the triggers insert the person only. How long the oldest has waited
    # says whether flushes keep up (`manage.py figures_tallies`).
    queued_at = models.DateTimeField(db_default=Now())

    def __str__(self) -> str:
        return f"person {self.person} queued"


class ReachCell(models.Model):
    """PersonReach rows added up per event, demographics and sessions attended, in stripes of
    people (person mod 8, so that admissions of different people seldom wait on one row): how
    many people, their attendances, how many are returning (two or more events of the
    programme), first-time here, and counted once in programme totals (and of those, returning).
    Written by the reach flush with the rows (attendance/reach.py); programme figures add up
    a few hundred cells instead of reading a row per person."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+", db_index=False)
    gender = gender_field()
    age_band = age_band_field()
    profile = profile_field()
    sessions = models.IntegerField()
    stripe = models.SmallIntegerField()
    # Plain integers: the triggers add signed deltas.
    people = models.BigIntegerField()
    headcount = models.BigIntegerField()
    returners = models.BigIntegerField()
    first_here = models.BigIntegerField()
    counted_once = models.BigIntegerField()
    once_returners = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "programme",
                    "event",
                    "gender",
                    "age_band",
                    "profile",
                    "sessions",
                    "stripe",
                ],
                name="one_reach_cell",
            )
        ]

    def __str__(self) -> str:
        return f"event {self.event_id} {self.gender}/{self.age_band}/{self.profile}: {self.people}"
