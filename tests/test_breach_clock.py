"""The breach clock (seed 004, the NPS instruction): every unacceptable absence from the second within 12 months
of the first starts "RO breach decision by the 6th working day", until the RO's decision is recorded."""

from __future__ import annotations

from datetime import date

from records import casework, clients
from service.core import checklist_of
from tests.sessions_support import all_tasks, sentenced_case

TODAY = date(2028, 6, 30)


def _absent(db, ref, day: str) -> dict[str, str]:
    made = casework.record_event(
        db, ref, "session", day, {"outcome": "unacceptable-absence"}, TODAY, checklist=checklist_of(db)
    ).created
    return {s.key: s.due.isoformat() for s in made}


def _clocks(db, ref) -> list[tuple[str, str]]:
    return [(t["due"], t["status"]) for t in all_tasks(db, ref) if t["key"] == "session.breach-decision"]


def test_every_absence_from_the_second_starts_the_clock_until_a_decision(db):
    ref = sentenced_case(db, "2026-10-01")
    assert "session.breach-decision" not in _absent(db, ref, "2026-10-05")  # the first: a warning
    assert _absent(db, ref, "2026-10-12")["session.breach-decision"] == "2026-10-20"
    assert _absent(db, ref, "2026-10-19")["session.breach-decision"] == "2026-10-27"  # a third, still undecided
    assert _clocks(db, ref) == [("2026-10-20", "open"), ("2026-10-27", "open")]


def test_an_absence_more_than_12_months_after_the_first_is_a_new_warning(db):
    ref = sentenced_case(db, "2026-10-01")
    _absent(db, ref, "2026-10-05")
    assert "session.breach-decision" not in _absent(db, ref, "2027-10-06")  # 12 months and a day later
    assert _absent(db, ref, "2027-10-13")["session.breach-decision"] == "2027-10-21"


def test_the_court_dealing_with_a_breach_closes_the_clock_and_starts_a_new_warning(db):
    ref = sentenced_case(db, "2026-10-01")
    _absent(db, ref, "2026-10-05")
    _absent(db, ref, "2026-10-12")
    casework.record_event(
        db, ref, "breach", "2026-10-16", {"reason": "Failed to attend twice"}, TODAY, checklist=checklist_of(db)
    )
    assert _clocks(db, ref) == [("2026-10-20", "done")]
    assert "session.breach-decision" not in _absent(db, ref, "2026-11-02")


def _decide(db, ref, day: str, decision: str, reason: str | None = None):
    data = {"decision": decision, **({"reason": reason} if reason else {})}
    return casework.record_event(db, ref, "ro-decision", day, data, TODAY, checklist=checklist_of(db))


def test_four_absences_with_a_no_breach_decision_between_the_second_and_third_across_christmas(db):
    """Three clocks: the second absence's (met by the RO's no-breach decision), then the third's and the fourth's,
    both awaiting the next decision; the 6th working day skips Christmas Day, Boxing Day (Monday 28 December in
    2026) and New Year's Day."""
    from records.clocks import case_clocks
    from records.views import case_detail

    ref = sentenced_case(db, "2026-11-02")
    _absent(db, ref, "2026-12-01")  # the warning
    assert _absent(db, ref, "2026-12-16")["session.breach-decision"] == "2026-12-24"  # 17,18,21,22,23,24
    made = _decide(db, ref, "2026-12-18", "no-breach", "Engaged again; phone sessions agreed")
    assert [c.key for c in made.closed] == ["session.breach-decision"]
    assert _absent(db, ref, "2026-12-22")["session.breach-decision"] == "2027-01-04"  # 23,24,29,30,31,4
    assert _absent(db, ref, "2026-12-24")["session.breach-decision"] == "2027-01-06"  # 29,30,31,4,5,6
    assert _clocks(db, ref) == [("2026-12-24", "done"), ("2027-01-04", "open"), ("2027-01-06", "open")]
    state = casework.case_state(db, clients.require_case(db, ref)["case_id"])
    assert state.breach_clocks == 3 and state.awaiting_ro_decision
    clock = next(c for c in case_clocks(state, date(2026, 12, 29), checklist_of(db))
                 if c.key == "session.breach-decision")
    assert (clock.due, clock.status) == (date(2027, 1, 4), "warning")  # the earliest decision still awaited
    timeline = case_detail(db, ref, date(2026, 12, 29))["events"]
    assert "no breach: Engaged again; phone sessions agreed" in [e["summary"] for e in timeline]  # reason shown
    # the RO decides to breach: both clocks met; the report and treatment plan go to the RO
    made = _decide(db, ref, "2027-01-04", "breach")
    assert {s.key: s.due.isoformat() for s in made.created} == {"ro-decision.breach-report": "2027-01-05"}
    assert [s for _, s in _clocks(db, ref)] == ["done", "done", "done"]
    assert "session.breach-decision" not in _absent(db, ref, "2027-01-11")  # decided to breach: no new clock


