"""Sessions an imported sheet counted but did not date: stored marked ``undated`` on their stand-in date, counted
as sessions attended, but never used to time the first session or counted in the month of the stand-in date.
"""

from __future__ import annotations

from datetime import date

import pytest

from exports.caseload import HEADINGS as CASELOAD_HEADINGS
from exports.caseload import caseload_rows
from exports.facts import clean_event_data
from exports.monthly import load_facts
from exports.periods import month_end
from exports.returns import build_return
from importer.plan import build_plan, mapping_for
from importer.sheets import read_sheet
from importer.write import apply_plan
from questionnaires import DEFAULT
from records import casework
from records.views import case_detail
from service.core import checklist_of
from tests.conftest import TODAY
from tests.exports_support import DEADLINES
from tests.import_support import ROWS, write_caseload
from vocabulary.event_kinds import check_event
from vocabulary.stages import UNDATED, UNDATED_NOTE, Event, undated_session

HEADINGS = [
    "Client name", "DOB", "Referral from", "Offence", "Screened", "Assessed", "CL decision", "Sentence date",
    "First session", "Sessions attended", "Last session", "Completed",
]
# name, dob, referral, offence, screened, assessed, cl, sentence, first session, attended, last session, completed
SHEET = [
    # Robin: 12 attended, only the last dated (2 July 2025); completed a week later.
    ["Robin Synthetic", "14/03/1987", "L&D", "Theft", "03/03/2025", "10/03/2025", "Approved 12/03/2025",
     "02/04/2025", None, 12, "02/07/2025", "09/07/2025"],
    # Alex: in treatment, 4 attended, the last on 10 November 2026: three sit on 10 November undated.
    ["Alex Testperson", "02/11/1990", "Probation", "Theft", "01/09/2026", "03/09/2026", "Approved 08/09/2026",
     "15/09/2026", None, 4, "10/11/2026", None],
    # Sam: first session dated (8 September), 5 attended, last on 3 November: three undated on 3 November.
    ["Sam Example", "01/01/1975", "Probation", "Theft", "20/08/2026", "21/08/2026", "Approved 24/08/2026",
     "01/09/2026", "08/09/2026", 5, "03/11/2026", None],
]


@pytest.fixture
def imported(db, tmp_path):
    sheet = read_sheet(write_caseload(tmp_path / "caseload.xlsx", SHEET, headings=HEADINGS))
    mapping, layer = mapping_for(db, sheet, None)
    result = apply_plan(db, build_plan(db, sheet, mapping, TODAY, layer, checklist=checklist_of(db)))
    assert result.created == ["MHTR-0001", "MHTR-0002", "MHTR-0003"]
    return db


def _sessions(db, ref):
    return [e for e in case_detail(db, ref, TODAY)["events"] if e["kind"] == "session"]


def _figures(db, month: date) -> dict:
    facts = load_facts(db, month_end(month))
    return build_return(facts, month, TODAY, scoring=DEFAULT, deadlines=DEADLINES, threshold=0).figures


def test_sessions_without_dates_are_stored_marked_undated(imported):
    robin = _sessions(imported, "MHTR-0001")
    assert [(s["date"], s["data"].get(UNDATED)) for s in robin] == [("2025-07-02", True)] * 11 + [("2025-07-02", None)]
    assert all(s["data"]["notes"] == UNDATED_NOTE for s in robin[:11])
    sam = _sessions(imported, "MHTR-0003")
    assert [(s["date"], bool(s["data"].get(UNDATED))) for s in sam] == [
        ("2026-09-08", False), *[("2026-11-03", True)] * 3, ("2026-11-03", False)]
    # Still sessions attended, numbered in order, the last the final one for the completed case.
    detail = case_detail(imported, "MHTR-0001", TODAY)
    assert detail["sessions_attended"] == 12 and [s["data"]["number"] for s in robin] == list(range(1, 13))


