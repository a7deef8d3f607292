"""The donor table: one flat row per event (or per session), then the programme total, with
people reached by gender, age band and profile, where and when, and the programme's targets.

It is the shape humanitarian tools read: with `hxl=True` a row of HXL hashtags sits under the
header (see README, "Donor exports"); with `age_bands="unhcr"` the six age bands roll up to
UNHCR's five; with `shared=True` every figure goes through reporting.suppression, as in any
output a partner may see. Organizers' exports without `shared` keep exact figures."""

import datetime
import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.demographics import AgeBand, Gender, Profile
from events.models import Event, EventKind, Session
from reporting.figures.breakdowns import measure_labels
from reporting.selectors import ProgrammeFigures
from reporting.suppression import groups_shown, small_mark

DONOR_LEVELS = ("event", "session")
AGE_SCHEMES = ("six", "unhcr")

# HXL knows +f and +m. 'Other' is a sex or gender that is neither, which is what HXL's +i
# stands for; 'prefer not to say' is not a gender at all, so it keeps its own custom attribute
# instead of being merged into +i (figures never merge it into another value).
GENDER_ATTRIBUTES = {
    Gender.FEMALE: "+f",
    Gender.MALE: "+m",
    Gender.OTHER: "+i",
    Gender.UNDISCLOSED: "+undisclosed",
}
PROFILE_ATTRIBUTES = {
    Profile.MIGRANT: "+migrants",
    Profile.REFUGEE: "+refugees",
    Profile.HOST: "+host",
    Profile.UNDISCLOSED: "+profile_undisclosed",
}


@dataclass(frozen=True)
class AgeGroup:
    """One age column: the recorded bands it adds up, its label and its HXL attributes."""

    key: str
    bands: tuple[str, ...]
    label: object
    attributes: str


SIX_BANDS = (
    AgeGroup("0-4", ("0-4",), AgeBand.AGE_0_4.label, "+children +age0_4"),
    AgeGroup("5-11", ("5-11",), AgeBand.AGE_5_11.label, "+children +age5_11"),
    AgeGroup("12-17", ("12-17",), AgeBand.AGE_12_17.label, "+adolescents +age12_17"),
    AgeGroup("18-24", ("18-24",), AgeBand.AGE_18_24.label, "+adults +age18_24"),
    AgeGroup("25-59", ("25-59",), AgeBand.AGE_25_59.label, "+adults +age25_59"),
    AgeGroup("60+", ("60+",), AgeBand.AGE_60_PLUS.label, "+elderly +age60plus"),
)
# UNHCR reports 18-59 as one band; the rest are the same bands.
UNHCR_BANDS = (
    *SIX_BANDS[:3],
    AgeGroup("18-59", ("18-24", "25-59"), gettext_lazy("18–59"), "+adults +age18_59"),
    SIX_BANDS[5],
)
AGE_GROUPS = {"six": SIX_BANDS, "unhcr": UNHCR_BANDS}


@dataclass(frozen=True)
class Column:
    header: str
    tag: str


def _share_attribute(field: str, value: str) -> str:
    if field == "gender":
        return GENDER_ATTRIBUTES[Gender(value)]
    if field == "profile":
        return PROFILE_ATTRIBUTES[Profile(value)]
    group = next(group for group in SIX_BANDS if group.key == value)
    return group.attributes.split()[-1]


# Counts of activities, not of people: HXL's #output with +num, the target with +target.
HELD_MEASURES = {"events_held": "+events +num", "sessions_held": "+sessions +num"}


def _held_labels() -> dict[str, str]:
    return {"events_held": _("Events held"), "sessions_held": _("Sessions held")}


OUTCOME_MEASURE = "post_check_pass_rate"


def _outcome_columns(target, header: str, threshold: int) -> list[tuple[Column, object]]:
    """A pass-rate target: the rate it asks for and the rate reached (HXL #indicator +pct), of
    everyone or of the group its condition names. A rate of fewer people than the programme's
    smallest shown figure is not given (it would say how a handful of people did)."""
    attributes = " +knowledge_check +pass_rate +pct"
    asked, base, reached = target.target_value, target.outcome_base, target.outcome_percent
    if target.share_field:
        attributes += " " + _share_attribute(target.share_field, target.share_value)
        asked, base, reached = target.share_min_percent, target.share_base, target.share_percent
        asked = int(asked) if float(asked).is_integer() else asked
    if reached is not None and (base or 0) < threshold:
        reached = small_mark(threshold)
    reached_header = _("Reached — %(target)s") % {"target": target.label}
    return [
        (Column(header, f"#indicator{attributes} +target"), asked),
        (Column(reached_header, f"#indicator{attributes}"), "" if reached is None else reached),
    ]


