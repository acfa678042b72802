"""The work each write does once that it did again at every step: deriving the case, checking text, comparing a
series' slots with the diary. Same answers, less work."""

from __future__ import annotations

from datetime import datetime

import pytest

from records import appointments as ap
from records import casework
from service.core import checklist_of
from tests.sessions_support import sentenced_case
from vocabulary import text as vtext


def test_recording_an_event_derives_the_case_before_it_once(db, monkeypatch):
    """``check_event`` derived the history's state and ``record_event`` derived it again; it is handed over."""
    from vocabulary import event_kinds

    ref = sentenced_case(db, "2026-10-01")
    derived: list[int] = []
    real = casework.derive_state

    def counting(events):
        derived.append(len(events))
        return real(events)

    monkeypatch.setattr(casework, "derive_state", counting)
    monkeypatch.setattr(event_kinds, "derive_state", counting)
    day = datetime(2026, 10, 8).date()
    result = casework.record_event(db, ref, "session", day, {"outcome": "attended"}, day, checklist=checklist_of(db))
    assert derived == [4, 5]  # before (the four events so far) and after, nothing twice
    assert result.state is not None and result.state.sessions_attended == 1


def test_printable_text_is_let_through_without_looking_at_each_character(monkeypatch):
    """Most text (names, notes) is printable: ``str.isprintable`` (in C) holds no character of the refused
    categories (tests/test_speed.py checks every code point), so it is not looked at one character at a time."""

    def every_character(ch, multiline):
        raise AssertionError(f"looked at {ch!r}")

    monkeypatch.setattr(vtext, "_unsafe", every_character)
    assert vtext.text_problem("Zoë O'Brien-Łukasz 陳, seen at Brook House", "name") is None
    monkeypatch.undo()
    assert vtext.text_problem("two\nlines", "name") == "the name must be on one line"
    assert vtext.text_problem("two\nlines", "notes", multiline=True) is None
    assert "U+202E" in vtext.text_problem("abc\u202edef", "name")


def test_a_series_compares_each_slot_only_with_what_starts_near_it(db, monkeypatch):
    """The clash check read the hours around every slot of a series and compared each slot with all of them (a
    start parsed slots x rows times); each slot now meets only its own window. The clashes found are the same."""
    ref = sentenced_case(db, "2026-10-01")
    other = sentenced_case(db, "2026-10-01", name="Kit Synthetic")
    now = datetime(2026, 10, 2, 9, 0)
    ap.book_series(db, other, datetime(2026, 10, 6, 10, 0), 6, mode="phone", now=now, checklist=checklist_of(db))
    parsed: list[str] = []
    real = ap.from_iso

    def counting(text):
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(ap, "from_iso", counting)
    with pytest.raises(ap.OverlapError) as refused:
        ap.book_series(db, ref, datetime(2026, 10, 6, 10, 30), 6, mode="phone", now=now, checklist=checklist_of(db))
    assert "6 clashes in all" in str(refused.value)
    assert [c["starts_at"] for c in refused.value.clashes] == [f"2026-{d}T10:00" for d in
                                                               ("10-06", "10-13", "10-20", "10-27", "11-03", "11-10")]
    assert len(parsed) <= 6 + 1  # each slot's one neighbour, and the first clash again for the message


def test_a_transaction_makes_its_cases_history_and_state_once_per_change(db, monkeypatch):
    """Each step of one action (the booking's check, the session's, its event's, a risk it raises) asked for the
    case's state, and each ask converted every stored event and folded the history again: now once per change,
    the same state a fresh read gives after the change."""
    from db.transaction import transaction
    from records import clients
    from records.sessions import log_session

    ref = sentenced_case(db, "2026-10-01")
    case_id = clients.require_case(db, ref)["case_id"]
    derived: list[int] = []
    real = casework.derive_state

    def counting(events):
        derived.append(len(events))
        return real(events)

    monkeypatch.setattr(casework, "derive_state", counting)
    day = datetime(2026, 10, 8).date()
    with transaction(db):
        first = casework.case_state(db, case_id)
        assert casework.case_state(db, case_id) is first and casework.case_history(db, case_id)[1] is first
        assert derived == [4]
        logged = log_session(db, ref, day, "attended", today=day, checklist=checklist_of(db))
        # the state before the session was already made; after it: derived once, for the event's checks, and held
        assert derived == [4, 5]
        events, state = casework.case_history(db, case_id)
        assert casework.case_state(db, case_id) is state is logged.result.state and derived == [4, 5]
        assert [e.kind for e in events][-1] == "session" and state.sessions_attended == 1
    monkeypatch.undo()
    fresh_events, fresh = casework.case_history(db, case_id)  # outside a transaction: read from the file
    assert (fresh_events, fresh) == (events, state) and fresh is not state


