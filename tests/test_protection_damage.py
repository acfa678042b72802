"""A damaged database is named as damaged, with the way out (reliability anchors section 5, goal 7), also when
the damage is to page 1 of an encrypted file, which SQLCipher reports exactly as it reports a wrong key; and the
one-line message quotes a finding, not ``quick_check``'s "*** in database main ***" heading."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from db.backup import backup
from db.backup_files import latest_backup
from db.connection import connect
from db.crypto import WrongKey, open_raw
from db.health import DamagedDatabase, check_problems, damaged, first_finding
from mhtr_tui import main
from records.clients import add_client
from tests.conftest import TODAY

KEY = "first page key 2026"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _flip_first_page(path: Path) -> None:
    """Bytes 200-260 of page 1: inside the first page's ciphertext, so its HMAC no longer matches."""
    data = bytearray(path.read_bytes())
    data[200:261] = bytes(b ^ 0xFF for b in data[200:261])
    path.write_bytes(bytes(data))


def _encrypted_with_backup(path: Path, *, with_backup: bool = True) -> None:
    db = connect(path, create=True, key=KEY, encrypt=True)
    for i in range(5):
        add_client(db, {"name": f"Page Synthetic {i}", "dob": "1980-01-01"}, TODAY)
    if with_backup:
        backup(db)
    db.close()


@pytest.fixture
def hurt(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("MHTR_KEY", KEY)
    path = tmp_path / "hurt.db"
    _encrypted_with_backup(path)
    _flip_first_page(path)
    return path


def test_a_damaged_first_page_is_reported_as_damage_with_the_restore_command(hurt, monkeypatch, capsys):
    before = _sha(hurt)
    saved = latest_backup(hurt)
    assert main(["tasks", "--db", str(hurt)]) == 2
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert out == "" and len(lines) == 1, err
    assert "is damaged" in lines[0] and "it was not changed" in lines[0]  # was: "wrong key for ..."
    assert "wrong key" not in lines[0]
    assert f"mhtr-tui restore {saved} --db {hurt}" in lines[0]
    assert _sha(hurt) == before
    with pytest.raises(DamagedDatabase):
        connect(hurt)
    # A key that opens neither the file nor its backup is still a wrong key.
    monkeypatch.setenv("MHTR_KEY", "not the key at all")
    assert main(["tasks", "--db", str(hurt)]) == 2
    assert capsys.readouterr().err.strip() == f"mhtr-tui: wrong key for {hurt}"
    assert _sha(hurt) == before
    # The command the message gives restores it.
    monkeypatch.setenv("MHTR_KEY", KEY)
    assert main(["restore", str(saved), "--db", str(hurt)]) == 0
    capsys.readouterr()
    db = connect(hurt, create=False)
    assert db.execute("SELECT count(*) FROM clients").fetchone()[0] == 5
    db.close()


def test_rekey_of_a_damaged_first_page_says_damaged_too(hurt, monkeypatch, capsys):
    monkeypatch.setenv("MHTR_NEW_KEY", "a new key 2026")
    before = _sha(hurt)
    assert main(["rekey", "--db", str(hurt)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "is damaged" in err
    assert _sha(hurt) == before


def test_without_a_backup_to_compare_it_stays_a_wrong_key(tmp_path, monkeypatch):
    monkeypatch.setenv("MHTR_KEY", KEY)
    path = tmp_path / "alone.db"
    _encrypted_with_backup(path, with_backup=False)
    _flip_first_page(path)
    with pytest.raises(WrongKey, match="wrong key for"):
        connect(path)


async def test_the_app_shows_the_damage_instead_of_asking_for_the_key_again(hurt, monkeypatch):
    from tui.app import MhtrApp
    from tui.key_prompt import KeyPrompt

    before = _sha(hurt)
    app = MhtrApp(db_path=hurt, today=TODAY)  # MHTR_KEY set: was a key prompt, asked again and again
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, KeyPrompt)
    assert app.return_code == 2 and app.db is None
    assert _sha(hurt) == before

    monkeypatch.delenv("MHTR_KEY")
    app = MhtrApp(db_path=hurt, today=TODAY)  # the key typed at the prompt: the same way out
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, KeyPrompt)
        await pilot.press(*["space" if ch == " " else ch for ch in KEY])
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 2 and app.db is None
    assert _sha(hurt) == before


def test_the_message_quotes_the_first_finding_not_the_heading(tmp_path):
    findings = ["*** in database main ***\nOn tree page 3 cell 0: invalid page number 4278190080", "Page 5: never used"]
    assert first_finding(findings) == "On tree page 3 cell 0: invalid page number 4278190080"
    assert first_finding(["*** in database main ***", "", "Page 5: never used"]) == "Page 5: never used"
    assert first_finding(["database disk image is malformed"]) == "database disk image is malformed"
    assert first_finding([]) == first_finding(["*** in database main ***"]) == "unknown problem"
    message = str(damaged(tmp_path / "x.db", findings))
    assert "(On tree page 3 cell 0" in message and "***" not in message


def test_a_real_quick_check_report_is_quoted_by_its_finding(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    path = tmp_path / "plain.db"
    db = connect(path, create=True)
    for i in range(5):
        add_client(db, {"name": f"Check Synthetic {i}", "dob": "1980-01-01"}, TODAY)
    db.close()
    with open(path, "r+b") as fh:  # the header's count of free pages made wrong: a b-tree level finding
        fh.seek(36)
        fh.write((999).to_bytes(4, "big"))
    conn = open_raw(path, None, readonly=True)
    report = check_problems(conn)
    conn.close()
    assert report[0].startswith("*** in database main ***\n")  # what the message used to quote
    capsys.readouterr()
    assert main(["client", "list", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "is damaged (Main freelist: " in err, err
    assert "*** in database" not in err
