"""Bulk registration from a CSV file (a school's class list, a partner's sign-up sheet). All or
nothing: every bad row is reported with its line number and nothing is imported if any row is bad.

Columns (header names, any order, `,` or `;` separated, UTF-8): first_name, gender, age_band,
profile, nationality, phone, email, language, consent_contact, group. Rows sharing a non-empty
`group` form one registration whose first row is the contact; a row without a group registers one
person. Importing records that the organizer obtained each person's consent to register."""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.demographics import AgeBand, Gender, Profile
from core.errors import ApplicationError
from core.models import Language
from events.models import Event, Registration, Ticket

from .registrations import PersonData, contact_channels_clean, person_check, registration_create

REQUIRED_COLUMNS = ("gender", "age_band")
KNOWN_COLUMNS = (
    "first_name",
    "gender",
    "age_band",
    "profile",
    "nationality",
    "phone",
    "email",
    "language",
    "consent_contact",
    "group",
)
YES = {"1", "yes", "y", "true", "oui", "o", "x", "نعم"}
NO = {"", "0", "no", "n", "false", "non"}
MAX_BYTES = 2 * 1024 * 1024


@dataclass
class ImportRowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    registrations: int = 0
    tickets_valid: int = 0
    tickets_waitlisted: int = 0
    errors: list[ImportRowError] = field(default_factory=list)


@dataclass
class _Group:
    line: int
    contact: PersonData
    phone: str
    email: str
    language: str
    consent_contact: bool
    members: list[PersonData] = field(default_factory=list)


def _read_rows(file) -> tuple[list[str], list[tuple[int, dict]]]:
    raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ApplicationError(_("The file is larger than 2 MB."), code="file_too_large")
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            _("The file must be UTF-8 encoded CSV."), code="bad_encoding"
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            values = {
                key: value.strip() if isinstance(value, str) else ""
                for key, value in row.items()
                if key
            }
            if any(values.values()):
                rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise ApplicationError(
            _("The file is not a readable CSV (line %(line)s).") % {"line": reader.line_num},
            code="bad_csv",
        ) from exc
    return header, rows


def _choice(value: str, choices, default: str | None = None) -> str | None:
    value = value.strip().lower()
    if not value and default is not None:
        return default
    for option_value, label in choices.choices:
        if value in (option_value, str(label).lower()):
            return option_value
    return None


def _parse_row(values: dict, event: Event) -> tuple[dict, list[str]]:
    problems = []
    gender = _choice(values.get("gender", ""), Gender)
    if gender is None:
        problems.append(
            _("gender must be one of %(values)s") % {"values": ", ".join(Gender.values)}
        )
    age_band = _choice(values.get("age_band", ""), AgeBand)
    if age_band is None:
        problems.append(
            _("age_band must be one of %(values)s") % {"values": ", ".join(AgeBand.values)}
        )
    profile = _choice(values.get("profile", ""), Profile, default=Profile.UNDISCLOSED)
    if profile is None:
        problems.append(
            _("profile must be one of %(values)s") % {"values": ", ".join(Profile.values)}
        )
    language = values.get("language", "").lower() or Language.FRENCH
    if language not in Language.values:
        problems.append(_("language must be fr, ar or en"))
    consent = values.get("consent_contact", "").lower()
    if consent not in YES | NO:
        problems.append(_("consent_contact must be yes or no"))
    nationality = values.get("nationality", "")
    if nationality and not event.ask_nationality:
        problems.append(_("this event does not ask for nationality"))
    person = PersonData(
        first_name=values.get("first_name", ""),
        gender=gender or "",
        age_band=age_band or "",
        profile=profile or "",
        nationality=nationality,
    )
    return {
        "person": person,
        "phone": values.get("phone", ""),
        "email": values.get("email", ""),
        "language": language,
        "consent_contact": consent in YES,
        "group": values.get("group", ""),
    }, problems


def registrations_import_csv(*, event: Event, file, dry_run: bool) -> ImportReport:
    """Validate every row, then (unless `dry_run` or any row is bad) register them all in one
    transaction. Raises ApplicationError listing every bad row when importing for real."""
    report = ImportReport(dry_run=dry_run)
    header, rows = _read_rows(file)
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        report.errors.append(
            ImportRowError(1, _("missing column(s): %(names)s") % {"names": ", ".join(missing)})
        )
    unknown = [name for name in header if name and name not in KNOWN_COLUMNS]
    if unknown:
        report.errors.append(
            ImportRowError(1, _("unknown column(s): %(names)s") % {"names": ", ".join(unknown)})
        )
    report.rows = len(rows)
    if not rows and not report.errors:
        report.errors.append(ImportRowError(1, _("the file has no rows")))
    groups: dict[str, _Group] = {}
    for line, values in rows:
        parsed, problems = _parse_row(values, event)
        # The service's own checks (phone, e-mail, lengths) run per row so each error has a line.
        problems += _service_problems(event, parsed)
        if problems:
            report.errors.append(ImportRowError(line, "; ".join(problems)))
            continue
        key = parsed["group"] or f"line-{line}"
        if key in groups:
            groups[key].members.append(parsed["person"])
        else:
            groups[key] = _Group(
                line=line,
                contact=parsed["person"],
                phone=parsed["phone"],
                email=parsed["email"],
                language=parsed["language"],
                consent_contact=parsed["consent_contact"],
            )
    if report.errors:
        if not dry_run:
            raise ApplicationError(
                ngettext(
                    "Nothing was imported: %(count)s bad row.",
                    "Nothing was imported: %(count)s bad rows.",
                    len(report.errors),
                )
                % {"count": len(report.errors)},
                code="import_invalid",
                field_errors={"file": [str(error) for error in report.errors]},
            )
        return report
    report.registrations = len(groups)
    if dry_run:
        return report
    with transaction.atomic():
        for group in groups.values():
            registration = registration_create(
                event=event,
                contact=group.contact,
                members=group.members,
                kind=Registration.Kind.GROUP if group.members else Registration.Kind.INDIVIDUAL,
                phone=group.phone,
                email=group.email,
                language=group.language,
                consent_register=True,
                consent_contact=group.consent_contact,
                source=Registration.Source.IMPORT,
            )
            statuses = list(
                Ticket.objects.filter(attendee__registration=registration).values_list(
                    "status", flat=True
                )
            )
            report.tickets_valid += statuses.count(Ticket.Status.VALID)
            report.tickets_waitlisted += statuses.count(Ticket.Status.WAITLISTED)
    return report


def _service_problems(event: Event, parsed: dict) -> list[str]:
    """The other errors registration_create would raise for this row, as plain sentences."""
    errors: dict[str, list[str]] = {}
    person_check(parsed["person"], "contact", event=event, errors=errors)
    already_reported = ["gender", "age_band", "profile"]
    if not event.ask_nationality:
        already_reported.append("nationality")
    for name in already_reported:
        errors.pop(f"contact.{name}", None)
    contact_channels_clean(parsed["phone"], parsed["email"], errors)
    return [f"{name.removeprefix('contact.')}: {' '.join(msgs)}" for name, msgs in errors.items()]
