"""Arbitrary text, dates and numbers thrown at every command and at the domain functions behind every form:
no traceback reaches the user, a refusal is one line, and a refused input changes nothing (reliability anchors
section 5; issue 7 "Robustness").

Commands run in-process through ``mhtr_tui.main`` on one database that already holds cases at several stages,
so that references, task ids and appointment ids often point at something real. Example counts are kept modest
so the whole file runs in well under a minute on a shared machine.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.connection import connect
from db.errors import DatabaseError
from mhtr_tui import main
from records import casework, clients, task_actions
from service.core import checklist_of
from tests.conftest import TODAY
from vocabulary.event_kinds import EVENT_KINDS
from vocabulary.identity import ValidationError

FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure in CI is a failure on a laptop
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text as a shell could pass it (no NUL; no lone surrogates), weighted towards the awkward.
_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
TEXT = st.one_of(
    st.text(_chars, max_size=30),
    st.sampled_from(["", " ", "-", "--", "'; DROP TABLE clients; --", "=1+1", "\t\n", "é" * 300, "🙂", "\x1b[31m"]),
)
DATES = st.one_of(
    TEXT,
    st.dates(date(1, 1, 1), date(9999, 12, 31)).flatmap(
        lambda d: st.sampled_from([d.isoformat(), f"{d:%d/%m/%Y}", f"{d.day}/{d.month}/{d:%y}", f"{d.day} {d:%B %Y}"])
    ),
    st.sampled_from(["today", "tomorrow", "yesterday", "next fri", "in 2 weeks", "last monday", "31/02/2026",
                     "29/02/2027", "04/13/2026", "00/00/0000", "2026-11-20T10:00", "12", "March", "01/02/60"]),
    st.integers().map(str),
)
NUMBERS = st.one_of(
    st.integers(-(10**30), 10**30).map(str), st.floats().map(str), st.integers(-3, 40).map(str), TEXT
)
REFS = st.one_of(st.sampled_from(["MHTR-0001", "MHTR-0002", "mhtr-0003", "MHTR-0004", "MHTR-9999"]), TEXT)
IDS = st.one_of(st.integers(-2, 60).map(str), NUMBERS)
KINDS = st.one_of(st.sampled_from(sorted(EVENT_KINDS)), TEXT)
INSTRUMENTS = st.one_of(st.sampled_from(["PHQ-9", "GAD-7", "CORE-10", "K10", "WSAS", "phq9", "CORE-OM"]), TEXT)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A database with cases at several stages, a reader connection, and a folder for written files."""
    root = tmp_path_factory.mktemp("fuzz")
    path = root / "fuzz.db"
    db = connect(path, create=True)
    refs = [clients.add_client(db, {"name": f"Fuzz Synthetic {i}", "dob": "1980-01-01"}, TODAY) for i in range(4)]
    casework.record_event(db, refs[1], "screening", "2026-11-02", {}, TODAY, checklist=checklist_of(db))
    for ref in refs[2:]:
        casework.record_event(db, ref, "assessment", "2026-10-01", {}, TODAY, checklist=checklist_of(db))
        casework.record_event(
            db, ref, "cl-decision", "2026-10-02", {"decision": "approved"}, TODAY, checklist=checklist_of(db)
        )
        casework.record_event(db, ref, "court-outcome", "2026-10-05",
                              {"outcome": "accepted", "order": "CO", "sessions": 12}, TODAY, checklist=checklist_of(db))
    casework.record_event(
        db, refs[3], "session", "2026-10-20", {"outcome": "attended"}, TODAY, checklist=checklist_of(db)
    )
    db.close()
    (root / "out").mkdir()
    reader = connect(path)
    yield path, reader, root / "out"
    reader.close()


def _fingerprint(reader) -> str:
    """Every row of every table: equal before and after means nothing at all was written."""
    digest = hashlib.sha256()
    for table in reader.table_names():
        for row in reader.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
            digest.update(json.dumps([table, *row], default=str).encode())
    return digest.hexdigest()


def _run(world, argv: list[str]) -> tuple[int, str, str]:
    """Run one command as a user would; returns (exit code, stdout, stderr). Any other exception fails the test."""
    path, reader, _ = world
    before = _fingerprint(reader)
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO("")  # 'assessment set --x -' reads a field from stdin
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([*argv, "--db", str(path)])
            except SystemExit as exc:  # argparse: a usage error (2) or --help (0)
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = old_stdin
    stderr = err.getvalue()
    assert code in (0, 1, 2), (argv, code, stderr)
    assert "Traceback" not in stderr, (argv, stderr)
    if code != 0:
        assert _fingerprint(reader) == before, f"refused but changed the database: {argv}"
        assert stderr.strip(), argv
        if not stderr.startswith("usage:"):  # argparse prints its usage; our own refusals are one line
            assert len(stderr.strip().splitlines()) == 1 and stderr.startswith("mhtr-tui: "), (argv, stderr)
    return code, out.getvalue(), stderr


