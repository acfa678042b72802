"""Fuzzing the command line: every command, with arguments drawn from what breaks programs (dates at the ends of
the calendar, numbers at and past the limits, bytes that are not UTF-8, control characters, huge strings).

For every run: the exit code is 0 or 2, no traceback reaches the user, a refusal is exactly one line on stderr,
and a refused command leaves the database exactly as it was (its SQL dump). The commands and their options are
read from the parser itself, so a command or option added later is fuzzed too. Kept to about a minute.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.connection import connect
from mhtr_tui import build_parser, main
from records import casework, clients
from service.core import checklist_of
from tests.conftest import TODAY, synthetic
from tests.sessions_support import at, sentenced_case

# Commands left out: the app itself (no command), and a demo of thousands of clients (minutes, not a refusal).
SKIP = {("demo",)}

REFS = ["MHTR-0001", "MHTR-0002", "mhtr-0002", "MHTR-9999", "MHTR-", ""]
IDS = ["1", "2", "3", "0", "-1", "18446744073709551616", "1e9", "0x10", "١"]
DATES = [
    "today", "tomorrow", "yesterday", "next fri", "0001-01-01", "9999-12-31", "31/12/9999", "01/01/0001",
    "31/02/2026", "29/02/2027", "in 99999999 weeks", "99999999 days ago", "01/01/1900", "2026-11-20",
    "20/11/2026", "13/13/2026", "2026-W47", "", " ",
]
NUMBERS = ["0", "-1", "1", "12", "36", "60", "61", "2147483648", "9" * 40, "nan", "1e30", "-0", "٣"]
HOSTILE = [
    "\x1b]0;pwned\x07", "\x1b[2J\x1b[H", "Robin \u202eoitehtnyS", "Ro\u200bbin", "\x00", "\x9b31m", "[/b] [red]",
    "a\nb", "x" * 10_000, os.fsdecode(b"\xff\xfe bytes"), "'; DROP TABLE clients; --", "%s%s%n", "../../etc/passwd",
]
WORDS = st.sampled_from(["phq9", "gad7", "core10", "k10", "wsas", "gse", "attended", "CO", "SSO", "pre", "post",
                         "session 3", "gp", "court-report", "week", "fortnight", "10:00", "25:61", "phone"])
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
VALUE = st.one_of(
    st.sampled_from(REFS), st.sampled_from(IDS), st.sampled_from(DATES), st.sampled_from(NUMBERS),
    st.sampled_from(HOSTILE), WORDS, TEXT,
)


def _leaves(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()):
    """Every runnable command: its words and its parser."""
    sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    if sub is None:
        yield words, parser
        return
    for name, child in sub.choices.items():
        yield from _leaves(child, (*words, name))


LEAVES = [(w, p) for w, p in _leaves(build_parser()) if w and w not in SKIP]


@st.composite
def command_lines(draw) -> list[str]:
    words, parser = draw(st.sampled_from(LEAVES))
    argv = list(words)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or "--db" in action.option_strings:
            continue
        if not action.option_strings:  # a positional: usually given, sometimes not, sometimes several
            if action.choices and draw(st.booleans()):
                argv.append(draw(st.sampled_from(list(action.choices))))
            else:
                many = action.nargs in ("*", "+") or isinstance(action.nargs, int) and action.nargs > 1
                least = 0 if action.nargs in ("?", "*") else 1
                argv += draw(st.lists(VALUE, min_size=least, max_size=12 if many else 1))
            continue
        if not draw(st.integers(0, 3)):  # an option, one time in four
            continue
        argv.append(draw(st.sampled_from(action.option_strings)))
        if action.nargs != 0:
            if action.choices and draw(st.booleans()):
                argv.append(draw(st.sampled_from(list(action.choices))))
            else:
                argv.append(draw(VALUE))
    return argv


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A small synthetic caseload with something of everything for the commands to act on."""
    path = tmp_path_factory.mktemp("fuzz") / "template.db"
    db = synthetic(connect(path, create=True))
    clients.add_client(db, {"name": "Robin Synthetic", "dob": "1987-03-14", "nhs_number": "999 476 5914"}, TODAY)
    ref = sentenced_case(db, "2026-10-01", name="Sam Synthetic")
    checklist = checklist_of(db)
    casework.record_event(db, ref, "session", "2026-10-06", {"outcome": "attended"}, TODAY, checklist=checklist)
    from records.appointments import book_appointment

    book_appointment(db, ref, at("2026-11-24 10:00"), mode="phone", now=at("2026-11-20 09:00"), checklist=checklist)
    db.close()
    return path


def _dump(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO("")  # a command that asks (import's y/N) reads end of input
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's own exit (a mistyped command line, --help)
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = stdin
    return code, out.getvalue(), err.getvalue()


@settings(
    max_examples=int(os.environ.get("MHTR_FUZZ_EXAMPLES", "250")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(argv=command_lines())
def test_every_command_refuses_in_one_line_and_changes_nothing(argv, template, tmp_path_factory, monkeypatch):
    for name in ("MHTR_KEY", "MHTR_NEW_KEY", "MHTR_DB"):
        monkeypatch.delenv(name, raising=False)
    work = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(work))
    db = work / "fuzz.db"
    shutil.copyfile(template, db)
    before = _dump(db)
    code, out, err = _run([*argv, "--db", str(db)])
    assert "Traceback" not in out + err, (argv, err)
    assert code in (0, 2), (argv, code, err)
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("mhtr-tui: "), (argv, err)
        assert _dump(db) == before, argv
    shutil.rmtree(work, ignore_errors=True)


def test_the_fuzzing_reaches_every_command():
    names = {" ".join(w) for w, _ in LEAVES}
    assert {"client add", "event", "task due", "share-week", "appointment list", "import", "audit verify"} <= names