def test_what_a_transaction_holds_of_a_cases_history_is_what_a_new_read_gives(db):
    """Events recorded in one transaction, in and out of date order, several on a day: the history and state held
    for the transaction after each are those a new read makes after it commits, event for event."""
    from db.transaction import transaction
    from records import clients

    ref = sentenced_case(db, "2026-10-01")
    case_id = clients.require_case(db, ref)["case_id"]
    days = ["2026-10-20", "2026-10-08", "2026-10-20", "2026-10-13", "2026-10-08"]
    today = datetime(2026, 10, 21).date()
    with transaction(db):
        for i, d in enumerate(days):
            outcome = "unacceptable-absence" if i in (1, 3) else "attended"
            casework.record_event(db, ref, "session", d, {"outcome": outcome, "summary": f"seen {i}"}, today,
                                  checklist=checklist_of(db))
        held = casework.case_history(db, case_id)
    fresh = casework.case_history(db, case_id)
    assert fresh == held
    assert [e.date.isoformat() for e in fresh[0]][-5:] == sorted(days)
    assert fresh[1].unacceptable_absences == 2 and fresh[1].breach_clock_starts == (datetime(2026, 10, 13).date(),)


def test_a_bookings_clash_check_reads_whose_appointment_it_is_only_for_what_clashes(db):
    """The clash check compares times: it read every nearby appointment with its case and client (twenty columns
    and two joins a row) and now reads their start, length and status, and the rest only for a clash, which the
    refusal names as before."""
    ref = sentenced_case(db, "2026-10-01")
    other = sentenced_case(db, "2026-10-01", name="Kit Synthetic")
    now = datetime(2026, 10, 2, 9, 0)
    ap.book_series(db, other, datetime(2026, 10, 6, 10, 0), 6, mode="phone", now=now, checklist=checklist_of(db))
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        ap.book_series(db, ref, datetime(2026, 10, 6, 11, 0), 6, mode="phone", now=now, checklist=checklist_of(db))
        assert [s for s in statements if "FROM appointments" in s and "JOIN cases" in s] == []
        with pytest.raises(ap.OverlapError) as refused:
            ap.book_series(db, ref, datetime(2026, 10, 13, 10, 30), 2, mode="phone", now=now,
                           checklist=checklist_of(db))
    finally:
        db.conn.set_trace_callback(None)
    assert str(refused.value) == (
        f"13/10/2026 10:30-11:30 overlaps {other}'s appointment 13/10/2026 10:00-11:00; 4 clashes in all")
    assert [(c["ref"], c["client_name"], c["starts_at"]) for c in refused.value.clashes] == [
        (other, "Kit Synthetic", "2026-10-13T10:00"), (ref, "Robin Synthetic", "2026-10-13T11:00"),
        (other, "Kit Synthetic", "2026-10-20T10:00"), (ref, "Robin Synthetic", "2026-10-20T11:00")]


def test_the_first_free_series_is_the_first_that_booking_would_not_refuse_for_a_clash(db):
    """``first_free_series`` makes the clash check ``book_series`` makes, for several series with one read of the
    diary: the one it names books without a clash, and each before it is refused for one."""
    ref = sentenced_case(db, "2026-10-01")
    other = sentenced_case(db, "2026-10-01", name="Kit Synthetic")
    now = datetime(2026, 10, 2, 9, 0)
    ap.book_series(db, other, datetime(2026, 10, 6, 10, 0), 3, mode="phone", now=now, checklist=checklist_of(db))
    ap.book_appointment(db, other, datetime(2026, 10, 20, 13, 0), mode="phone", now=now, checklist=checklist_of(db))
    firsts = [datetime(2026, 10, 6, h, 30) for h in (9, 12, 14)]
    candidates = [ap.plan_series(f, 3).starts for f in firsts]
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        assert ap.first_free_series(db, candidates, ap.check_duration(None)) == 2
    finally:
        db.conn.set_trace_callback(None)
    assert sum("FROM appointments" in s for s in statements) == 1
    assert ap.first_free_series(db, candidates[:2], ap.check_duration(None)) is None
    for first in firsts[:2]:
        with pytest.raises(ap.OverlapError):
            ap.book_series(db, ref, first, 3, mode="phone", now=now, checklist=checklist_of(db))
    ap.book_series(db, ref, firsts[2], 3, mode="phone", now=now, checklist=checklist_of(db))
    assert ap.first_free_series(db, candidates, ap.check_duration(None)) is None  # now booked itself


