"""SVG snapshots of the key screens at 80x24 (regenerate with --snapshot-update after a deliberate change)."""

from __future__ import annotations

from datetime import date

import pytest

from db.connection import connect
from records import casework, clients, task_actions
from service.core import checklist_of
from tui.app import MhtrApp

TODAY = date(2026, 11, 20)

CASES = [
    ("Avery Synthetic", "1986-02-11", [("screening", "2026-11-20", {})]),
    ("Blake Example", "1979-07-30", [("screening", "2026-11-16", {}), ("assessment", "2026-11-17", {})]),
    ("Carmen Testcase", "1992-12-03", [
        ("assessment", "2026-10-26", {}), ("cl-decision", "2026-10-27", {"decision": "approved"}),
        ("court-report-sent", "2026-10-28", {}),
        ("court-outcome", "2026-11-06", {"outcome": "accepted", "order": "CO", "sessions": 12}),
        ("case-meeting", "2026-11-12", {}), ("session", "2026-11-19", {"outcome": "attended"}),
    ]),
    ("Dev Placeholder", "1970-04-19", [
        ("assessment", "2026-09-01", {}), ("cl-decision", "2026-09-02", {"decision": "approved"}),
        ("court-outcome", "2026-09-10", {"outcome": "accepted", "order": "SSO", "sessions": 12}),
        ("session", "2026-10-01", {"outcome": "attended"}),
        ("session", "2026-11-18", {"outcome": "unacceptable-absence"}),
    ]),
    ("Eden Sample", "1995-09-09", [("screening", "2026-11-02", {}),
                                   ("not-eligible", "2026-11-02", {"reason": "Needs secondary care"})]),
]


@pytest.fixture
def snapshot_app(tmp_path):
    path = tmp_path / "snap.db"
    db = connect(path, create=True)
    from db.records import set_setting

    set_setting(db, task_actions.RECURRING_SINCE, "2026-11-16")
    for name, dob, events in CASES:
        ref = clients.add_client(db, {"name": name, "dob": dob, "gp_practice": "Parkway Surgery"}, TODAY)
        for kind, when, data in events:
            casework.record_event(db, ref, kind, when, data, TODAY, checklist=checklist_of(db))
    # Keep Today realistic: the older admin has been done.
    for t in list(db.query("SELECT id FROM tasks WHERE due < '2026-11-13' AND status = 'open'")):
        task_actions.tick(db, t["id"])
    db.close()
    return MhtrApp(db_path=path, today=TODAY)


def test_today_snapshot(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app, terminal_size=(80, 24))


def test_caseload_snapshot(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app, press=["c"], terminal_size=(80, 24))


def test_client_snapshot(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app, press=["c", "down", "down", "enter"], terminal_size=(80, 24))