def _target_columns(report: ProgrammeFigures, threshold: int = 0) -> list[tuple[Column, int]]:
    """Programme targets as columns with the number they ask for: on people and attendances
    '#targeted' (a condition like 'at least 50% women of 100' asks for 50 women: #targeted +f),
    on events and sessions held '#output +events +num +target'."""
    columns = []
    for target in report.targets:
        header = _("Target — %(target)s") % {"target": target.label}
        if target.measure == OUTCOME_MEASURE:
            columns += _outcome_columns(target, header, threshold)
            continue
        if target.measure in HELD_MEASURES:
            tag = f"#output {HELD_MEASURES[target.measure]} +target"
            columns.append((Column(header, tag), target.target_value))
            continue
        if target.measure not in ("people_reached", "children_reached", *EXTRA_MEASURES):
            continue
        attributes = {"children_reached": " +children", "people_reached": ""}.get(
            target.measure, " " + EXTRA_MEASURES.get(target.measure, "")
        )
        value = target.target_value
        if target.share_field and target.share_min_percent is not None:
            attributes += " " + _share_attribute(target.share_field, target.share_value)
            value = math.ceil(target.target_value * float(target.share_min_percent) / 100)
        columns.append((Column(header, f"#targeted{attributes}"), value))
    return columns


def donor_columns(report: ProgrammeFigures, *, age_bands: str = "six") -> list[Column]:
    reached = _("People reached")
    columns = [
        Column(_("Row"), "#meta +row"),
        Column(_("Event kind"), "#activity +type"),
        Column(_("Event"), "#activity +name"),
        Column(_("Session"), "#activity +session"),
        Column(_("Venue"), "#loc +name"),
        Column(_("Region"), "#adm1 +name"),
        Column(_("Province"), "#adm2 +name"),
        Column(_("From"), "#date +start"),
        Column(_("To"), "#date +end"),
        Column(f"{reached} — {_('total')}", "#reached"),
    ]
    columns += [
        Column(f"{reached} — {g.label}", f"#reached {GENDER_ATTRIBUTES[g]}") for g in Gender
    ]
    columns += [
        Column(f"{reached} — {a.label}", f"#reached {a.attributes}") for a in AGE_GROUPS[age_bands]
    ]
    columns += [
        Column(f"{reached} — {p.label}", f"#reached {PROFILE_ATTRIBUTES[p]}") for p in Profile
    ]
    labels = measure_labels()
    for measure, attribute in EXTRA_MEASURES.items():
        columns.append(Column(f"{labels[measure]} — {_('total')}", f"#reached {attribute}"))
        columns += [
            Column(f"{labels[measure]} — {g.label}", f"#reached {attribute} {GENDER_ATTRIBUTES[g]}")
            for g in Gender
        ]
    held = _held_labels()
    columns += [Column(held[measure], f"#output {tag}") for measure, tag in HELD_MEASURES.items()]
    columns += [column for column, _value in _target_columns(report)]
    return columns


# People reached split the honest way, and the people measures, each with its gender breakdown.
EXTRA_MEASURES = {
    "attendances": "+attendances",
    "registered_people": "+registered +unique",
    "anonymous_visits": "+walkins +visits",
    "returning_people": "+registered +returning",
    "regular_people": "+registered +regular",
    "first_time_people": "+registered +first_time",
}


def _gender_marginals(figures, measure: str) -> tuple[int, dict[str, dict[str, int]]]:
    breakdown = figures.breakdowns[measure]
    return breakdown.total, {
        "gender": {share.value: share.count for share in breakdown.by_dimension["gender"]}
    }


def _marginals(figures, age_bands: str) -> tuple[int, dict[str, dict[str, int]]]:
    people = figures.breakdowns["people_reached"]
    counts = {
        dimension: {share.value: share.count for share in shares}
        for dimension, shares in people.by_dimension.items()
    }
    ages = {
        group.key: sum(counts["age_band"][band] for band in group.bands)
        for group in AGE_GROUPS[age_bands]
    }
    return people.total, {
        "gender": counts["gender"],
        "age_band": ages,
        "profile": counts["profile"],
    }


