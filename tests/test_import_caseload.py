"""Importing a caseload spreadsheet: every case lands at the right stage with its real dates; nothing twice."""

from __future__ import annotations

import pytest

from db import records as rec
from importer import mapping as maps
from importer.plan import build_plan, mapping_for
from importer.sheets import ImportFileError, read_sheet
from importer.write import apply_plan
from records.views import case_detail
from service.core import checklist_of
from tests.conftest import TODAY, snapshot_counts
from tests.import_support import HEADINGS, ROWS, write_caseload, write_csv
from vocabulary.identity import ValidationError


def plan_of(db, path, overrides=None):
    sheet = read_sheet(path)
    mapping, layer = mapping_for(db, sheet, overrides)
    return build_plan(db, sheet, mapping, TODAY, layer, checklist=checklist_of(db))


def events_of(db, ref):
    return [(e["kind"], e["date"]) for e in case_detail(db, ref, TODAY)["events"]]


def test_the_heading_row_is_found_under_merged_titles_and_every_column_is_guessed(tmp_path):
    sheet = read_sheet(write_caseload(tmp_path / "caseload.xlsx"))
    assert sheet.sheet_name == "Caseload 2026"
    assert sheet.heading_row == 4
    assert [n for n, _ in sheet.rows] == [5, 6, 8, 9]  # the blank row 7 is passed over silently
    assert sheet.ignored == [(10, "a totals row")]
    guessed = maps.guess(sheet.headings)
    assert [guessed.get(i) for i in range(len(HEADINGS))] == [
        "name", "dob", "nhs_number", "gp_practice", "referral_source", "offence_type", "screening", "assessment",
        "cl_decision", "sentence_date", "sessions_attended", "last_session", "completion", None,
    ]


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Client name", "name"), ("Name", "name"), ("Surname", "surname"), ("First name", "first_name"),
        ("DOB", "dob"), ("Date of birth", "dob"), ("D.O.B.", "dob"), ("NHS No", "nhs_number"),
        ("NHS number:", "nhs_number"), ("GP surgery", "gp_practice"), ("Referral from", "referral_source"),
        ("Offence", "offence_type"), ("Screened", "screening"), ("Date of screening", "screening"),
        ("Assessed", "assessment"), ("Assessment date (dd/mm/yyyy)", "assessment"), ("CL decision", "cl_decision"),
        ("CL decision date", "cl_decision_date"), ("Sentence date", "sentence_date"),
        ("Court outcome", "court_outcome"), ("Sessions attended", "sessions_attended"), ("Completed", "completion"),
        ("Date of first session", "first_session"), ("Case management meeting", "case_meeting"),
        ("Notes", None), ("Date", None), ("Key worker", None),
    ],
)
def test_headings_people_write(heading, field):
    assert maps.field_for(heading) == field


def test_dry_run_plans_every_case_and_writes_nothing(db, tmp_path):
    before = snapshot_counts(db)
    plan = plan_of(db, write_caseload(tmp_path / "caseload.xlsx"))
    assert snapshot_counts(db) == before
    assert not plan.blocked and plan.duplicates == []
    assert [(r.row, r.name, r.stage) for r in plan.ready] == [
        (5, "Robin Synthetic", "Completed"),
        (6, "Alex Testperson", "In treatment"),
        (8, "Sam Example", "Awaiting CL decision"),
        (9, "Jo Placeholder", "Declined by CL"),
    ]
    assert plan.ready[2].notes == ["CL decision 'tbc' is not known yet; read as blank"]
    assert plan.ready[0].notes == ["11 session(s) without dates recorded on 02/07/2025 (the last session date)"]


