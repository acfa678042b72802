"""A service's own checklist file is used when it is valid and refused, with file and line, when not."""

from __future__ import annotations

from datetime import date

import pytest

from checklists.engine import ANCHORS, STARTED
from checklists.model import COUNT_FROM, DEFAULT_FILE, UNTIL, ChecklistError, load
from records import casework, clients
from service.core import checklist_of

GOOD = """
[checklist]
name = "Our local checklist"

[[stage]]
id = "at-court"
title = "At court"
on = ["screening"]

[[stage.item]]
key = "court.call-ld"
title = "Ring the L&D team"
due = "+1 working day"
"""


def _write(tmp_path, text: str):
    path = tmp_path / "local.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_service_checklist_replaces_the_default(db, tmp_path):
    from db.records import set_setting

    set_setting(db, "checklist_file", str(_write(tmp_path, GOOD)))
    ref = clients.add_client(db, {"name": "Kim Synthetic", "dob": "1990-01-01"}, date(2026, 11, 20))
    result = casework.record_event(
        db, ref, "screening", "2026-11-20", {}, date(2026, 11, 20), checklist=checklist_of(db)
    )
    assert [(s.key, s.due.isoformat()) for s in result.created] == [("court.call-ld", "2026-11-23")]


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (('due = "+1 working day"', 'due = "+1 fortnight"'), 13, "due rule '+1 fortnight'"),
        (('on = ["screening"]', 'on = ["sentencing"]'), 8, "unknown event kind 'sentencing'"),
        (('due = "+1 working day"', 'due = "+1 working day"\nwhen = ["sunny"]'), 14, "unknown condition 'sunny'"),
        (('due = "+1 working day"', 'due = "+1 working day"\naction = "fax"'), 14, "unknown action 'fax'"),
        (('due = "+1 working day"', 'due = "+1 working day"\ncolour = "red"'), 14, "unknown field(s) colour"),
        (('title = "Ring the L&D team"', 'title = "Ring the L&D team'), 12, "Illegal character"),  # TOML syntax
    ],
)
def test_malformed_files_are_refused_with_line_and_reason(tmp_path, change, line, message):
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ChecklistError) as err:
        load(path)
    text = str(err.value)
    assert str(path) in text
    assert f"line {line}" in text
    assert message in text


def test_duplicate_keys_are_refused(tmp_path):
    text = GOOD + GOOD.split("[[stage.item]]")[1].join(["\n[[stage.item]]", ""])
    with pytest.raises(ChecklistError, match="used twice"):
        load(_write(tmp_path, text))


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ChecklistError, match="cannot read"):
        load(tmp_path / "nope.toml")


def test_malformed_checklist_changes_nothing(db, tmp_path):
    from db.records import set_setting
    from tests.conftest import snapshot_counts

    ref = clients.add_client(db, {"name": "Kim Synthetic", "dob": "1990-01-01"}, date(2026, 11, 20))
    set_setting(db, "checklist_file", str(_write(tmp_path, "[[stage]\n")))
    before = snapshot_counts(db)
    with pytest.raises(ChecklistError):
        casework.record_event(db, ref, "screening", "2026-11-20", {}, date(2026, 11, 20), checklist=checklist_of(db))
    assert snapshot_counts(db) == before


def test_bundled_checklist_loads():
    assert load(DEFAULT_FILE).name.startswith("Cambridgeshire & Peterborough")


def test_every_name_a_from_may_take_is_one_the_engine_dates():
    """A file's ``from`` is checked against ``checklists.model.COUNT_FROM`` when it loads, and the engine dates it
    from ``ANCHORS`` (read off the case) or ``STARTED`` (from the change an event made). The model cannot import
    the engine, so the two lists are kept the same here: a name in the model alone would pass the file's check and
    then fail the first event that raised the item; a name in the engine alone could never be written in a file.
    ``until`` is read off the case, so each of its names is an anchor."""
    assert sorted(COUNT_FROM) == sorted([*ANCHORS, *STARTED])
    assert not set(ANCHORS) & set(STARTED)
    assert set(UNTIL) <= set(ANCHORS)
