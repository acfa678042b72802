"""Keys: long enough to protect something, the same key in any Unicode normal form, and one clear line for a
key that is not text."""

from __future__ import annotations

import os
import unicodedata

import pytest

from db import crypto
from db.connection import connect
from mhtr_tui import main

COMPOSED = unicodedata.normalize("NFC", "Café crème 2026")
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


@pytest.mark.parametrize("key", [" " * 8, " " * 20, "a" + " " * 9, "ab cd ef g", "\t\t\t\t\t\t\t\tx"])
def test_a_key_needs_eight_characters_besides_spaces(tmp_path, capsys, monkeypatch, key):
    path = tmp_path / "k.db"
    monkeypatch.setenv("MHTR_KEY", key)
    assert main(["init", "--encrypt", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "at least 8 characters besides spaces" in err and err.count("\n") == 1
    assert not path.exists()


def test_spaces_count_as_part_of_a_long_enough_key(tmp_path, monkeypatch):
    monkeypatch.setenv("MHTR_KEY", "abcd efgh")
    path = tmp_path / "k.db"
    assert main(["init", "--encrypt", "--db", str(path)]) == 0
    crypto.open_raw(path, "abcd efgh").close()


def test_the_same_key_in_another_normal_form_opens_the_database(tmp_path, monkeypatch):
    assert COMPOSED != DECOMPOSED
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "n.db"
    connect(path, create=True, key=COMPOSED, encrypt=True).close()
    connect(path, key=DECOMPOSED).close()
    monkeypatch.setenv("MHTR_KEY", DECOMPOSED)  # as a script on another system would send it
    connect(path).close()
    with pytest.raises(crypto.WrongKey):
        connect(path, key="Cafe creme 2026")


def test_a_database_keyed_before_normalisation_still_opens_with_its_key_as_typed(tmp_path, monkeypatch):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "old.db"
    raw = crypto.sqlcipher().connect(str(path))
    raw.execute(f"PRAGMA key = '{DECOMPOSED}'")  # what an earlier version did with the key as typed
    raw.execute("CREATE TABLE t (x)")
    raw.commit()
    raw.close()
    crypto.open_raw(path, DECOMPOSED).close()
    with pytest.raises(crypto.WrongKey):
        crypto.open_raw(path, COMPOSED)


def test_two_typings_in_different_normal_forms_are_the_same_new_key():
    assert crypto.check_new_key(COMPOSED, DECOMPOSED) == COMPOSED
    assert crypto.check_new_key(DECOMPOSED) == COMPOSED


def test_a_key_that_is_not_text_is_one_line_on_an_existing_database(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MHTR_KEY", "a good key 1234")
    path = tmp_path / "e.db"
    assert main(["init", "--encrypt", "--db", str(path)]) == 0
    before = path.read_bytes()
    monkeypatch.setenv("MHTR_KEY", os.fsdecode(b"\xff\xfe\xfd key bytes"))
    assert main(["client", "list", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "wrong key" in err and "not UTF-8" in err and err.count("\n") == 1 and "Traceback" not in err
    assert path.read_bytes() == before
