"""The weekly share with probation: one CSV and one Word document per Responsible Officer, each checked field by
field and holding only that officer's clients; owner-only files; appointments with no outcome listed and holding
back the weekly diary task until they are recorded.
"""

from __future__ import annotations

import csv
import stat
from datetime import date

import pytest

from db import appointments as appdb
from db import records as rec
from letters import weekly_share as ws
from letters import weekly_share_writer as wsw
from records import appointments as ap
from records import sessions as se
from records import task_actions
from service.core import checklist_of
from tests.sessions_support import at, sentenced_case
from vocabulary.identity import ValidationError

BOOKED_ON = at("2026-11-03 09:00")
NOW = at("2026-11-20 12:00")  # Friday of the week shared
TODAY = date(2026, 11, 20)


@pytest.fixture
def week(db):
    """Week of Monday 16 November 2026, four clients, three Responsible Officers (one not recorded)."""
    rec.set_setting(db, "practitioner", "Jamie Rowe, Assistant Psychologist")
    rec.set_setting(db, "service_name", "Primary Care MHTR Service")
    a = sentenced_case(db, "2026-11-02", name="Robin Synthetic", ro="Sam Officer", ro_contact="sam@probation.example")
    b = sentenced_case(db, "2026-11-02", name="Jo Placeholder", ro="Alex Warden", ro_contact="01234 567890")
    c = sentenced_case(db, "2026-11-02", name="Casey Sample", ro=None, ro_contact=None)
    d = sentenced_case(db, "2026-11-02", name="Drew Testcase", ro="Sam Officer", ro_contact="sam@probation.example")
    a1 = ap.book_appointment(
        db, a, at("2026-11-17 10:00"), place="Brook House", duration_min=50, now=BOOKED_ON, checklist=checklist_of(db)
    )
    a2 = ap.book_appointment(
        db, a, at("2026-11-19 10:00"), place="Brook House", now=BOOKED_ON, checklist=checklist_of(db)
    )
    ap.book_appointment(
        db, a, at("2026-11-23 10:00"), place="Brook House", now=BOOKED_ON, checklist=checklist_of(db)
    )  # next week
    b1 = ap.book_appointment(db, b, at("2026-11-18 14:00"), mode="phone", now=BOOKED_ON, checklist=checklist_of(db))
    c1 = ap.book_appointment(
        db, c, at("2026-11-20 11:00"), place="Brook House", now=BOOKED_ON, checklist=checklist_of(db)
    )
    c2 = ap.book_appointment(
        db, c, at("2026-11-19 09:00"), place="Brook House", now=BOOKED_ON, checklist=checklist_of(db)
    )
    ap.book_appointment(db, d, at("2026-11-20 15:00"), mode="video", now=BOOKED_ON, checklist=checklist_of(db))
    se.record_attendance(
        db, a1, "attended", risk="private risk note", summary="private summary", today=date(2026, 11, 17),
        checklist=checklist_of(db)
    )
    se.record_attendance(db, a2, "unacceptable-absence", today=date(2026, 11, 19), checklist=checklist_of(db))
    ap.move_appointment(db, b1, at("2026-11-27 14:00"), reason="client working", now=at("2026-11-16 09:00"))
    ap.cancel_appointment(db, c1, by="client", reason='=HYPERLINK("http://x")', checklist=checklist_of(db), today=TODAY)
    se.log_session(db, d, "2026-11-16", "acceptable-absence", today=date(2026, 11, 16), checklist=checklist_of(db))
    return {"a": a, "b": b, "c": c, "d": d, "awaiting": c2}