def test_the_stand_in_date_does_not_time_the_first_session(imported):
    # Robin's first session used to count in July 2025, 91 days after sentence (the placeholder 2 July).
    july = _figures(imported, date(2025, 7, 1))
    assert (july["month"]["first_sessions"], july["month"]["first_late"], july["month"]["first_days.sum"]) == (0, 0, 0)
    assert july["month"]["completed"] == 1 and july["month"]["finished"] == 1  # 12 sessions attended still count
    # Alex's first session used to count in November 2026, 56 days after sentence: "more than 6 weeks".
    nov = _figures(imported, date(2026, 11, 1))
    assert (nov["month"]["first_sessions"], nov["month"]["first_late"]) == (0, 0)
    # Sam's first session is dated: it counts, in September, a week after sentence; not again in November.
    sept = _figures(imported, date(2026, 9, 1))
    assert (sept["month"]["first_sessions"], sept["month"]["first_6w"], sept["month"]["first_days.sum"]) == (1, 1, 7)
    assert (nov["rolling"]["first_sessions"], nov["rolling"]["first_days"]) == (1, 7.0)
    # Alex and Sam are in treatment: a session attended, whatever its date.
    assert (nov["month"]["active"], nov["month"]["active_treating"]) == (2, 2)


def test_the_caseload_data_shows_no_stand_in_date_as_a_first_or_last_session(imported):
    end = date(2026, 11, 30)
    rows = {r[0]: dict(zip(CASELOAD_HEADINGS, r, strict=True)) for r in
            caseload_rows(load_facts(imported, end), end, scoring=DEFAULT)}
    robin, alex, sam = rows["MHTR-0001"], rows["MHTR-0002"], rows["MHTR-0003"]
    assert (robin["First session attended"], robin["Last session attended"]) == (None, date(2025, 7, 2))
    assert robin["Sessions attended"] == 12
    assert (alex["First session attended"], alex["Last session attended"], alex["Sessions attended"]) == (
        None, date(2026, 11, 10), 4)
    assert (sam["First session attended"], sam["Last session attended"]) == (date(2026, 9, 8), date(2026, 11, 3))


def test_the_mark_survives_the_checks_the_allow_list_and_a_correction(imported):
    sentenced = [
        Event("assessment", date(2026, 9, 1), {}, 1),
        Event("cl-decision", date(2026, 9, 2), {"decision": "approved"}, 2),
        Event("court-outcome", date(2026, 9, 3), {"outcome": "accepted", "order": "CO", "sessions": 12}, 3),
    ]
    kept = check_event("session", date(2026, 9, 10), {"outcome": "attended", UNDATED: True}, sentenced, TODAY)
    assert kept[UNDATED] is True
    assert UNDATED not in check_event("session", date(2026, 9, 10), {"outcome": "attended"}, sentenced, TODAY)
    # The export's allow-list keeps a boolean, nothing else under the key; an older import is known by its note.
    assert clean_event_data("session", {"outcome": "attended", UNDATED: True})[UNDATED] is True
    assert UNDATED not in clean_event_data("session", {"outcome": "attended", UNDATED: "yes"})
    assert clean_event_data("session", {"outcome": "attended", "notes": UNDATED_NOTE}) == {
        "outcome": "attended", "final": False, UNDATED: True}
    assert undated_session({"notes": UNDATED_NOTE}) and not undated_session({"notes": "attended"})
    # A correction replays the stored data through the same checks: the session stays undated.
    session = _sessions(imported, "MHTR-0002")[0]
    casework.correct_event(
        imported, "MHTR-0002", session["id"], None, {"outcome": "attended"}, TODAY,
        checklist=checklist_of(imported)
    )
    assert _sessions(imported, "MHTR-0002")[0]["data"][UNDATED] is True


def test_a_correction_that_gives_the_real_date_dates_the_session(imported):
    first = _sessions(imported, "MHTR-0002")[0]
    result = casework.correct_event(
        imported, "MHTR-0002", first["id"], "2026-09-20", {}, TODAY, checklist=checklist_of(imported)
    )
    dated = next(s for s in _sessions(imported, "MHTR-0002") if s["id"] == result.event_id)
    assert dated["date"] == "2026-09-20" and not undated_session(dated["data"])
    assert dated["data"]["outcome"] == "attended"


def test_a_sheet_with_every_session_dated_marks_nothing(db, tmp_path):
    sheet = read_sheet(write_caseload(tmp_path / "c.xlsx", [ROWS[0][:10] + [1] + ROWS[0][11:]]))
    mapping, layer = mapping_for(db, sheet, None)
    apply_plan(db, build_plan(db, sheet, mapping, TODAY, layer, checklist=checklist_of(db)))
    assert [s["data"].get(UNDATED) for s in _sessions(db, "MHTR-0001")] == [None]


