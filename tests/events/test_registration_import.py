import io

import pytest
from django.core.management import CommandError, call_command

from core.errors import ApplicationError
from events.models import Registration, Ticket
from events.services.registration_imports import registrations_import_csv
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "first_name,gender,age_band,profile,phone,email,language,consent_contact,group\n"
    "Mme Benali,female,25-59,host,0612345678,,fr,oui,6A\n"
    "Awa,female,5-11,,,,,,6A\n"
    "Omar,male,5-11,migrant,,,,,6A\n"
    "Grace,female,60+,refugee,,grace@example.org,en,yes,\n"
)
BAD = (
    "first_name,gender,age_band,profile,phone,email,language,consent_contact,group\n"
    "Awa,female,5-11,,,,,,\n"
    "Omar,boy,5-11,,,,,,\n"  # line 3: gender
    "Lina,female,5-11,,123,,,,\n"  # line 4: phone
    "Sara,female,6-10,,0000,,xx,maybe,\n"  # line 5: age band, phone, language, consent
    "Ali,male,18-24,,,not-an-email,,,\n"  # line 6: e-mail
)


def csv_file(text: str, encoding="utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def test_dry_run_reports_every_bad_row_with_its_line_number_and_imports_nothing():
    report = registrations_import_csv(event=EventFactory(), file=csv_file(BAD), dry_run=True)
    assert [error.line for error in report.errors] == [3, 4, 5, 6]
    messages = {error.line: error.message for error in report.errors}
    assert "gender" in messages[3]
    assert "phone" in messages[4]
    assert all(word in messages[5] for word in ("age_band", "phone", "language", "consent_contact"))
    assert "email" in messages[6]
    assert not Registration.objects.exists()


def test_real_import_with_a_bad_row_imports_nothing_and_lists_every_bad_row():
    with pytest.raises(ApplicationError) as caught:
        registrations_import_csv(event=EventFactory(), file=csv_file(BAD), dry_run=False)
    assert len(caught.value.field_errors["file"]) == 4
    assert not Registration.objects.exists() and not Ticket.objects.exists()


def test_dry_run_of_a_good_file_writes_nothing():
    report = registrations_import_csv(event=EventFactory(), file=csv_file(GOOD), dry_run=True)
    assert report.errors == [] and report.rows == 4 and report.registrations == 2
    assert not Registration.objects.exists()


def test_import_groups_rows_into_registrations_with_the_first_row_as_contact():
    event = EventFactory(capacity=3)
    report = registrations_import_csv(event=event, file=csv_file(GOOD), dry_run=False)
    assert (report.registrations, report.tickets_valid, report.tickets_waitlisted) == (2, 3, 1)
    school = Registration.objects.get(contact_name="Mme Benali")
    assert school.kind == Registration.Kind.GROUP and school.source == Registration.Source.IMPORT
    assert school.phone == "+212612345678" and school.consent_contact is True
    assert [m.first_name for m in school.members.order_by("id")] == ["Mme Benali", "Awa", "Omar"]
    assert school.members.get(first_name="Awa").profile == "undisclosed"
    grace = Registration.objects.get(contact_name="Grace")
    assert grace.language == "en"
    assert grace.members.get().ticket.status == Ticket.Status.WAITLISTED


def test_semicolon_separated_file_with_bom_from_a_spreadsheet_is_read():
    text = "first_name;gender;age_band\nAwa;Female;5-11\n"
    report = registrations_import_csv(
        event=EventFactory(), file=csv_file(text, "utf-8-sig"), dry_run=True
    )
    assert report.errors == [] and report.registrations == 1


def test_missing_and_unknown_columns_are_reported_on_line_1():
    report = registrations_import_csv(
        event=EventFactory(), file=csv_file("first_name,sexe\nAwa,F\n"), dry_run=True
    )
    assert report.errors[0].line == 1 and "gender" in report.errors[0].message
    assert any("sexe" in error.message for error in report.errors)


def test_nationality_column_needs_an_event_that_asks_for_it():
    text = "gender,age_band,nationality\nfemale,5-11,Sénégal\n"
    report = registrations_import_csv(event=EventFactory(), file=csv_file(text), dry_run=True)
    assert [error.line for error in report.errors] == [2]
    report = registrations_import_csv(
        event=EventFactory(ask_nationality=True), file=csv_file(text), dry_run=True
    )
    assert report.errors == []


def test_a_file_that_is_not_utf8_is_refused_clearly():
    with pytest.raises(ApplicationError) as caught:
        registrations_import_csv(
            event=EventFactory(), file=io.BytesIO(b"gender,age_band\n\xff\xfe,5-11\n"), dry_run=True
        )
    assert caught.value.code == "bad_encoding"


def test_management_command_dry_run_and_import(tmp_path, capsys):
    event = EventFactory()
    path = tmp_path / "class.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_registrations", event.pk, str(path), "--dry-run")
    assert not Registration.objects.exists()
    call_command("import_registrations", event.pk, str(path))
    assert Registration.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_registrations", event.pk, str(bad), "--dry-run")
    err = capsys.readouterr().err
    assert " 3" in err and "gender" in err


def test_nul_characters_are_a_row_error_not_a_crash():
    text = "first_name,gender,age_band\nA\x00wa,female,5-11\n"
    report = registrations_import_csv(event=EventFactory(), file=csv_file(text), dry_run=True)
    assert [error.line for error in report.errors] == [2]


def test_extra_cells_beyond_the_header_do_not_crash():
    text = "gender,age_band\nfemale,5-11,surplus\n"
    report = registrations_import_csv(event=EventFactory(), file=csv_file(text), dry_run=True)
    assert report.errors == []