def _expected(refs) -> list[dict]:
    """The rows by hand: RO groups in name order, 'no RO' last; within a group, time order."""
    a, b, c, d = refs["a"], refs["b"], refs["c"], refs["d"]
    sam = ("Sam Officer", "sam@probation.example")
    row = dict.fromkeys(
        [
            "Responsible Officer",
            "RO contact",
            "Case",
            "Client",
            "Date",
            "Time",
            "Where",
            "Session",
            "Attendance",
            "Unacceptable absences in the order",
            "Detail",
        ],
        "",
    )
    return [
        {
            **row,
            "Week starting": "2026-11-16",
            "Responsible Officer": "Alex Warden",
            "RO contact": "01234 567890",
            "Case": b,
            "Client": "Jo Placeholder",
            "Date": "2026-11-18",
            "Time": "14:00",
            "Where": "Phone",
            "Attendance": "Rescheduled",
            "Unacceptable absences in the order": "0",
            "Detail": "moved to 27/11/2026 14:00; client working",
        },
        {
            **row,
            "Week starting": "2026-11-16",
            "Responsible Officer": sam[0],
            "RO contact": sam[1],
            "Case": d,
            "Client": "Drew Testcase",
            "Date": "2026-11-16",
            "Attendance": "Acceptable absence",
            "Unacceptable absences in the order": "0",
            "Detail": "recorded without an appointment",
        },
        {
            **row,
            "Week starting": "2026-11-16",
            "Responsible Officer": sam[0],
            "RO contact": sam[1],
            "Case": a,
            "Client": "Robin Synthetic",
            "Date": "2026-11-17",
            "Time": "10:00",
            "Where": "Brook House",
            "Session": "1 of 12",
            "Attendance": "Attended and complied",
            "Unacceptable absences in the order": "0",
        },
        {
            **row,
            "Week starting": "2026-11-16",
            "Responsible Officer": sam[0],
            "RO contact": sam[1],
            "Case": a,
            "Client": "Robin Synthetic",
            "Date": "2026-11-19",
            "Time": "10:00",
            "Where": "Brook House",
            "Attendance": "Unacceptable absence / failed to attend",
            "Unacceptable absences in the order": "1",
        },
        {
            **row,
            "Week starting": "2026-11-16",
            "Responsible Officer": sam[0],
            "RO contact": sam[1],
            "Case": d,
            "Client": "Drew Testcase",
            "Date": "2026-11-20",
            "Time": "15:00",
            "Where": "Video",
            "Attendance": "Booked",
            "Unacceptable absences in the order": "0",
        },
        {
            **row,
            "Week starting": "2026-11-16",
            "Responsible Officer": ws.NO_RO,
            "Case": c,
            "Client": "Casey Sample",
            "Date": "2026-11-19",
            "Time": "09:00",
            "Where": "Brook House",
            "Attendance": "Outcome not yet recorded",
            "Unacceptable absences in the order": "0",
        },
        {
            **row,
            "Week starting": "2026-11-16",
            "Responsible Officer": ws.NO_RO,
            "Case": c,
            "Client": "Casey Sample",
            "Date": "2026-11-20",
            "Time": "11:00",
            "Where": "Brook House",
            "Attendance": "Cancelled by client",
            "Unacceptable absences in the order": "0",
            "Detail": '\'=HYPERLINK("http://x")',
        },
    ]


FILES = {
    "Alex Warden": "mhtr-attendance-week-2026-11-16-alex-warden",
    "Sam Officer": "mhtr-attendance-week-2026-11-16-sam-officer",
    ws.NO_RO: "mhtr-attendance-week-2026-11-16-no-ro-recorded",
}