def test_recording_an_event_reads_the_open_tasks_it_is_about_once(db):
    """Whether a risk task is open (the checklist's conditions), which open tasks the event closes and which the
    order's end makes unnecessary were three reads or more; the open tasks of those items are read once (again
    only when the event starts a task the order's end limits), and the same tasks are closed."""
    from db import tasks as taskdb

    ref = sentenced_case(db, "2026-10-01")
    day = datetime(2026, 10, 8).date()
    open_before = {t["key"] for t in taskdb.tasks_due(db, until=None)}
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        result = casework.record_event(db, ref, "case-meeting", day, {}, day, checklist=checklist_of(db))
    finally:
        db.conn.set_trace_callback(None)
    before_insert = statements[: next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO events"))]
    after_insert = statements[len(before_insert):]
    assert sum(s.startswith("SELECT") and "FROM tasks" in s for s in before_insert) == 1
    assert not any(s.startswith("SELECT") and "FROM tasks" in s for s in after_insert)  # outlived ones included
    assert result.closed and {c.key for c in result.closed} <= open_before
    assert not {c.key for c in result.closed} & {t["key"] for t in taskdb.tasks_due(db, until=None)}


def test_a_checklist_knows_its_items_by_key_and_those_the_orders_end_limits_once(db):
    """Every event recorded asks which items the order's end limits and looks items up by key: both are worked out
    once per checklist, not by a walk of its items each time; the first item of a key is the one found."""
    checklist = checklist_of(db)
    assert [i.key for i in checklist.limited_items] == [i.key for i in checklist.items if i.until is not None]
    assert checklist.limited_items is checklist.limited_items and "consent.renewal" in checklist._by_key
    for item in checklist.items:
        assert checklist.item(item.key) is next(i for i in checklist.items if i.key == item.key)
    assert checklist.item("no-such-item") is None


def test_the_checks_every_event_meets_write_their_refusal_only_when_they_refuse():
    """An event recorded passes the checks of a prior event, the sentence and the order's end; their messages
    (dates formatted) were written each time and thrown away. Written now only to refuse, in the same words."""
    from datetime import date

    from vocabulary.event_fields import Context
    from vocabulary.event_kinds import _within_order
    from vocabulary.identity import ValidationError
    from vocabulary.stages import Event, derive_state

    class Unformatted(date):
        def __format__(self, spec):
            raise AssertionError("a message was written for a check that passed")

    history = [Event("assessment", date(2026, 10, 1), {}, 1),
               Event("court-outcome", date(2026, 10, 2), {"outcome": "accepted", "length_months": 6}, 2)]
    state = derive_state(history)
    ok = Context("session", "Session", Unformatted(2026, 10, 9), {}, history, state)
    ok.prior("assessment", what="an assessment")
    ok.sentenced()
    _within_order(ok, "within the order")
    early = Context("session", "Session", date(2026, 9, 30), {}, history, state)
    with pytest.raises(ValidationError, match=r"^Session on 30/09/2026 is before the assessment on 01/10/2026$"):
        early.prior("assessment", what="an assessment")
    with pytest.raises(ValidationError, match=r"^Session on 30/09/2026 is before the sentence on 02/10/2026$"):
        early.sentenced()
    late = Context("session", "Session", date(2027, 4, 2), {}, history, state)
    with pytest.raises(ValidationError, match=r"^Session on 02/04/2027 is after the order ended on 01/04/2027; x$"):
        _within_order(late, "x")


def test_a_clash_check_finds_each_slots_window_by_halving_not_by_looking_at_every_start():
    """Several series checked at once (``first_free_series``) met every nearby appointment once per slot; each
    slot's window is now found by halving the starts (read in time order), with the same clashes found."""
    looked: list[int] = []

    class Row(dict):
        def __getitem__(self, key):
            if key == "starts_at":
                looked.append(1)
            return super().__getitem__(key)

    nearby = [Row(id=i, starts_at=f"2026-10-{d:02d}T{h:02d}:00", duration_min=60, status="booked")
              for i, (d, h) in enumerate(((d, h) for d in range(5, 31) for h in (9, 11, 14)), start=1)]
    starts = [datetime(2026, 10, d, 11, 30) for d in (6, 13, 20, 27)]
    found = ap._clashes(starts, 60, nearby)
    assert [(s.day, c["id"]) for s, c in found] == [(6, 5), (13, 26), (20, 47), (27, 68)]
    assert len(looked) < len(nearby) + 4 * 8  # each start read once, then a few per slot (it was 78 per slot)


def test_what_the_apps_actions_complete_is_looked_up_not_walked(db):
    """Each questionnaire saved and each booking asks which items its action completes: the checklist indexes
    them once by action, the same items in the same order as a walk of its items gives."""
    from records.app_done import keys_done_by

    checklist = checklist_of(db)
    actions = {a for i in checklist.items for a in i.done_by}
    assert actions
    for action in actions:
        assert checklist.items_done_by(action) == tuple(i for i in checklist.items if action in i.done_by)
        assert keys_done_by(checklist, action) == frozenset(i.key for i in checklist.items if action in i.done_by)
    assert checklist.items_done_by("no-such-action") == ()
