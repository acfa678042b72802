"""Whatever a cell holds, a row is either read or refused with one line: never a crash, never half a plan."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.mapping import FIELDS
from importer.rows import read_row
from vocabulary.event_kinds import check_event
from vocabulary.identity import ValidationError

TODAY = date(2026, 11, 20)
COLUMNS = list(FIELDS)
MAPPING = dict(enumerate(COLUMNS))

words = st.sampled_from(["", " ", "tbc", "n/a", "yes", "x", "Approved", "declined", "MHTR made SSO", "CO", "12",
                         "3 Apr 25", "31/02/2025", "1/1/40", "Robin Synthetic", "999 000 0018", "Probation", "L&D",
                         "Approved 03/04/2025", "Declined 21/10/2026", "03/04/2025 approved", "\u2713", "Total"])
cells = st.one_of(
    st.none(),
    words,
    st.text(max_size=12),
    st.integers(min_value=-5, max_value=10**10),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2030, 12, 31)),
    st.booleans(),
)


recent = st.dates(min_value=date(2025, 1, 1), max_value=TODAY)
dated = st.one_of(st.none(), recent, recent.map(lambda d: f"{d:%d/%m/%Y}"))
DATE_FIELDS = {"screening", "assessment", "consent", "cl_decision_date", "court_report", "sentence_date",
               "case_meeting", "first_session", "last_session", "completion", "withdrawal"}
SENSIBLE = {
    "name": st.sampled_from(["Robin Synthetic", "  Sam  Example ", ""]),
    "first_name": st.none(),
    "surname": st.none(),
    "dob": st.sampled_from([date(1980, 5, 1), "14/03/87", datetime(1990, 1, 2), "tbc"]),
    "nhs_number": st.sampled_from([None, "999 000 0018", 9990000026, "n/a", "123"]),
    "cl_decision": st.one_of(st.none(), st.sampled_from(["Approved", "declined", "tbc"]),
                             recent.map(lambda d: f"Approved {d:%d/%m/%Y}")),
    "court_outcome": st.sampled_from([None, "MHTR made", "Declined", "CO + DRR", "tbc"]),
    "order": st.sampled_from([None, "CO", "SSO", "community order", "custody"]),
    "sessions_planned": st.sampled_from([None, 12, "10", "tbc"]),
    "sessions_attended": st.sampled_from([None, 0, 1, 3, 12, "n/a"]),
    "not_eligible": st.sampled_from([None, None, None, "yes", "no"]),
}
# Values of the right kind in any combination (dates out of order, words where dates go), and sometimes anything
# at all; the test below builds cases that are in order.
sensible_row = st.fixed_dictionaries(
    {f: SENSIBLE.get(f, dated if f in DATE_FIELDS else st.one_of(st.none(), words)) for f in COLUMNS}
).map(lambda d: [d[f] for f in COLUMNS])
rows = st.one_of(st.lists(cells, min_size=len(COLUMNS), max_size=len(COLUMNS)), sensible_row, sensible_row)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_any_row_is_read_or_refused_with_one_line(row):
    try:
        plan = read_row(7, row, MAPPING, TODAY)
    except ValidationError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    # A row that reads is a case the app itself would accept, event by event, in date order.
    assert plan.name and plan.dob <= TODAY
    history = []
    for event in plan.events:
        assert event.date <= TODAY
        check_event(event.kind, event.date, event.data, history, TODAY)
        history.append(event)
    assert [e.date for e in plan.events] == sorted(e.date for e in plan.events)


STAGES = ("screening", "assessment", "cl_decision", "sentence_date", "case_meeting", "first_session", "last_session",
          "completion")
EXPECTED = ("Referred", "Screened", "Awaiting CL decision", "CL approved", "Sentenced", "Sentenced", "In treatment",
            "In treatment", "Completed")


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=len(STAGES)),
    st.lists(recent, min_size=len(STAGES), max_size=len(STAGES)).map(sorted),
    st.integers(min_value=0, max_value=10),
    st.booleans(),
)
def test_a_case_written_in_order_always_reads_and_lands_at_its_stage(reached, dates, extra, as_text):
    values: dict = {"name": "Robin Synthetic", "dob": "14/03/1987"}
    for field, day in zip(STAGES[:reached], dates, strict=False):
        values[field] = f"{day:%d/%m/%Y}" if as_text else day
    if "cl_decision" in values:
        values["cl_decision"] = f"Approved {dates[2]:%d/%m/%Y}"
    dated_sessions = len({values[f] for f in ("first_session", "last_session") if f in values})
    if dated_sessions:
        values["sessions_attended"] = dated_sessions + extra
    plan = read_row(7, [values.get(f) for f in COLUMNS], MAPPING, TODAY)
    assert plan.stage == EXPECTED[reached]
    sessions = [e for e in plan.events if e.kind == "session"]
    assert len(sessions) == (dated_sessions + extra if dated_sessions else 0)
    assert len(plan.undated) == (extra if dated_sessions else 0)