# --- a Clinical Lead decision written without its date ------------------------------------------------------------
CL_HEADINGS = ["Client name", "DOB", "Referral from", "Offence", "Screened", "Assessed", "CL decision",
               "Sentence date"]


def _plan(db, tmp_path, rows, headings=CL_HEADINGS):
    sheet = read_sheet(write_caseload(tmp_path / "cl.xlsx", rows, headings=headings))
    mapping, layer = mapping_for(db, sheet, None)
    return build_plan(db, sheet, mapping, TODAY, layer, checklist=checklist_of(db))


def _decision(db, ref):
    [event] = [e for e in case_detail(db, ref, TODAY)["events"] if e["kind"] == "cl-decision"]
    return event


def test_an_undated_decision_is_read_dated_by_the_assessment_and_marked(db, tmp_path):
    rows = [
        ["Robin Synthetic", "14/03/1987", "L&D", "Theft", "01/09/2026", "03/09/2026", "Approved", "15/09/2026"],
        ["Jo Placeholder", "14/03/1982", "Court staff", "Arson", "20/10/2026", "27/10/2026", "declined", None],
    ]
    plan = _plan(db, tmp_path, rows)
    assert [r.row for r in plan.ready] == [5, 6] and not plan.problems
    assert "CL decision (approved) without a date recorded on 03/09/2026 (the assessment date)" in plan.ready[0].notes
    result = apply_plan(db, plan)
    assert result.created == ["MHTR-0001", "MHTR-0002"]
    approved, declined = _decision(db, "MHTR-0001"), _decision(db, "MHTR-0002")
    assert approved["date"] == "2026-09-03" and approved["data"]["decision"] == "approved"
    assert approved["data"][UNDATED] is True and undated_session(approved["data"])
    assert case_detail(db, "MHTR-0001", TODAY)["stage_label"] == "Sentenced"
    assert declined["date"] == "2026-10-27" and declined["data"][UNDATED] is True
    assert case_detail(db, "MHTR-0002", TODAY)["stage_label"] == "Declined by CL"


def test_a_decision_without_an_assessment_date_needs_one_to_date_it(db, tmp_path):
    rows = [["Sam Example", "01/01/1975", "Probation", "Theft", "20/08/2026", None, "Approved", None]]
    plan = _plan(db, tmp_path, rows)
    assert not plan.ready and "no assessment or sentence date to date it by" in plan.problems[0].reason


def test_a_sheet_with_an_approved_column_and_no_dates_imports_its_people(db, tmp_path):
    headings = ["Name", "DOB", "Assessed", "Approved", "Sentenced"]
    rows = [
        ["Robin Synthetic", "14/03/1987", "03/09/2026", "Yes", "15/09/2026"],
        ["Alex Testperson", "02/11/1990", "04/09/2026", "\u2713", "16/09/2026"],
        ["Casey Example", "01/06/1980", "05/09/2026", True, None],
        ["Jo Placeholder", "14/03/1982", "06/09/2026", "No", None],
        ["Sam Example", "01/01/1975", "07/09/2026", None, None],  # not decided yet
    ]
    plan = _plan(db, tmp_path, rows, headings=headings)
    assert not plan.problems, [p.reason for p in plan.problems]
    result = apply_plan(db, plan)
    assert len(result.created) == 5
    stages = [case_detail(db, ref, TODAY)["stage_label"] for ref in result.created]
    assert stages == ["Sentenced", "Sentenced", "CL approved", "Declined by CL", "Awaiting CL decision"]
    assert all(_decision(db, ref)["data"][UNDATED] is True for ref in result.created[:4])


def test_a_correction_that_gives_the_decisions_real_date_dates_it(db, tmp_path):
    rows = [["Robin Synthetic", "14/03/1987", "L&D", "Theft", "01/09/2026", "03/09/2026", "Approved", "15/09/2026"]]
    apply_plan(db, _plan(db, tmp_path, rows))
    decision = _decision(db, "MHTR-0001")
    casework.correct_event(db, "MHTR-0001", decision["id"], "05/09/2026", {}, TODAY, checklist=checklist_of(db))
    corrected = _decision(db, "MHTR-0001")
    assert corrected["date"] == "2026-09-05" and UNDATED not in corrected["data"]