def test_import_creates_each_case_at_its_stage_with_its_real_dates(db, tmp_path):
    plan = plan_of(db, write_caseload(tmp_path / "caseload.xlsx"))
    result = apply_plan(db, plan)
    assert result.created == ["MHTR-0001", "MHTR-0002", "MHTR-0003", "MHTR-0004"]

    robin = case_detail(db, "MHTR-0001", TODAY)
    assert (robin["name"], robin["dob"], robin["nhs_number"]) == ("Robin Synthetic", "1987-03-14", "9990000034")
    assert (robin["gp_practice"], robin["referral_source"], robin["offence_type"]) == (
        "Riverside Surgery", "Liaison and Diversion", "Theft")
    assert robin["stage"] == "completed" and robin["sessions_attended"] == 12 and robin["sessions_planned"] == 12
    assert events_of(db, "MHTR-0001") == [
        ("screening", "2025-03-03"), ("assessment", "2025-03-10"), ("cl-decision", "2025-03-12"),
        ("court-outcome", "2025-04-02"), *[("session", "2025-07-02")] * 12, ("completion", "2025-07-09"),
    ]
    sessions = [e for e in robin["events"] if e["kind"] == "session"]
    assert [s["data"]["number"] for s in sessions] == list(range(1, 13))
    assert sessions[-1]["data"]["final"] is True
    assert all("date" in s["data"].get("notes", "") for s in sessions[:11]) and "notes" not in sessions[11]["data"]

    alex = case_detail(db, "MHTR-0002", TODAY)
    assert (alex["name"], alex["dob"], alex["nhs_number"], alex["gp_practice"]) == (
        "Alex Testperson", "1990-11-02", "9990000018", "Parkside Medical Centre")
    assert alex["stage"] == "in-treatment" and alex["sessions_attended"] == 4
    assert events_of(db, "MHTR-0002") == [
        ("screening", "2026-09-01"), ("assessment", "2026-09-03"), ("cl-decision", "2026-09-08"),
        ("court-outcome", "2026-09-15"), *[("session", "2026-11-10")] * 4,
    ]
    outcome = next(e for e in alex["events"] if e["kind"] == "court-outcome")
    assert outcome["data"]["outcome"] == "accepted" and outcome["data"]["order"] == "CO"

    sam = case_detail(db, "MHTR-0003", TODAY)
    assert (sam["dob"], sam["nhs_number"], sam["referral_source"], sam["offence_type"]) == (
        "1975-01-01", None, "Legal representatives", "Harassment")
    assert sam["stage"] == "assessed"
    assert events_of(db, "MHTR-0003") == [("screening", "2026-11-02"), ("assessment", "2026-11-09")]

    jo = case_detail(db, "MHTR-0004", TODAY)
    assert (jo["dob"], jo["stage"]) == ("1982-03-14", "cl-declined")
    assert events_of(db, "MHTR-0004") == [
        ("screening", "2026-10-20"), ("assessment", "2026-10-27"), ("cl-decision", "2026-11-03")]
    decision = jo["events"][-1]["data"]
    assert decision["decision"] == "declined" and "imported spreadsheet" in decision["reason"]


def test_tasks_due_before_the_import_are_closed_as_before_import_and_later_ones_stay_open(db, tmp_path):
    rows = [ROWS[0], ["Kit Sample", "05/05/1980", "9990000042", None, "Probation", "Theft", "10/11/2026",
                      "12/11/2026", "Approved 13/11/2026", "18/11/2026", None, None, None, None]]
    plan = plan_of(db, write_caseload(tmp_path / "c.xlsx", rows))
    result = apply_plan(db, plan)
    tasks = {ref: case_detail(db, ref, TODAY)["tasks"] for ref in result.created}
    robin, kit = tasks["MHTR-0001"], tasks["MHTR-0002"]
    assert robin and all(t["status"] != "open" for t in robin)  # completed last year: nothing left on Today
    assert {t["reason"] for t in robin if t["status"] == "skipped"} >= {"before import"}
    for t in kit:
        if t["due"] < TODAY.isoformat():
            assert t["status"] in ("done", "skipped")
            assert t["status"] == "done" or t["reason"] is not None
        closed_by_import = t["status"] == "skipped" and t["reason"] == "before import"
        assert not (closed_by_import and t["due"] >= TODAY.isoformat())
    still_open = [t for t in kit if t["status"] == "open"]
    assert still_open and all(t["due"] >= TODAY.isoformat() for t in still_open)
    # the dry run said the same
    counts = [plan.tasks[r.row] for r in plan.ready]
    assert sum(c.open for c in counts) == result.open_tasks == len(still_open)
    assert sum(c.before_import for c in counts) == result.closed_before_import


