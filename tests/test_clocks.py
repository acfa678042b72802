"""The guidance clocks are checklist items: the deadline written in a service's copy of the checklist is the one the
task, the Client screen's clocks, Today's deadlines and the monthly return's "within N days" all use."""

from __future__ import annotations

from datetime import date

import pytest

from checklists.model import DEFAULT_FILE, ChecklistError, load
from db.connection import connect
from db.records import set_setting
from records.clocks import clock_items, rule_words, sentence_deadlines
from service.clock import Clock
from service.core import Service
from tests.sessions_support import all_tasks, sentenced_case
from tui.glances import clocks_line

SENTENCE = "2026-10-05"  # a Monday: 10 and 14 days on are weekdays (Thursday 15, Monday 19 October)
DAY_AFTER_TEN = date(2026, 10, 16)


def _copy(tmp_path, old: str, new: str):
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "our-checklist.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _service(tmp_path, name: str, checklist=None) -> tuple[Service, str]:
    db = connect(tmp_path / f"{name}.db", create=True)
    if checklist is not None:
        set_setting(db, "checklist_file", str(checklist))
    ref = sentenced_case(db, SENTENCE)
    return Service(db, Clock.fixed(DAY_AFTER_TEN)), ref


def test_editing_the_case_meeting_deadline_moves_the_task_the_clock_and_the_return(tmp_path):
    meeting = 'due = "{}"\ndone_on = ["case-meeting"]'
    ours = _copy(tmp_path, meeting.format("+14 days"), meeting.format("+10 days"))
    results = {}
    for name, checklist in (("bundled", None), ("ours", ours)):
        service, ref = _service(tmp_path, name, checklist)
        task = next(t for t in all_tasks(service.db, ref) if t["key"] == "outcome.case-meeting")
        clock = next(c for c in service.clocks(ref) if c["key"] == "outcome.case-meeting")
        alerts = [(a["ref"], a["key"], a["status"]) for a in service.clock_alerts()]
        line = clocks_line(service.case_glance(ref), service.today)
        service.record_event(ref, "case-meeting", DAY_AFTER_TEN, {})
        figures = service.export_month("2026-10", tmp_path / f"{name}-return.xlsx", threshold=0).ret.figures["month"]
        results[name] = (task["due"], clock["due"], clock["name"], clock["status"], alerts, line, figures)
        service.db.close()

    due, clock_due, clock_name, status, alerts, line, figures = results["bundled"]
    assert (due, clock_due, status) == ("2026-10-19", "2026-10-19", "warning")
    assert clock_name == "Case management meeting (14 days from sentence)"
    assert ("MHTR-0001", "outcome.case-meeting", "warning") in alerts
    assert "Case meeting by 19/10" in line
    assert (figures["meetings"], figures["meetings_14"], figures["meetings_late"]) == (1, 1, 0)

    due, clock_due, clock_name, status, alerts, line, figures = results["ours"]
    assert (due, clock_due, status) == ("2026-10-15", "2026-10-15", "missed")
    assert clock_name == "Case management meeting (10 days from sentence)"
    assert ("MHTR-0001", "outcome.case-meeting", "missed") in alerts
    assert "! Case meeting due 15/10" in line
    assert (figures["meetings"], figures["meetings_14"], figures["meetings_late"]) == (1, 0, 1)


def test_the_first_session_clock_follows_its_item_too(tmp_path):
    ours = _copy(tmp_path, 'due = "+6 weeks"', 'due = "+4 weeks"')
    service, ref = _service(tmp_path, "ours", ours)
    clock = next(c for c in service.clocks(ref) if c["key"] == "outcome.first-session")
    assert (clock["due"], clock["short"]) == ("2026-11-02", "1st session")
    assert clock["name"] == "First session (4 weeks from sentence)"
    assert sentence_deadlines(service.checklist).first_session.text == "+4 weeks"


def test_a_checklist_without_clocks_shows_none_and_the_return_keeps_the_national_deadlines(tmp_path):
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    bare = tmp_path / "no-clocks.toml"
    bare.write_text("\n".join(line for line in text.splitlines() if not line.startswith(("clock", "warn"))))
    checklist = load(bare)
    assert clock_items(checklist) == []
    service, ref = _service(tmp_path, "bare", bare)
    assert service.clocks(ref) == []
    deadlines = sentence_deadlines(checklist)
    assert (deadlines.case_meeting.text, deadlines.first_session.text) == ("+14 days", "+6 weeks")


def test_the_bundled_clocks_and_their_words():
    checklist = load(DEFAULT_FILE)
    names = {i.key: i.clock for i in clock_items(checklist)}
    assert set(names) == {
        "outcome.case-meeting",
        "outcome.first-session",
        "session.breach-decision",
        "consent.renewal",
        "completion.follow-up-3",
        "completion.follow-up-6",
        "completion.follow-up-12",
    }
    words = {i.key: rule_words(i.due) for i in clock_items(checklist)}
    assert words["session.breach-decision"] == "6th working day" and words["consent.renewal"] == "12 months"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('warn = 3\n', 'warn = "soon"\n'), "warn = 'soon' must be a whole number of days"),
        (('clock_short = "Case meeting"\n', 'clock_short = "Case meeting"\non = ["case-meeting"]\n'),
         "a clock runs from one of court-outcome, consent, session, completion"),
    ],
)
def test_a_clock_that_cannot_be_read_is_refused_with_its_line(tmp_path, change, message):
    path = _copy(tmp_path, *change)
    with pytest.raises(ChecklistError, match="line") as err:
        load(path)
    assert message in str(err.value)
