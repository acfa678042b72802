"""The command line for the diary: appointment book | series | move | cancel | list | attend | entry, and
share-week. Refusals exit 2 with one line on stderr and change nothing.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from db.connection import connect
from records import appointments as ap
from tests.conftest import snapshot_counts


def _day(days: int) -> date:
    return date.today() + timedelta(days=days)


def _sentenced(run, name: str, ro: str) -> str:
    code, out, _ = run("client", "add", "--name", name, "--dob", "14/03/1987", "--ro-name", ro)
    ref = out.strip()
    for args in (
        ("screening",),
        ("assessment",),
        ("cl-decision", "--approved"),
        ("court-outcome", "--accepted", "--sessions", "12"),
    ):
        assert run("event", ref, *args, "--date", _day(-14).isoformat())[0] == 0
    return ref


def _counts(run) -> dict[str, int]:
    db = connect(run.path)
    try:
        return snapshot_counts(db)
    finally:
        db.close()


def test_book_overlap_move_cancel_and_list(run):
    a = _sentenced(run, "Robin Synthetic", "Sam Officer")
    b = _sentenced(run, "Jo Placeholder", "Alex Warden")
    day = _day(7)
    code, out, err = run(
        "appointment",
        "book",
        a,
        "--date",
        day.strftime("%d/%m/%Y"),
        "--time",
        "10am",
        "--place",
        "Brook House",
        "--duration",
        "50",
        "--json",
    )
    assert code == 0, err
    booked = json.loads(out)
    assert (booked["ref"], booked["starts_at"], booked["duration_min"]) == (a, f"{day}T10:00", 50)

    before = _counts(run)
    code, out, err = run("appointment", "book", b, "--date", day.isoformat(), "--time", "10:30", "--phone")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert f"overlaps {a}'s appointment {day:%d/%m/%Y} 10:00-10:50" in err and "--allow-overlap" in err
    assert _counts(run) == before
    code, out, _ = run(
        "appointment", "book", b, "--date", day.isoformat(), "--time", "10:30", "--phone", "--allow-overlap", "--json"
    )
    assert code == 0
    overlapping = json.loads(out)["id"]

    code, out, err = run("appointment", "move", str(overlapping), "--time", "11:00")
    assert code == 0, err
    assert out.startswith(f"appointment {overlapping} moved: now appointment ")
    code, out, _ = run("appointment", "cancel", str(booked["id"]), "--by", "client", "--reason", "unwell")
    assert code == 0 and "cancelled by the client" in out

    code, out, _ = run("appointment", "list", "--week", day.isoformat(), "--json")
    week = json.loads(out)
    rows = [r for d in week["days"] for r in d["rows"]]
    assert [(r["ref"], r["time"], r["status"]) for r in rows] == [
        (a, "10:00", "cancelled"),
        (b, "10:30", "moved"),
        (b, "11:00", "booked"),
    ]
    assert week["clashes"] == 0
    code, out, _ = run("appointment", "list", "--client", b, "--json")
    assert [r["attendance"] for r in json.loads(out)] == ["Rescheduled", "Booked"]
    code, out, _ = run("appointment", "list", "--week", day.isoformat())
    assert code == 0 and week["label"] in out and "Cancelled by client" in out


def test_series_fortnightly_by_phone(run):
    a = _sentenced(run, "Robin Synthetic", "Sam Officer")
    code, out, err = run(
        "appointment",
        "series",
        a,
        "--date",
        _day(3).isoformat(),
        "--time",
        "14:00",
        "--count",
        "3",
        "--every",
        "fortnight",
        "--phone",
        "--on-holiday",
        "warn",
        "--json",
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["starts_at"] == [f"{_day(3 + 14 * i)}T14:00" for i in range(3)]
    assert len(result["ids"]) == 3 and result["skipped"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "yesterday", "--time", "10:00", "--place", "X"), "in the past"),
        (("--date", "tomorrow", "--time", "25:00", "--place", "X"), "is not a time"),
        (("--date", "31/02/2027", "--time", "10:00", "--place", "X"), "February 2027 has 28 days"),
        (("--date", "tomorrow", "--time", "10:00"), "needs a place"),
        (("--date", "tomorrow", "--time", "10:00", "--phone", "--duration", "5"), "duration"),
    ],
)
def test_refused_bookings_exit_2_and_change_nothing(run, args, message):
    a = _sentenced(run, "Robin Synthetic", "Sam Officer")
    before = _counts(run)
    code, out, err = run("appointment", "book", a, *args)
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err
    assert _counts(run) == before


def test_attend_prints_the_entry_and_share_week(run, tmp_path):
    a = _sentenced(run, "Robin Synthetic", "Sam Officer")
    db = connect(run.path)
    day = _day(-1)
    aid = ap.book_appointment(
        db,
        a,
        datetime.combine(day, datetime.min.time()).replace(hour=10),
        place="Brook House",
        duration_min=50,
        now=datetime.combine(_day(-7), datetime.min.time()),
    )
    db.close()
    code, out, err = run(
        "appointment",
        "attend",
        str(aid),
        "--outcome",
        "attended",
        "--risk",
        "Low",
        "--summary",
        "Sleep diary",
        "--plan",
        "Behavioural activation",
        "--json",
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["appointment_id"] == aid and result["final"] is False
    assert {c["key"] for c in result["created"]} >= {"session.health-entry", "session.share-probation"}
    assert result["health_entry"].splitlines()[:5] == [
        f"MHTR treatment session 1 of 12 - {day:%d/%m/%Y} 10:00 (50 min, in person at Brook House)",
        "Attendance: Attended and complied",
        "Risk: Low",
        "Summary: Sleep diary",
        "Plan: Behavioural activation",
    ]
    code, out, _ = run("appointment", "entry", str(aid))
    assert code == 0 and out.strip() == result["health_entry"]
    code, _, err = run("appointment", "attend", str(aid), "--outcome", "attended")
    assert code == 2 and "already has its session recorded" in err

    outdir = tmp_path / "share"
    code, out, err = run("share-week", "--week", day.isoformat(), "-o", str(outdir), "--json")
    assert code == 0, err
    share = json.loads(out)
    monday = day - timedelta(days=day.weekday())
    assert share["week_start"] == monday.isoformat()
    assert share["rows"] == 1 and share["responsible_officers"] == ["Sam Officer"] and share["task_ticked"] is True
    assert sorted(p.name for p in outdir.iterdir()) == [
        f"mhtr-attendance-week-{monday}-sam-officer.csv",
        f"mhtr-attendance-week-{monday}-sam-officer.docx",
    ]
    assert [f["responsible_officer"] for f in share["files"]] == ["Sam Officer"] and share["awaiting_outcome"] == []
    from db.appointments import practitioner_task

    db = connect(run.path)
    iso = monday.isocalendar()
    task = practitioner_task(db, "weekly.diary", f"{iso.year}-W{iso.week:02d}")
    db.close()
    assert (task["id"], task["status"]) == (share["task_id"], "done")
    code, _, err = run("share-week", "--week", "someday", "-o", str(outdir))
    assert code == 2 and err.count("\n") == 1