def _csv_rows(path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return reader.fieldnames, list(reader)


def test_one_csv_per_officer_field_by_field_with_only_their_clients(db, week, tmp_path):
    result = wsw.share_week(db, tmp_path / "out", date(2026, 11, 18), today=TODAY, now=NOW, checklist=checklist_of(db))
    assert [(f.ro_name, f.csv.name) for f in result.files] == [(ro, f"{stem}.csv") for ro, stem in FILES.items()]
    expected = _expected(week)
    for f in result.files:
        fieldnames, rows = _csv_rows(f.csv)
        assert fieldnames == [
            "Week starting",
            "Responsible Officer",
            "RO contact",
            "Case",
            "Client",
            "Date",
            "Time",
            "Where",
            "Session",
            "Attendance",
            "Unacceptable absences in the order",
            "Detail",
        ]
        assert rows == [r for r in expected if r["Responsible Officer"] == f.ro_name]
        assert {r["Responsible Officer"] for r in rows} == {f.ro_name}  # no other officer's client
        assert "private" not in f.csv.read_text(encoding="utf-8-sig")  # clinical notes never go to probation
    sam = _csv_rows(result.files[1].csv)[1]
    assert {r["Client"] for r in sam} == {"Robin Synthetic", "Drew Testcase"}


def test_one_word_document_per_officer_field_by_field(db, week, tmp_path):
    from docx import Document

    result = wsw.share_week(db, tmp_path / "out", date(2026, 11, 18), today=TODAY, now=NOW, checklist=checklist_of(db))
    expected = _expected(week)
    header = [
        "Case",
        "Client",
        "Date",
        "Time",
        "Where",
        "Session",
        "Attendance",
        "Unacceptable absences",  # deliberately shortened from "... in the order" to fit its column
        "Detail",
    ]

    def doc_row(r):
        day = r["Date"]
        return [
            r["Case"],
            r["Client"],
            f"{day[8:]}/{day[5:7]}/{day[:4]}",
            r["Time"],
            r["Where"],
            r["Session"],
            r["Attendance"],
            r["Unacceptable absences in the order"],
            r["Detail"].lstrip("'"),
        ]

    for f, (ro, contact) in zip(
        result.files,
        [("Alex Warden", "01234 567890"), ("Sam Officer", "sam@probation.example"), (ws.NO_RO, "")],
        strict=True,
    ):
        doc = Document(str(f.docx))
        paragraphs = [p.text for p in doc.paragraphs if p.text]
        marking = ws.MARKING.format(to=ro) if contact else ws.NOT_FOR_SENDING
        assert paragraphs == [
            "MHTR attendance for probation",
            f"For: {ro} ({contact})" if contact else f"For: nobody yet ({ws.NO_RO})",
            "Week of Monday 16 November 2026 to Sunday 22 November 2026",
            "Jamie Rowe, Assistant Psychologist, Primary Care MHTR Service",
            marking,
            ws.ABSENCES_NOTE,  # deliberately added: the short column heading leaves "in the order" to it
        ]
        assert doc.paragraphs[0].style.name == "Heading 1"
        (table,) = doc.tables
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        assert rows[0] == header
        assert rows[1:] == [doc_row(r) for r in expected if r["Responsible Officer"] == ro]
        text = "\n".join(paragraphs) + "".join(c for row in rows for c in row)
        assert "private" not in text
        others = {r["Client"] for r in expected if r["Responsible Officer"] != ro}
        assert not any(name in text for name in others)  # nobody else's client, anywhere in the file
        footer = doc.sections[0].footer.paragraphs[0].text
        assert "Page " in footer and " of " in footer


def test_word_documents_are_landscape_with_columns_that_fit(db, week, tmp_path):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    for f in wsw.share_week(db, tmp_path, date(2026, 11, 18), today=TODAY, now=NOW, checklist=checklist_of(db)).files:
        doc = Document(str(f.docx))
        section = doc.sections[0]
        assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)  # A4
        room = section.page_width - section.left_margin - section.right_margin
        want = [Cm(ws.DOC_WIDTHS_CM[k]) for k in ws.DOC_COLUMNS]
        assert sum(want) <= room

        def close(widths, want=want) -> bool:  # stored in twips: within a hundredth of a millimetre
            return all(abs(w - x) < Cm(0.001) for w, x in zip(widths, want, strict=True))

        header = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        for table in doc.tables:
            assert close([c.width for c in table.columns])  # the grid LibreOffice follows
            assert all(close([c.width for c in row.cells]) for row in table.rows)  # the cells Word follows
            assert table.rows[0]._tr.trPr.find(header) is not None  # repeated on each page


def test_an_appointment_with_no_outcome_holds_back_the_weekly_task(db, week, tmp_path):
    task_actions.ensure_recurring(db, date(2026, 11, 16), checklist=checklist_of(db))
    task = appdb.practitioner_task(db, "weekly.diary", "2026-W47")
    assert (task["status"], task["due"]) == ("open", "2026-11-20")
    share = ws.build_share(db, date(2026, 11, 18), NOW)
    assert [(r["ref"], r["date"], r["time"]) for r in share.awaiting] == [(week["c"], "2026-11-19", "09:00")]
    assert ws.awaiting_lines(share) == [f"  {week['c']} Casey Sample: 19/11/2026 09:00, no outcome recorded"]
    result = wsw.write_share(db, share, tmp_path / "new", today=TODAY, now=NOW, checklist=checklist_of(db))
    assert result.files and (result.task_id, result.ticked) == (None, False)
    assert appdb.practitioner_task(db, "weekly.diary", "2026-W47")["status"] == "open"
    assert "weekly diary task left open: 1 appointment(s) with no outcome recorded" in "\n".join(result.lines())
    # recorded, the week is shared again and its task ticks
    se.record_attendance(db, week["awaiting"], "attended", today=TODAY, checklist=checklist_of(db))
    result = wsw.share_week(db, tmp_path / "new", date(2026, 11, 18), today=TODAY, now=NOW, checklist=checklist_of(db))
    for f in result.files:
        for path in (f.docx, f.csv):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(result.folder.stat().st_mode) == 0o700
    assert (result.task_id, result.ticked) == (task["id"], True)
    assert appdb.practitioner_task(db, "weekly.diary", "2026-W47")["status"] == "done"
    again = wsw.share_week(db, tmp_path / "new", date(2026, 11, 18), today=TODAY, now=NOW, checklist=checklist_of(db))
    assert (again.task_id, again.ticked) == (task["id"], False)
    assert sorted(p.name for p in result.folder.iterdir()) == sorted(
        f"{stem}.{ext}" for stem in FILES.values() for ext in ("csv", "docx")
    )


