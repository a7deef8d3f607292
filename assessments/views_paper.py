"""Paper: the printable answer sheet of a check (in French, Arabic or English, with the pictures)
and the grid an organizer types the sheets back into, keyboard only."""

import uuid

from django.shortcuts import get_object_or_404, render
from django.utils import translation

from core.auth import organizer_page
from core.errors import ApplicationError
from core.permissions import scope_events

from .models import CheckAssignment
from .selectors import assignment_questions
from .services.paper import PaperRow, digit_legend, paper_row_record

GRID_ROWS = 30
MAX_GRID_ROWS = 100
LANGUAGES = ("fr", "ar", "en")


def _assignment(request, assignment_id: int) -> CheckAssignment:
    events = scope_events(request.user, CheckAssignment.objects.all(), prefix="event__")
    return get_object_or_404(
        events.select_related("event", "session", "question_set"), pk=assignment_id
    )


@organizer_page
def paper_sheet(request, assignment_id: int):
    assignment = _assignment(request, assignment_id)
    language = request.GET.get("language", "")
    language = language if language in LANGUAGES else translation.get_language()[:2]
    with translation.override(language):
        return render(
            request,
            "assessments/paper_sheet.html",
            {
                "assignment": assignment,
                "questions": assignment_questions(assignment),
                "legend": digit_legend(),
            },
        )


def _rows_from(post) -> list[PaperRow]:
    rows = []
    try:
        count = min(int(post.get("rows", GRID_ROWS)), MAX_GRID_ROWS)
    except ValueError:
        count = GRID_ROWS
    for index in range(count):
        try:
            client_id = uuid.UUID(post.get(f"row-{index}-client_id", ""))
        except ValueError:
            client_id = uuid.uuid4()
        rows.append(
            PaperRow(
                client_id=client_id,
                **{
                    field: post.get(f"row-{index}-{field}", "")[:200]
                    for field in ("code", "gender", "age_band", "profile", "answers")
                },
            )
        )
    return rows


@organizer_page
def paper_grid(request, assignment_id: int):
    assignment = _assignment(request, assignment_id)
    questions = assignment_questions(assignment)
    recorded, replayed = 0, 0
    if request.method == "POST":
        rows, errors = [], {}
        for row in _rows_from(request.POST):
            if row.blank:
                continue
            try:
                outcome = paper_row_record(assignment=assignment, row=row, questions=questions)
            except ApplicationError as error:
                errors[len(rows)] = str(error.message)
                rows.append(row)
                continue
            replayed += outcome.replayed
            recorded += not outcome.replayed
    else:
        rows, errors = [], {}
    # The rows left to type: the refused ones first, with their message, then fresh ones.
    rows += [PaperRow(client_id=uuid.uuid4()) for _ in range(max(GRID_ROWS - len(rows), 0))]
    return render(
        request,
        "assessments/paper_grid.html",
        {
            "assignment": assignment,
            "questions": questions,
            "legend": digit_legend(),
            "rows": [(index, row, errors.get(index)) for index, row in enumerate(rows)],
            "row_count": len(rows),
            "recorded": recorded,
            "replayed": replayed,
            "refused": len(errors),
            "posted": request.method == "POST",
        },
    )