def test_importing_the_same_file_again_creates_nobody_twice(db, tmp_path):
    path = write_caseload(tmp_path / "caseload.xlsx")
    apply_plan(db, plan_of(db, path))
    before = snapshot_counts(db)
    again = plan_of(db, path)
    assert again.ready == []
    assert [(d.row, d.ref, d.why) for d in again.duplicates] == [
        (5, "MHTR-0001", "same NHS number 999 000 0034"),
        (6, "MHTR-0002", "same NHS number 999 000 0018"),
        (8, "MHTR-0003", "same name and date of birth"),
        (9, "MHTR-0004", "same NHS number 999 000 0026"),
    ]
    result = apply_plan(db, again)
    assert result.created == [] and snapshot_counts(db) == before


def test_one_bad_row_imports_nothing_until_it_is_accepted_to_leave_it_out(db, tmp_path):
    bad = ["Lee Invalid", "31/02/1980", "9990000050", None, None, None, "01/11/2026", None, None, None, None, None,
           None, None]
    plan = plan_of(db, write_caseload(tmp_path / "c.xlsx", [*ROWS, bad]))
    assert [(p.row, p.reason) for p in plan.problems] == [
        (10, "date of birth '31/02/1980' is not a date: February 1980 has 29 days")]
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="1 row cannot be read .*row 10.*nothing imported"):
        apply_plan(db, plan)
    assert snapshot_counts(db) == before
    result = apply_plan(db, plan, leave_out_bad=True)
    assert len(result.created) == 4 and result.left_out == [10]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["", "01/01/1980"], "no name"),
        (["Pat Nobody", ""], "no date of birth for Pat Nobody"),
        (["Pat Nobody", "01/01/1980", "123 456 7890"], "NHS number '123 456 7890' fails its check digit"),
        (["Pat Nobody", "01/01/2015"], "makes the client under 18"),
        (["Pat Nobody", "01/01/1980", None, None, None, None, "01/11/2026", "tbc", "Approved 02/11/2026"],
         "Clinical Lead decision needs an assessment first"),
        (["Pat Nobody", "01/01/1980", None, None, None, None, "01/11/2026", "03/11/2026", "02/11/2026"],
         "CL decision on 02/11/2026: approved or declined?"),
        (["Pat Nobody", "01/01/1980", None, None, None, None, "01/11/2026", "30/12/2026"],
         "is in the future"),
        # an undated decision is dated by the assessment (tests/test_import_undated.py); with none, nothing dates it
        (["Pat Nobody", "01/01/1980", None, None, None, None, "01/11/2026", None, "Approved"],
         "CL decision approved has no date, and no assessment or sentence date to date it by"),
        (["Pat Nobody", "01/01/1980", None, None, None, None, "1/11/26", "2/11/26", "maybe 3/11/26"],
         "CL decision 'maybe': write Approved or Declined"),
    ],
)
def test_rows_that_cannot_be_read_say_why(db, tmp_path, row, reason):
    plan = plan_of(db, write_caseload(tmp_path / "c.xlsx", [row + [None] * (len(HEADINGS) - len(row))]))
    assert len(plan.problems) == 1 and plan.problems[0].row == 5
    assert reason in plan.problems[0].reason


def test_the_same_person_twice_in_one_file_is_a_problem_on_the_later_row(db, tmp_path):
    twice = list(ROWS[4])
    twice[0] = "jo placeholder"
    twice[2] = None  # no NHS number: found by name and date of birth
    plan = plan_of(db, write_caseload(tmp_path / "c.xlsx", [*ROWS, twice]))
    problems = [(p.row, p.reason) for p in plan.problems]
    assert problems == [(10, "jo placeholder is also on row 9; leave one of them out")]