def test_a_week_without_its_task_yet_gets_one_ticked(db, tmp_path):
    result = wsw.share_week(
        db, tmp_path, date(2027, 3, 24), today=date(2027, 3, 24), now=at("2027-03-24 12:00"), checklist=checklist_of(db)
    )
    task = appdb.practitioner_task(db, "weekly.diary", "2027-W12")
    assert (task["id"], task["status"], task["due"]) == (result.task_id, "done", "2027-03-25")  # Good Friday 26th
    assert result.share.rows == [] and result.files == []  # nothing to send to anyone
    assert "no appointments or sessions this week: nothing to send" in "\n".join(result.lines())


def test_output_must_be_a_folder(db, tmp_path):
    file = tmp_path / "a-file"
    file.write_text("x")
    with pytest.raises(ValidationError, match="is a file"):
        wsw.share_week(db, file, TODAY, today=TODAY, now=NOW, checklist=checklist_of(db))


def test_a_week_ahead_is_shared_but_its_task_is_not_made_or_ticked(db, tmp_path):
    # share-week --week 21/12/2026 on Monday 07/12/2026: the files, but no diary task for that week in advance.
    monday = date(2026, 12, 7)
    result = wsw.share_week(
        db, tmp_path, date(2026, 12, 21), today=monday, now=at("2026-12-07 09:00"), checklist=checklist_of(db)
    )
    assert result.ahead and (result.task_id, result.ticked) == (None, False)
    assert appdb.practitioner_task(db, "weekly.diary", "2026-W52") is None
    # from its Monday on, sharing it ticks it
    later = wsw.share_week(
        db, tmp_path, date(2026, 12, 21), today=date(2026, 12, 21), now=at("2026-12-21 08:00"),
        checklist=checklist_of(db)
    )
    assert not later.ahead and later.ticked
    assert appdb.practitioner_task(db, "weekly.diary", "2026-W52")["status"] == "done"


def test_share_week_command_says_a_week_ahead_leaves_its_task(run, tmp_path):
    import json
    from datetime import timedelta

    ahead = ap.week_start(date.today()) + timedelta(days=14)
    code, out, err = run("share-week", "--week", ahead.isoformat(), "-o", str(tmp_path), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["week_ahead"] is True and data["task_ticked"] is False and data["task_id"] is None
    code, out, _ = run("share-week", "--week", ahead.isoformat(), "-o", str(tmp_path))
    assert code == 0 and "the week has not started" in out and "task done" not in out


def test_share_week_command_lists_appointments_without_an_outcome_before_writing(run, tmp_path):
    from datetime import datetime, timedelta

    from db.connection import connect

    db = connect(run.path)
    monday = ap.week_start(date.today())
    ref = sentenced_case(db, (monday - timedelta(days=30)).isoformat(), name="Robin Synthetic", ro="Sam Officer",
                         ro_contact="sam@probation.example")
    when = datetime.now() - timedelta(hours=1)
    if when.date() < monday:  # Monday just after midnight: last week's appointment is still this one's past
        monday = ap.week_start(when.date())
    ap.book_appointment(db, ref, when.replace(second=0, microsecond=0), place="Brook House",
                        now=when - timedelta(days=1), checklist=checklist_of(db))
    db.close()
    code, out, err = run("share-week", "--week", when.date().isoformat(), "-o", str(tmp_path / "out"))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("1 appointment(s) past their time with no outcome recorded")
    assert lines[1].startswith(f"  {ref} Robin Synthetic: ")
    assert any("Sam Officer: mhtr-attendance-week-" in line for line in lines[2:])
    assert "task done" not in out