def _places(sessions) -> list[str]:
    venues = sorted({s.venue for s in sessions}, key=lambda venue: (venue.city, venue.name))

    def joined(attribute: str) -> str:
        return "; ".join(dict.fromkeys(getattr(venue, attribute) for venue in venues))

    return [joined("name"), joined("region"), joined("province")]


def _row_facts(report: ProgrammeFigures, level: str) -> dict[str, list]:
    """Kind, titles, places and dates of each row, in two queries whatever the number of rows."""
    keys = [int(group.key) for group in report.groups[level]]
    facts = {}
    if level == "event":
        events = Event.objects.filter(pk__in=keys).prefetch_related("sessions__venue")
        for event in events:
            facts[str(event.pk)] = [
                str(EventKind(event.kind).label),
                event.title,
                "",
                *_places(event.sessions.all()),
                event.start_date,
                event.end_date,
            ]
    else:
        for session in Session.objects.filter(pk__in=keys).select_related("event", "venue"):
            facts[str(session.pk)] = [
                str(EventKind(session.event.kind).label),
                session.event.title,
                session.title or session.school_name or session.date.isoformat(),
                *_places([session]),
                session.date,
                session.date,
            ]
    return facts


def _period_end(chosen: str | None, default: datetime.date) -> datetime.date:
    """A filter's date (kept in ISO form in the report's filters) or the programme's."""
    return datetime.date.fromisoformat(chosen) if chosen else default


def donor_rows(
    report: ProgrammeFigures,
    *,
    programme,
    level: str = "event",
    age_bands: str = "six",
    shared: bool = False,
) -> list[list]:
    """Rows under `donor_columns()`; the report needs the `level` grouping."""
    groups = report.groups[level]
    marginals = [_marginals(group.figures, age_bands) for group in groups]
    overall = _marginals(report.totals, age_bands)
    extras = []
    for measure in EXTRA_MEASURES:
        extras.append(
            (
                [_gender_marginals(group.figures, measure) for group in groups],
                _gender_marginals(report.totals, measure),
            )
        )
    if shared:
        threshold = programme.small_number_threshold
        *marginals, overall = groups_shown(marginals, overall, threshold=threshold)
        extras = [
            (shown[:-1], shown[-1])
            for shown in (groups_shown(rows, total, threshold=threshold) for rows, total in extras)
        ]

    def figure_cells(row) -> list:
        total, breakdowns = row
        return [total, *(v for counts in breakdowns.values() for v in counts.values())]

    def extra_cells(index) -> list:
        cells = []
        for rows, total in extras:
            cells += figure_cells(total if index is None else rows[index])
        return cells

    targets = _target_columns(report, programme.small_number_threshold)
    facts = _row_facts(report, level)
    rows = [
        [
            level,
            *facts[group.key],
            *figure_cells(row),
            *extra_cells(index),
            *(group.figures.measure(measure) for measure in HELD_MEASURES),
            *([""] * len(targets)),
        ]
        for index, (group, row) in enumerate(zip(groups, marginals, strict=True))
    ]
    period = report.filters
    rows.append(
        [
            "total",
            "",
            _("Programme total"),
            "",
            "",
            "",
            "",
            _period_end(period["date_from"], programme.start_date),
            _period_end(period["date_to"], programme.end_date),
            *figure_cells(overall),
            *extra_cells(None),
            *(report.totals.measure(measure) for measure in HELD_MEASURES),
            *(value for _column, value in targets),
        ]
    )
    return rows


def donor_notes(*, programme, shared: bool, age_bands: str) -> list[str]:
    notes = []
    if age_bands == "unhcr":
        notes.append(_("Age bands rolled up to UNHCR's: 0–4, 5–11, 12–17, 18–59, 60+."))
    if shared:
        notes.append(
            _(
                "Shared figures: a figure below %(threshold)s is shown as “%(mark)s”, and “x” "
                "marks a figure hidden so that a small one cannot be worked out from the totals."
            )
            % {
                "threshold": programme.small_number_threshold,
                "mark": small_mark(programme.small_number_threshold),
            }
        )
        notes.append(
            _(
                "Method: to protect a small figure, breakdowns (gender, age, profile) are hidden "
                "first; a total (an event's people reached, a programme total) is hidden only "
                "when no breakdown can protect it, and only if showing that total would give a "
                "small figure away. No hidden figure can be worked out from the row, column or "
                "grand totals."
            )
        )
    return notes