def test_an_ro_decision_with_no_second_absence_is_refused(db):
    from tests.conftest import snapshot_counts
    from vocabulary.identity import ValidationError

    ref = sentenced_case(db, "2026-10-01")
    _absent(db, ref, "2026-10-05")
    before = snapshot_counts(db)
    try:
        _decide(db, ref, "2026-10-06", "no-breach")
    except ValidationError as exc:
        assert str(exc) == ("an RO breach decision follows a second unacceptable absence (within 12 months of the "
                            "first), and none is waiting for a decision")
    else:
        raise AssertionError("an RO decision with nothing to decide was recorded")
    assert snapshot_counts(db) == before


def test_the_command_line_records_an_ro_decision(run):
    import json

    run("init")
    run("client", "add", "--name", "Pat Synthetic", "--dob", "02/04/1988")
    for args in (("assessment", "--date", "2026-11-02"), ("cl-decision", "--approved", "--date", "2026-11-02"),
                 ("court-outcome", "--accepted", "--date", "2026-11-02"),
                 ("session", "--outcome", "unacceptable-absence", "--date", "2026-11-09"),
                 ("session", "--outcome", "unacceptable-absence", "--date", "2026-11-16")):
        code, _, err = run("event", "MHTR-0001", *args)
        assert code == 0, err
    code, _, err = run("event", "MHTR-0001", "ro-decision", "--date", "2026-11-18")
    assert code != 0 and "an RO decision is --breach or --no-breach" in err
    code, _, err = run("event", "MHTR-0001", "ro-decision", "--no-breach", "--reason", "Reasonable excuse given",
                       "--date", "2026-11-18")
    assert code == 0, err
    _, out, _ = run("client", "show", "MHTR-0001", "--json")
    decision = json.loads(out)["events"][-1]
    assert decision["kind"] == "ro-decision"
    assert decision["data"] == {"decision": "no-breach", "reason": "Reasonable excuse given"}


def test_an_absence_recorded_late_counts_the_clock_from_the_absence_it_makes_the_second(db):
    """Absences recorded out of order (Monday's first, then Friday's, then the Tuesday before): each clock runs
    from the absence that is the second or later in date order, so the tasks, the Client screen's clock and the
    RO's letter all say the same day; a late-recorded first absence starts no clock of its own date."""
    from letters.case_file import gather
    from letters.non_attendance import breach_decision_text
    from records.clocks import clocks_for_case

    ref = sentenced_case(db, "2026-10-01")
    assert "session.breach-decision" not in _absent(db, ref, "2026-12-07")  # Monday: the first so far
    made = _absent(db, ref, "2026-12-04")  # the Friday before: Monday's is now the second
    assert made["session.breach-decision"] == "2026-12-15"  # 6th working day after Monday 7th
    assert made["session.breach-record"] == "2026-12-08"
    made = _absent(db, ref, "2026-12-01")  # the Tuesday before: Friday's is now the second
    assert made["session.breach-decision"] == "2026-12-14"  # 6th working day after Friday 4th, not after the 1st
    assert made["session.breach-record"] == "2026-12-07"
    assert _clocks(db, ref) == [("2026-12-14", "open"), ("2026-12-15", "open")]
    clock = next(c for c in clocks_for_case(db, ref, date(2026, 12, 7), checklist_of(db))
                 if c["key"] == "session.breach-decision")
    assert clock["due"] == "2026-12-14"
    text = breach_decision_text(gather(db, ref, date(2026, 12, 7)), 3)
    assert "due by 14 December 2026" in text