def test_a_person_already_held_is_reported_with_their_case_and_left_alone(db, tmp_path):
    from records.clients import add_client

    ref = add_client(db, {"name": "Sam Example", "dob": "01/01/1975"}, TODAY)
    plan = plan_of(db, write_caseload(tmp_path / "c.xlsx"))
    assert [(d.row, d.ref) for d in plan.duplicates] == [(8, ref)]
    assert [r.row for r in plan.ready] == [5, 6, 9]


def test_an_nhs_number_held_for_someone_else_is_a_problem_not_a_person_already_held(db, tmp_path):
    """Robin's NHS number is held for another person: a typo in the sheet or in the record, never 'already
    held' (that would quietly leave Robin out)."""
    from records.clients import add_client

    ref = add_client(db, {"name": "Other Synthetic", "dob": "01/01/1960", "nhs_number": "9990000034"}, TODAY)
    plan = plan_of(db, write_caseload(tmp_path / "c.xlsx"))
    assert [(p.row, p.reason) for p in plan.problems] == [
        (5, f"NHS number 999 000 0034 is held for {ref} with another name and date of birth; check the number "
            "(or that record) before importing this row")
    ]
    assert plan.duplicates == [] and [r.row for r in plan.ready] == [6, 8, 9]


def test_a_cp1252_csv_with_semicolons_surname_columns_and_court_outcome_words(db, tmp_path):
    path = write_csv(tmp_path / "caseload.csv", [
        "MHTR caseload;;;;;;;;",
        "Surname;First name;D.O.B.;NHS number;Referral from;Offence;Assessed;CL decision date;Court outcome",
        "O’Test;Zoë;07/07/1977;999 000 0069;Probation;Theft;01/10/2026;05/10/2026;MHTR made - SSO + DRR 20/10/2026",
        "Renée;Dé;08/08/1988;;self;Shoplifting;02/10/2026;;Declined 21/10/2026",
        ";;;;;;;;",
        "Total;2;;;;;;;",
    ])
    assert "’".encode("cp1252") in path.read_bytes()  # written as Excel on Windows writes CSV
    plan = plan_of(db, path)
    assert plan.sheet.heading_row == 2 and plan.problems == []
    assert plan.sheet.ignored == [(6, "a totals row")]
    result = apply_plan(db, plan)
    zoe = case_detail(db, result.created[0], TODAY)
    assert (zoe["name"], zoe["dob"], zoe["stage"]) == ("Zoë O’Test", "1977-07-07", "sentenced")
    outcome = zoe["events"][-1]
    assert (outcome["kind"], outcome["date"], outcome["data"]["order"], outcome["data"]["combined"]) == (
        "court-outcome", "2026-10-20", "SSO", "DRR")
    assert [e["kind"] for e in zoe["events"]] == ["assessment", "cl-decision", "court-outcome"]
    rene = case_detail(db, result.created[1], TODAY)
    assert (rene["name"], rene["referral_source"], rene["offence_type"], rene["stage"]) == (
        "Dé Renée", "Self-referral", "Theft", "court-declined")


