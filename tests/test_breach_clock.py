"""The breach clock (seed 004, the NPS instruction): every unacceptable absence from the second within 12 months
of the first starts "RO breach decision by the 6th working day", until the RO's decision is recorded."""

from __future__ import annotations

from datetime import date

from records import casework
from tests.sessions_support import all_tasks, sentenced_case

TODAY = date(2028, 6, 30)


def _absent(db, ref, day: str) -> dict[str, str]:
    made = casework.record_event(db, ref, "session", day, {"outcome": "unacceptable-absence"}, TODAY).created
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
    casework.record_event(db, ref, "breach", "2026-10-16", {"reason": "Failed to attend twice"}, TODAY)
    assert _clocks(db, ref) == [("2026-10-20", "done")]
    assert "session.breach-decision" not in _absent(db, ref, "2026-11-02")
