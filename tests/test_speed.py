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


def test_each_command_is_registered_by_the_module_named_for_it():
    import argparse
    import importlib

    import mhtr_tui
    from cli.common import add_db_option

    for name, commands in mhtr_tui.COMMAND_MODULES.items():
        sub = argparse.ArgumentParser().add_subparsers(dest="command")
        importlib.import_module(name).register(sub, add_db_option)
        assert tuple(sub.choices) == commands, name


def test_a_command_line_imports_only_its_own_commands_module():
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, mhtr_tui\n"
        "p = mhtr_tui.build_parser(['--db', 'x.db', 'tasks', '--due', 'week', '--json'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('cli.')))\n"
        "print(p.parse_args(['--db', 'x.db', 'tasks', '--due', 'week', '--json']).due)\n"
        "print(len(mhtr_tui.build_parser(['--help'])._subparsers._group_actions[0].choices))\n"
        "print(len(mhtr_tui.build_parser(['no-such-command'])._subparsers._group_actions[0].choices))\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    modules, due, every, unknown = out.stdout.splitlines()
    assert modules == "['cli.common', 'cli.tasks']"
    assert due == "week"
    import mhtr_tui

    everything = sum(len(c) for c in mhtr_tui.COMMAND_MODULES.values())
    assert int(every) == int(unknown) == everything  # help and mistakes still see every command