def test_a_corrected_mapping_is_saved_for_the_same_headings_and_reused(db, tmp_path):
    headings = [*HEADINGS[:6], "Referral date", *HEADINGS[7:]]  # "Referral date" is not guessed as screening
    path = write_caseload(tmp_path / "c.xlsx", [ROWS[4]], headings=headings)
    sheet = read_sheet(path)
    mapping, _ = mapping_for(db, sheet)
    assert 6 not in mapping
    plan = plan_of(db, path, ["Referral date=screening", "Offence=ignore"])
    assert plan.mapping[6] == "screening" and 5 not in plan.mapping
    assert [e.kind for e in plan.ready[0].events][0] == "screening"
    apply_plan(db, plan)
    assert rec.get_setting(db, maps.sheet_key(headings)) is not None
    next_month = write_caseload(tmp_path / "next.xlsx", [ROWS[1]], headings=headings)
    reused, _ = mapping_for(db, read_sheet(next_month))
    assert reused[6] == "screening" and 5 not in reused
    # taking a correction back is remembered too
    undo = plan_of(db, next_month, ["Referral date=ignore"])
    apply_plan(db, undo, leave_out_bad=True)
    later, _ = mapping_for(db, read_sheet(next_month))
    assert 6 not in later and 5 not in later


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["Nope=screening"], "no column headed 'Nope'"),
        (["Notes=favourite colour"], "'favourite colour' is not a field"),
        (["Notes"], "write it as 'Heading=field'"),
    ],
)
def test_bad_mapping_corrections_are_refused_by_name(db, tmp_path, overrides, message):
    with pytest.raises(ValidationError, match=message):
        plan_of(db, write_caseload(tmp_path / "c.xlsx"), overrides)


def test_files_that_are_not_caseload_spreadsheets_are_refused_in_one_line(tmp_path):
    from openpyxl import Workbook

    cases = {}
    cases["notes.xlsx"] = b"this is not a workbook"
    cases["old.xls"] = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    cases["locked.xlsx"] = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 200 + "EncryptedPackage".encode("utf-16-le")
    cases["photo.png"] = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    cases["binary.csv"] = b"a,b\x00\x01\x02"
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    wb = Workbook()
    wb.active.append(["Favourite colour", "Shoe size"])
    wb.active.append(["blue", 9])
    wb.save(tmp_path / "other.xlsx")
    expected = {
        "notes.xlsx": "not an Excel workbook that can be read",
        "old.xls": "old Excel 97-2003 (.xls) workbook",
        "locked.xlsx": "password-protected workbook",
        "photo.png": "not a spreadsheet this can read",
        "binary.csv": "not a text spreadsheet",
        "other.xlsx": "no recognisable caseload columns",
        "missing.csv": "no file",
    }
    for name, message in expected.items():
        with pytest.raises(ImportFileError) as err:
            read_sheet(tmp_path / name)
        assert message in str(err.value) and "\n" not in str(err.value), name


def test_a_sheet_without_names_or_dates_of_birth_is_refused(db, tmp_path):
    path = write_csv(tmp_path / "c.csv", ["Screened,Assessed,Sentence date", "01/11/2026,02/11/2026,"])
    with pytest.raises(ValidationError, match="no column for the client's name"):
        plan_of(db, path)


def test_a_failure_part_way_leaves_the_database_as_it_was(db, tmp_path, monkeypatch):
    import importer.write as write

    plan = plan_of(db, write_caseload(tmp_path / "c.xlsx"))
    before = snapshot_counts(db)
    calls = []
    real = write.record_event

    def fail_on_the_third_case(db_, ref, *args, **kwargs):
        calls.append(ref)
        if ref == "MHTR-0003":
            raise ValidationError("disk on fire")
        return real(db_, ref, *args, **kwargs)

    monkeypatch.setattr(write, "record_event", fail_on_the_third_case)
    with pytest.raises(ValidationError, match="disk on fire"):
        apply_plan(db, plan)
    assert "MHTR-0002" in calls  # two cases had been written inside the transaction
    assert snapshot_counts(db) == before


