"""The speed-ups issue 20's benchmarks led to, checked for doing the same job as the code they replace."""

from __future__ import annotations

import getpass

from checklists.model import load
from records.stages import EVENT_KINDS


def test_the_engine_looks_only_at_the_items_an_events_kind_names():
    checklist = load(None)
    for kind in EVENT_KINDS:
        assert checklist.items_started_by(kind) == tuple(i for i in checklist.items if kind in i.on)
        assert checklist.items_closed_by(kind) == tuple(
            i for i in checklist.items if any(t.kind == kind for t in (*i.done_on, *i.cancel_on))
        )
    assert checklist.items_started_by("session") and checklist.items_closed_by("court-outcome")
    assert checklist.items_started_by("no-such-kind") == ()


def test_the_login_name_is_looked_up_once_and_mhtr_user_still_wins(monkeypatch):
    from db import connection

    calls = []

    def counting() -> str:
        calls.append(1)
        return "login-name"

    monkeypatch.setattr(getpass, "getuser", counting)
    monkeypatch.delenv("MHTR_USER", raising=False)
    connection._login_name.cache_clear()
    try:
        assert [connection.current_user() for _ in range(5)] == ["login-name"] * 5
        assert len(calls) == 1
        monkeypatch.setenv("MHTR_USER", "jamie.rowe")
        assert connection.current_user() == "jamie.rowe"
    finally:
        connection._login_name.cache_clear()