def _opt(name: str, values) -> st.SearchStrategy[list[str]]:
    return st.one_of(st.just([]), values.map(lambda v: [name, v]))


def _opts(*pairs) -> st.SearchStrategy[list[str]]:
    return st.tuples(*(_opt(n, v) for n, v in pairs)).map(lambda parts: [x for p in parts for x in p])


@FUZZ
@given(name=TEXT, dob=DATES, extra=_opts(("--nhs", NUMBERS), ("--postcode", TEXT), ("--gender", TEXT),
                                          ("--gp-registered", TEXT), ("--gp-registered-date", DATES),
                                          ("--offence", TEXT), ("--phone", NUMBERS)))
def test_client_add(world, name, dob, extra):
    code, out, _ = _run(world, ["client", "add", "--name", name, "--dob", dob, *extra])
    if code == 0:
        assert out.strip().startswith("MHTR-")


@FUZZ
@given(ref=REFS, kind=KINDS, flag=st.sampled_from([[], ["--approved"], ["--accepted"], ["--declined"]]),
       extra=_opts(("--date", DATES), ("--reason", TEXT), ("--order", st.sampled_from(["CO", "SSO", "x"])),
                   ("--length-months", NUMBERS), ("--sessions", NUMBERS), ("--outcome", TEXT),
                   ("--notes", TEXT), ("--months", NUMBERS), ("--corrects", IDS)))
def test_event(world, ref, kind, flag, extra):
    _run(world, ["event", ref, kind, *flag, *extra])


@FUZZ
@given(verb=st.sampled_from(["done", "skip", "due"]), task=IDS, reason=TEXT, when=DATES)
def test_task(world, verb, task, reason, when):
    tail = {"done": [], "skip": ["--reason", reason], "due": [when]}[verb]
    _run(world, ["task", verb, task, *tail])


@FUZZ
@given(instrument=INSTRUMENTS, responses=st.lists(NUMBERS, min_size=1, max_size=36), ref=REFS,
       store=st.booleans(), extra=_opts(("--date", DATES), ("--timepoint", TEXT)))
def test_score_and_questionnaire_add(world, instrument, responses, ref, store, extra):
    responses = [r if r and not r.startswith("-") or r == "-" else f"x{r}" for r in responses]  # not options
    if store:
        _run(world, ["questionnaire", "add", ref, instrument, *responses, *extra])
    else:
        _run(world, ["score", instrument, *responses])


@FUZZ
@given(ref=REFS, appt=IDS, when=DATES, time=st.one_of(TEXT, st.sampled_from(["10:00", "25:00", "9", "10.30"])),
       which=st.sampled_from(["book", "series", "move", "cancel", "attend", "entry"]),
       extra=_opts(("--duration", NUMBERS), ("--note", TEXT), ("--place", TEXT)))
def test_appointments(world, ref, appt, when, time, which, extra):
    argv = {
        "book": ["appointment", "book", ref, "--date", when, "--time", time],
        "series": ["appointment", "series", ref, "--count", time, "--date", when, "--time", "10:00"],
        "move": ["appointment", "move", appt, "--date", when, "--time", time],
        "cancel": ["appointment", "cancel", appt, "--reason", time],
        "attend": ["appointment", "attend", appt, "--outcome", "attended", "--summary", time],
        "entry": ["appointment", "entry", appt],
    }[which]
    if which == "book":
        argv += extra
    _run(world, argv)


@FUZZ
@given(ref=REFS, received=DATES, month=st.one_of(TEXT, st.sampled_from(["2026-11", "2026-13", "1900-01"])),
       kind=st.one_of(st.sampled_from(["gp", "court-report", "completion", "consent"]), TEXT),
       which=st.sampled_from(["sar", "export", "letter", "assessment", "settings", "show", "tasks"]),
       text=TEXT)
def test_documents_settings_and_reads(world, ref, received, month, kind, which, text):
    out_dir = world[2]
    argv = {
        "sar": ["sar", ref, "--received", received, "-o", str(out_dir)],
        "export": ["export", "--month", month, "-o", str(out_dir / "return.xlsx")],
        "letter": ["letter", kind, ref, "-o", str(out_dir) + "/"],
        "assessment": ["assessment", "set", ref, "--risk", text, "--plan", month],
        "settings": ["settings", "set", kind, text],
        "show": ["client", "show", ref, "--json"],
        "tasks": ["tasks", "--due", text],
    }[which]
    _run(world, argv)


