"""An archived case (opened by mistake, a duplicate, transferred) in the monthly return and the Month screen.

What was chosen: what happened while it was open still counts in its months (a past month's return reads the
same after the case is put away, and a transfer's real work is not lost), but from its archive date on it is not
active caseload, no follow-up falls due on it, and it is never on the list of what is incomplete (nothing can be
recorded on it, so no one could act on the reminder). The caseload data shows it as archived.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from db import records as rec
from exports.caseload import HEADINGS, caseload_rows
from exports.monthly import export_month, load_facts, month_gaps
from exports.periods import month_end
from exports.preview import preview
from exports.returns import build_return
from questionnaires import DEFAULT
from records import casework, clients
from records.archive import archive_case, unarchive_case
from service.core import checklist_of
from tests.conftest import TODAY
from tests.exports_support import DEADLINES

OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)


def _case(db, name: str, sentence: str, session: str, completion: str | None = None) -> str:
    """A synthetic case sentenced with an MHTR, one session attended; no equality fields, so it has gaps."""
    ref = clients.add_client(db, {"name": name, "dob": "1988-02-02"}, TODAY)
    events = [
        ("screening", "2026-08-03", {}),
        ("assessment", "2026-08-04", {}),
        ("cl-decision", "2026-08-05", {"decision": "approved"}),
        ("court-outcome", sentence, {"outcome": "accepted", "order": "CO", "sessions": 12}),
        ("session", session, {"outcome": "attended"}),
    ]
    if completion:
        events.append(("completion", completion, {}))
    for kind, day, data in events:
        casework.record_event(db, ref, kind, day, data, TODAY, checklist=checklist_of(db))
    return ref


def _archive_on(db, monkeypatch, ref: str, stamp: str, reason: str) -> None:
    """Archive ``ref`` as if on ``stamp`` (UTC, as stored): the archive takes the clock's time, not the test's."""
    monkeypatch.setattr(rec, "now_iso", lambda: stamp)
    archive_case(db, ref, reason, datetime.now())
    monkeypatch.undo()


@pytest.fixture
def caseload(db, monkeypatch):
    kept = _case(db, "Kept Synthetic", "2026-09-01", "2026-09-08")
    duplicate = _case(db, "Kept Synthetic", "2026-09-01", "2026-09-09")  # the same person entered twice
    finished = _case(db, "Done Synthetic", "2026-08-10", "2026-08-17", completion="2026-08-20")  # 3 months: 20 Nov
    _archive_on(db, monkeypatch, duplicate, "2026-11-10T09:00:00Z", "duplicate of the first case")
    _archive_on(db, monkeypatch, finished, "2026-11-02T09:00:00Z", "transferred to another service")
    return db, kept, duplicate, finished


def _figures(db, month: date) -> dict:
    facts = load_facts(db, month_end(month))
    return build_return(facts, month, TODAY, scoring=DEFAULT, deadlines=DEADLINES, threshold=0).figures


def test_an_archived_case_is_not_active_from_its_archive_date(caseload):
    db, *_ = caseload
    nov = _figures(db, NOVEMBER)["month"]
    assert (nov["active"], nov["active_treating"], nov["active_waiting"]) == (1, 1, 0)  # was 2: the duplicate too
    # A month that ended before it was archived reads as it did when it was sent.
    october = _figures(db, OCTOBER)["month"]
    assert october["active"] == 2


def test_what_happened_while_open_still_counts(caseload):
    db, *_ = caseload
    rolling = _figures(db, NOVEMBER)["rolling"]
    # Duplicates' events count in their months: the reason is free text, and a transfer's work was real.
    assert (rolling["assessed"], rolling["court_accepted"], rolling["first_sessions"], rolling["completed"]) == (
        3, 3, 3, 1)


def test_no_follow_up_falls_due_on_a_case_archived_before_it(db, monkeypatch):
    finished = _case(db, "Done Synthetic", "2026-08-10", "2026-08-17", completion="2026-08-20")
    assert _figures(db, NOVEMBER)["month"]["fu3_due"] == 1  # 20 November
    _archive_on(db, monkeypatch, finished, "2026-11-02T09:00:00Z", "transferred to another service")
    assert _figures(db, NOVEMBER)["month"]["fu3_due"] == 0
    unarchive_case(db, finished)
    assert _figures(db, NOVEMBER)["month"]["fu3_due"] == 1


def test_the_month_screen_does_not_ask_for_an_archived_cases_details(caseload, tmp_path):
    db, kept, duplicate, finished = caseload
    for month in ("2026-10", "2026-11"):
        refs = {g.ref for g in month_gaps(db, month, TODAY)}
        assert kept in refs and duplicate not in refs and finished not in refs, month  # was: all three
    shown = preview(db, "2026-11", TODAY, "0", checklist=checklist_of(db))
    assert {g.ref for g in shown.gaps} == {kept}
    assert dict((label, m) for label, m, _ in shown.headlines)["Active at the month end"] == 1
    written = export_month(db, "2026-11", tmp_path, "xlsx", today=TODAY, threshold=0, checklist=checklist_of(db))
    assert {g.ref for g in written.gaps} == {kept} and written.ret.figures["month"]["active"] == 1
    # Brought back, it is on the caseload and the list again, as it was.
    unarchive_case(db, duplicate)
    assert duplicate in {g.ref for g in month_gaps(db, "2026-11", TODAY)}
    assert _figures(db, NOVEMBER)["month"]["active"] == 2


def test_the_caseload_data_says_archived(caseload):
    db, kept, duplicate, _ = caseload
    for end, stage in ((date(2026, 10, 31), "In treatment"), (date(2026, 11, 30), "Archived (In treatment)")):
        rows = {r[0]: dict(zip(HEADINGS, r, strict=True)) for r in
                caseload_rows(load_facts(db, end), end, scoring=DEFAULT)}
        assert rows[kept]["Stage"] == "In treatment" and rows[duplicate]["Stage"] == stage


def test_the_archive_day_is_the_local_day(db, monkeypatch):
    # Stored in UTC: 23:30 UTC on 31 October 2026 is still 31 October in London (GMT), so October's active count
    # leaves the case out; 23:30 UTC on 31 July is 1 August in summer time.
    from exports.facts import _local_day

    monkeypatch.setenv("TZ", "Europe/London")
    import time

    time.tzset()
    try:
        assert _local_day("2026-10-31T23:30:00Z") == date(2026, 10, 31)
        assert _local_day("2026-07-31T23:30:00Z") == date(2026, 8, 1)
        assert _local_day(None) is None and _local_day("2026-07-31") == date(2026, 7, 31)
    finally:
        monkeypatch.undo()
        time.tzset()
