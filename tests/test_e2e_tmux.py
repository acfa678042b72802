"""The real program in a real terminal: start mhtr-tui in tmux at 80x24, use keys, read the screen.

Each run has a tmux server of its own (``-L``), so it never touches anyone's sessions.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from db.connection import connect
from db.records import questionnaires_of_case
from records import casework, clients, task_actions
from records.views import case_detail, tasks
from service.core import checklist_of

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

PROGRAM = Path(sys.executable).with_name("mhtr-tui")


def session_case(db) -> int:
    """The case id of the demo's MHTR-0009 (whose session the test logs)."""
    return clients.require_case(db, "MHTR-0009")["case_id"]


class Terminal:
    """One mhtr-tui in a tmux session of its own at 80x24."""

    def __init__(self, command: str, home: Path, env: dict[str, str] | None = None) -> None:
        self.socket = f"mhtr-{uuid.uuid4().hex[:8]}"
        self.session = "app"
        environment = {"PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "HOME": str(home), "LANG": "C.UTF-8"}
        subprocess.run(
            ["tmux", "-L", self.socket, "new-session", "-d", "-s", self.session, "-x", "80", "-y", "24",
             f"{command}; sleep 30"],
            check=True,
            env={**environment, **(env or {})},
        )

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True).stdout

    def screen(self) -> str:
        text = self._tmux("capture-pane", "-p", "-t", self.session)
        assert "Traceback" not in text and "Unexpected error" not in text, text
        return text

    def wait_for(self, *texts: str, timeout: float = 60.0) -> str:
        """Wait until every one of ``texts`` is on the screen (the machine may be busy: up to a minute)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(t in screen for t in texts):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{texts!r} never appeared; the screen was:\n{screen}")

    def keys(self, *keys: str) -> None:
        """Press keys by name (tmux's: Enter, Escape, Tab, C-s, Space...), one at a time."""
        for key in keys:
            self._tmux("send-keys", "-t", self.session, key)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        """Type ``text`` as it is (no key names)."""
        self._tmux("send-keys", "-t", self.session, "-l", text)
        time.sleep(0.3)

    def quit_and_wait(self) -> None:
        deadline = time.monotonic() + 20
        command = ""
        while time.monotonic() < deadline and command != "sleep":  # the app has quit; the shell's sleep runs
            command = self._tmux("list-panes", "-t", self.session, "-F", "#{pane_current_command}").strip()
            time.sleep(0.2)
        assert command == "sleep", "q on Today should quit the app"

    def close(self) -> None:
        self._tmux("kill-server")


def test_real_program_in_tmux(tmp_path):
    path = tmp_path / "e2e.db"
    db = connect(path, create=True)
    ref = clients.add_client(db, {"name": "Casey Synthetic", "dob": "1980-06-01"}, date.today())
    casework.record_event(db, ref, "screening", date.today(), {}, date.today(), checklist=checklist_of(db))
    db.close()
    term = Terminal(f"{PROGRAM} --db {path}", tmp_path)
    try:
        screen = term.wait_for("due today")
        assert "MHTR-0001" in screen and "Liaise with probation" in screen
        term.keys("Space")
        term.wait_for("done: Liaise")
        term.keys("c")
        screen = term.wait_for("Casey Synthetic")
        assert "Screened" in screen
        term.keys("Enter")
        screen = term.wait_for("Offender at court")
        assert "[✓]" in screen  # the tick made on Today shows in the client's checklist
        term.keys("q")  # back to the Caseload
        term.wait_for("cases")
        term.keys("q")  # back to Today
        term.wait_for("due today")
        term.keys("q")  # quits
        term.quit_and_wait()
    finally:
        term.close()
    db = connect(path)
    assert task_actions.require_task(db, 1)["status"] == "done"


def test_the_four_daily_jobs_in_one_run(tmp_path):
    """On the demo caseload, as a practitioner's day: review and tick Today; record a court outcome and write the
    GP letter; log a session with its notes and a questionnaire; produce the month's return. A screen-switching
    key after each write. The app stays up throughout, nothing reaches the terminal but the app, and everything
    done is in the database and on disk."""
    from db.paths import demo_path
    from demo.generator import ensure_demo
    from records import appointments

    real = tmp_path / "mhtr.db"
    demo = real.with_name(demo_path().name)  # where --demo puts it, beside MHTR_DB
    # what --demo does on first use, made here so a session can be booked before the day starts
    ensure_demo(demo, datetime.now(), checklist_of)
    db = connect(demo)
    start = (datetime.now() - timedelta(hours=2)).replace(second=0, microsecond=0)
    start = start.replace(minute=start.minute - start.minute % 5)
    appointment = appointments.book_appointment(db, "MHTR-0009", start, mode="phone", allow_overlap=True,
                                                now=start - timedelta(days=7), checklist=checklist_of(db))
    db.close()

    term = Terminal(f"{PROGRAM} --demo", tmp_path, env={"MHTR_DB": str(real)})
    try:
        # 1. Review Today: tick the first task, open the next one's client and tick there too; then the Caseload
        #    (the move that used to end the app).
        term.wait_for("due today", "Due", "Client")
        term.keys("Space")
        ticked = term.wait_for("done: ")
        title = ticked.split("done: ", 1)[1].split("\n", 1)[0].strip(" ▌")
        term.keys("Enter")
        term.wait_for("Stage:", "Due        Task")
        term.keys("Space")
        term.wait_for("done: ")
        term.keys("c")
        term.wait_for("cases")

        # 2. A court outcome for MHTR-0005 (awaiting court), then its GP letter; then back to Today.
        term.keys("/")
        term.type("0005")
        term.keys("Enter", "Enter")
        term.wait_for("MHTR-0005", "Awaiting court")
        term.keys("e")
        term.wait_for("Record an event for MHTR-0005")
        # each dropdown: open it, wait for its list, type to find the choice, enter
        term.keys("Enter")
        term.wait_for("Screening at court")
        term.type("court o")
        term.keys("Enter")
        term.wait_for("Planned sessions")
        term.keys("Tab", "Tab", "Enter")
        term.wait_for("MHTR declined")
        term.type("mhtr m")
        term.keys("Enter")
        term.wait_for("MHTR made (accepted)")
        term.keys("Tab", "Enter")
        term.wait_for("Suspended Sentence Order")
        term.type("comm")
        term.keys("Enter")
        term.wait_for("Community Order")
        term.keys("Tab")
        term.type("12")
        screen = term.wait_for("MHTR made (accepted)", "Community Order", "Length (months)   12")
        assert "Suspended Sentence Order" not in screen
        term.keys("C-s")
        term.wait_for("Stage: Sentenced")
        term.keys("l")
        term.wait_for("Letters for MHTR-0005")
        term.keys("g")
        term.wait_for("GP letter: MHTR made")
        term.keys("Enter")
        term.wait_for("Document written")
        term.keys("t")
        term.wait_for("due today")

        # 3. The session that ended an hour ago: outcome, notes, a PHQ-9 done in it; then the Caseload.
        term.keys("w")
        term.wait_for("Week of")
        if start.date().isocalendar()[:2] != date.today().isocalendar()[:2]:  # two hours ago was last week
            term.keys("[")
        term.wait_for("to record")
        # up the week, then down, to the appointment awaiting its outcome: just after midnight it is on the day
        # before today, above the row the Diary opens on
        for key in ["k"] * 30 + ["j"] * 30:
            if f"#{appointment} " in term.screen():
                break
            term.keys(key)
        term.wait_for(f"#{appointment} ", "o records the outcome")
        term.keys("o")
        term.wait_for("what happened?")
        term.keys("1")
        term.wait_for("Session log: MHTR-0009")
        term.type("No new risk to self or others")
        term.keys("Tab")
        term.type("Sleep and routine")
        term.keys("Tab")
        term.type("Sleep diary before next week")
        term.keys("C-s")
        term.wait_for("Health-system entry for MHTR-0009", "Risk: No new risk")
        term.keys("s")
        term.wait_for("Which questionnaire?")
        term.keys("Enter")
        term.wait_for("MHTR-0009  PHQ-9")
        term.type("121012100")
        term.keys("C-s")
        term.wait_for("Questionnaires: PHQ-9 8 (mild)")
        term.keys("Escape")
        term.wait_for("Week of")
        term.keys("c")
        term.wait_for("cases")

        # 4. The month's return (last month, the screen's default), written; then Today, and quit.
        term.keys("m")
        term.wait_for("Monthly data return", "Incomplete for this return")
        term.keys("C-s")
        term.wait_for("Return (to send):")
        term.keys("Escape")  # back to the Caseload it was opened from
        term.wait_for("cases")
        term.keys("t")
        term.wait_for("due today")
        term.keys("q")
        term.quit_and_wait()
    finally:
        term.close()

    db = connect(demo)
    today = date.today()

    def events(ref: str) -> list[dict]:
        return case_detail(db, ref, today)["events"]

    every_task = [t for i in range(1, 25) for t in case_detail(db, f"MHTR-{i:04d}", today)["tasks"]]
    every_task += tasks(db, today, "all")
    assert any(t["status"] == "done" and t["title"].startswith(title.rstrip("…")) for t in every_task), title
    outcome = [e for e in events("MHTR-0005") if e["kind"] == "court-outcome"]
    assert outcome and outcome[-1]["data"]["outcome"] == "accepted" and outcome[-1]["data"]["order"] == "CO"
    assert list((tmp_path / "letters").glob("MHTR-0005-gp-letter-*.docx"))
    [session] = [e for e in events("MHTR-0009")
                 if e["kind"] == "session" and e["date"] == start.date().isoformat() and e["data"].get("summary")]
    assert session["data"]["risk"] == "No new risk to self or others"
    assert session["data"]["summary"] == "Sleep and routine"
    assert session["data"]["plan"] == "Sleep diary before next week"
    phq9 = [q for q in questionnaires_of_case(db, session_case(db)) if q["date"] == start.date().isoformat()]
    assert phq9 and phq9[-1]["instrument"] == "PHQ-9"
    assert phq9[-1]["timepoint"] == f"session-{session['data']['number']}"
    assert list((tmp_path / "mhtr-returns").glob("mhtr-return-*.xlsx"))
    assert not demo.with_name("mhtr-demo-errors.log").exists()