def _path_in(out_dir: Path):
    """Paths a user might type for -o or a backup: inside the test's folder, or places that cannot be written."""
    name = st.text(_chars, min_size=1, max_size=20).filter(lambda t: ".." not in t and not t.startswith("/"))
    return st.one_of(
        name.map(lambda t: str(out_dir / t)),
        name.map(lambda t: str(out_dir / "new" / t) + ".db"),
        st.just(str(out_dir / ("x" * 300))),  # a name too long for the file system
        st.sampled_from(["/proc/nope/x.db", "/proc/x.docx", "/dev/null", "/", str(out_dir), str(out_dir) + "/"]),
    )


@FUZZ
@given(data=st.data(), which=st.sampled_from(["backup", "restore", "sar", "export", "letter", "share-week"]))
def test_paths_typed_for_files_and_folders(world, data, which):
    path, _, out_dir = world
    target = data.draw(_path_in(out_dir))
    argv = {
        "backup": ["backup", target],
        "restore": ["restore", target],
        "sar": ["sar", "MHTR-0003", "-o", target],
        "export": ["export", "--month", "2026-10", "-o", target],
        "letter": ["letter", "gp", "MHTR-0003", "-o", target],
        "share-week": ["share-week", "--week", "16/11/2026", "-o", target],
    }[which]
    code, _, _ = _run(world, argv)
    if which == "restore":
        assert code == 2  # nothing under out/ is a backup of this database; the database stays as it is
    assert Path(path).exists()


# --- the domain functions behind the forms --------------------------------------------------------------------

CLIENT_KEYS = ["name", "dob", "nhs_number", "gender", "ethnicity", "address", "postcode", "phone", "gp_practice",
               "gp_registered", "referral_source", "offence_type", "court", "risk_level", "accommodation",
               "disability", "unknown_field"]


def _refused_changes_nothing(world, action) -> bool:
    """Run a form's save; a refusal must be a ValidationError (or a busy database) and change nothing."""
    _, reader, _ = world
    before = _fingerprint(reader)
    db = connect(world[0])
    try:
        action(db)
    except (ValidationError, DatabaseError) as exc:
        assert str(exc) and "\n" not in str(exc).strip()
        assert _fingerprint(reader) == before
        return False
    finally:
        db.close()
    return True


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(CLIENT_KEYS), st.one_of(TEXT, DATES, NUMBERS, st.none()),
                              max_size=8))
def test_add_client_form(world, fields):
    _refused_changes_nothing(world, lambda db: clients.add_client(db, dict(fields), TODAY))


@FUZZ
@given(ref=REFS, fields=st.dictionaries(st.sampled_from(CLIENT_KEYS), st.one_of(TEXT, DATES), max_size=4))
def test_edit_client_form(world, ref, fields):
    _refused_changes_nothing(world, lambda db: clients.update_client(db, ref, dict(fields), TODAY))


EVENT_DATA = st.dictionaries(
    st.sampled_from(["reason", "decision", "outcome", "order", "length_months", "sessions", "sentenced_on_day",
                     "combined", "final", "notes", "months", "extra", "mystery"]),
    st.one_of(TEXT, NUMBERS, st.booleans(), st.none(), st.integers(), st.sampled_from(
        ["approved", "declined", "accepted", "CO", "SSO", "attended", "unacceptable-absence", "3", "12"])),
    max_size=6,
)


@FUZZ
@given(ref=REFS, kind=KINDS, when=DATES, data=EVENT_DATA)
def test_event_form(world, ref, kind, when, data):
    _refused_changes_nothing(world, lambda db: casework.record_event(
        db, ref, kind, when, dict(data), TODAY, checklist=checklist_of(db)
    ))


@FUZZ
@given(ref=REFS, event=IDS, when=st.one_of(st.none(), DATES), data=st.one_of(st.none(), EVENT_DATA))
def test_correct_event_form(world, ref, event, when, data):
    _refused_changes_nothing(
        world, lambda db: casework.correct_event(
            db, ref, event, when, None if data is None else dict(data), TODAY, checklist=checklist_of(db)
        )
    )


@FUZZ
@given(task=st.integers(-1, 80), text=st.one_of(TEXT, DATES), verb=st.sampled_from(["skip", "reschedule"]))
def test_task_prompts(world, task, text, verb):
    if verb == "skip":
        _refused_changes_nothing(world, lambda db: task_actions.skip(db, task, text))
    else:
        _refused_changes_nothing(world, lambda db: task_actions.reschedule(db, task, text, TODAY))


def test_the_fixture_database_is_sound_after_the_fuzzing(world):
    path, reader, _ = world
    assert reader.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert Path(path).exists()
