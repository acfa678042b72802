"""The real program in a real terminal: start mhtr-tui in tmux at 80x24, use keys, read the screen."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from db.connection import connect
from records import casework

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

PROGRAM = Path(sys.executable).with_name("mhtr-tui")


def _screen(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout


def _wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _screen(session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


def test_real_program_in_tmux(tmp_path):
    path = tmp_path / "e2e.db"
    db = connect(path, create=True)
    ref = casework.add_client(db, {"name": "Casey Synthetic", "dob": "1980-06-01"})
    casework.record_event(db, ref, "screening")
    db.close()
    session = f"mhtr-{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24",
         f"{PROGRAM} --db {path}; sleep 5"],
        check=True,
        env={"PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "HOME": str(tmp_path), "LANG": "C.UTF-8"},
    )
    try:
        screen = _wait_for(session, "due today")
        assert "MHTR-0001" in screen and "Liaise with probation" in screen
        subprocess.run(["tmux", "send-keys", "-t", session, "space"], check=True)
        _wait_for(session, "done: Liaise")
        subprocess.run(["tmux", "send-keys", "-t", session, "c"], check=True)
        screen = _wait_for(session, "Casey Synthetic")
        assert "Screened" in screen
        subprocess.run(["tmux", "send-keys", "-t", session, "Enter"], check=True)
        screen = _wait_for(session, "Offender at court")
        assert "[✓]" in screen  # the tick made on Today shows in the client's checklist
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        deadline = time.monotonic() + 10
        command = ""
        while time.monotonic() < deadline and command != "sleep":  # the app has quit; the shell's sleep runs
            command = subprocess.run(["tmux", "list-panes", "-t", session, "-F", "#{pane_current_command}"],
                                     capture_output=True, text=True).stdout.strip()
            time.sleep(0.2)
        assert command == "sleep", "q on Caseload/Today should quit the app"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    db = connect(path)
    assert casework.require_task(db, 1)["status"] == "done"