def test_formatting_dragged_down_a_whole_column_is_not_rows(tmp_path):
    from openpyxl import load_workbook

    path = write_caseload(tmp_path / "c.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    for r in range(11, 8000):
        ws.cell(row=r, column=2).number_format = "dd/mm/yyyy"  # styled, empty
    ws.cell(row=12, column=1).value = "   "  # a stray space is a blank row too
    wb.save(path)
    sheet = read_sheet(path)
    assert [n for n, _ in sheet.rows] == [5, 6, 8, 9] and sheet.ignored == [(10, "a totals row")]


def test_the_caseload_sheet_is_found_when_it_is_not_the_first(tmp_path):
    from openpyxl import load_workbook

    path = write_caseload(tmp_path / "c.xlsx")
    wb = load_workbook(path)
    notes = wb.create_sheet("Notes", 0)  # a first sheet with no caseload on it
    notes.append(["Read me: the caseload is on the next sheet"])
    wb.save(path)
    sheet = read_sheet(path)
    assert sheet.sheet_name == "Caseload 2026" and sheet.heading_row == 4


def test_totals_and_repeated_headings_are_passed_over_but_a_name_that_starts_like_them_is_not(db, tmp_path):
    count_row = ["Countryman Synthetic", "01/01/1980"] + [None] * 12
    rows = [ROWS[0], HEADINGS, count_row, ["Grand total:", None, None] + [None] * 11]
    sheet = read_sheet(write_caseload(tmp_path / "c.xlsx", rows))
    assert [n for n, _ in sheet.rows] == [5, 7]
    assert sheet.ignored == [(6, "the headings again"), (8, "a totals row"), (9, "a totals row")]


@pytest.mark.parametrize(
    ("cell", "decision", "day"),
    [
        ("Approved 12/03/2026", "approved", "2026-03-12"),
        ("12/03/2026 approved", "approved", "2026-03-12"),
        ("12th March 2026 - agreed", "approved", "2026-03-12"),
        ("approved 12 Mar 26", "approved", "2026-03-12"),
        ("DECLINED: 12/03/2026", "declined", "2026-03-12"),
    ],
)
def test_clinical_lead_decisions_as_people_write_them(db, tmp_path, cell, decision, day):
    row = ["Pat Nobody", "01/01/1980", None, None, None, None, "01/03/2026", "02/03/2026", cell]
    plan = plan_of(db, write_caseload(tmp_path / "c.xlsx", [row + [None] * (len(HEADINGS) - len(row))]))
    assert plan.problems == []
    event = plan.ready[0].events[-1]
    assert (event.kind, event.data["decision"], event.date.isoformat()) == ("cl-decision", decision, day)


def test_sessions_without_any_dates_and_the_tasks_they_start(db, tmp_path):
    done = ["Ash Completed", "01/01/1980", None, None, None, None, "01/01/2026", "02/01/2026",
            "Approved 05/01/2026", "12/01/2026", 12, None, "30/04/2026"]
    ongoing = ["Bo Ongoing", "01/01/1981", None, None, None, None, "01/09/2026", "02/09/2026",
               "Approved 05/09/2026", "12/10/2026", 3, None, None]
    pad = [None] * (len(HEADINGS) - len(done))
    plan = plan_of(db, write_caseload(tmp_path / "c.xlsx", [done + pad, ongoing + pad]))
    assert plan.ready[0].notes == ["12 session(s) without dates recorded on 30/04/2026 (the completion date)"]
    assert plan.ready[1].notes == ["3 session(s) without dates recorded on 20/11/2026 (the import date)"]
    result = apply_plan(db, plan)
    ash, bo = (case_detail(db, ref, TODAY) for ref in result.created)
    assert ash["stage"] == "completed" and events_of(db, result.created[0])[-2:] == [
        ("session", "2026-04-30"), ("completion", "2026-04-30")]
    assert bo["stage"] == "in-treatment" and bo["sessions_attended"] == 3
    session_ids = {e["id"] for e in bo["events"] if e["kind"] == "session"}
    from db.tasks import tasks_of_event

    session_tasks = [t for i in session_ids for t in tasks_of_event(db, i)]
    assert session_tasks  # each session starts its admin...
    # ...done before the import, or (data capture) done by mhtr-tui as the session was recorded
    assert all(t["status"] == "skipped" and t["reason"] == "before import"
               or t["status"] == "done" and t["reason"] == "by mhtr-tui: treatment session recorded"
               for t in session_tasks)
    assert any(t["reason"] == "before import" for t in session_tasks)
