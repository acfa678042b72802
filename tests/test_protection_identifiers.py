"""Identifiers that are what they seem: an NHS number is ten ASCII digits after NFKC, passes its check digit and
lies in a range the NHS issues (the 999 test range only in a database of synthetic people); the same normaliser
serves typing, import, the duplicate check and the search for mentions."""

from __future__ import annotations

import pytest

from db import records as rec
from mhtr_tui import main
from records import clients
from tests.conftest import TODAY, snapshot_counts
from vocabulary.identity import ValidationError, ascii_digits, nhs_number_problem, normalise_nhs_number

# 999 000 0018 (the test range), written as people and programs write it.
FULL_WIDTH = "９９９ ０００ ００１８"
ARABIC_INDIC = "٩٩٩٠٠٠٠٠١٨"
EN_DASHED = "999–000–0018"
# Numbers in the ranges the NHS issues, with a valid check digit (made up; see ISSUED_RANGES).
ISSUED = ["4000000004", "6000000014", "7999999989", "3113000017"]


def _valid_check(stem: str) -> str:
    total = sum(int(d) * w for d, w in zip(stem, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    assert check != 10
    return stem + str(check)


def test_the_issued_examples_are_well_formed():
    assert [_valid_check(n[:9]) for n in ISSUED] == ISSUED


@pytest.mark.parametrize("number", ISSUED)
def test_numbers_in_the_issued_ranges_are_accepted(number):
    assert nhs_number_problem(number) is None
    assert nhs_number_problem(f"{number[:3]} {number[3:6]} {number[6:]}") is None


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("0000000000", "the same digit throughout"),
        ("1111111111", "the same digit throughout"),
        ("9434765919", "outside the ranges"),  # the example in the NHS's own documents: a 9xx number
        (_valid_check("500000000"), "outside the ranges"),
        (_valid_check("850000000"), "outside the ranges"),
        (_valid_check("320000010"), "outside the ranges"),  # Northern Ireland's Health and Care numbers
        (_valid_check("101010101"), "outside the ranges"),  # a Scottish CHI number
        ("9990000018", "test number"),
        (ARABIC_INDIC, "must be 10 digits"),
        ("999 000 001٨", "must be 10 digits"),
        ("99900000１８x", "must be 10 digits"),
        ("4000000005", "check digit"),
    ],
)
def test_numbers_the_nhs_never_issues_are_refused(number, why):
    assert why in nhs_number_problem(number)


def test_the_test_range_only_where_test_numbers_are_allowed():
    assert nhs_number_problem("999 000 0018", test_numbers=True) is None
    assert nhs_number_problem(FULL_WIDTH, test_numbers=True) is None
    assert nhs_number_problem(EN_DASHED, test_numbers=True) is None
    assert nhs_number_problem("9434765919", test_numbers=True) is not None


def test_one_normaliser_for_every_way_of_writing_it():
    assert normalise_nhs_number(FULL_WIDTH) == normalise_nhs_number(EN_DASHED) == "9990000018"
    assert normalise_nhs_number("999\u00a0000\u00a00018") == "9990000018"
    assert normalise_nhs_number(ARABIC_INDIC) == ARABIC_INDIC  # kept as typed, then refused as not ASCII
    assert ascii_digits(f"mentions {ARABIC_INDIC} and {FULL_WIDTH}") == "99900000189990000018"


@pytest.mark.parametrize("typed", [FULL_WIDTH, EN_DASHED, "999-000-0018", " 9990000018 "])
def test_the_same_person_typed_another_way_is_found_as_a_duplicate(db, typed):
    clients.mark_synthetic(db)
    clients.add_client(db, {"name": "Robin Synthetic", "dob": "14/03/1987", "nhs_number": "999 000 0018"}, TODAY)
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="already held"):
        clients.add_client(db, {"name": "Robin Synthetic", "dob": "14/03/1987", "nhs_number": typed}, TODAY)
    assert snapshot_counts(db) == before


def test_arabic_indic_digits_cannot_make_a_second_record_of_the_same_person(db):
    clients.mark_synthetic(db)
    clients.add_client(db, {"name": "Robin Synthetic", "dob": "14/03/1987", "nhs_number": "999 000 0018"}, TODAY)
    with pytest.raises(ValidationError, match="must be 10 digits"):
        clients.add_client(db, {"name": "Robin Synthetic", "dob": "14/03/1987", "nhs_number": ARABIC_INDIC}, TODAY)
    assert rec.count_clients(db) == 1


def test_a_real_database_refuses_test_numbers_and_the_demo_takes_them(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("MHTR_KEY", raising=False)
    real, demo = tmp_path / "real.db", tmp_path / "demo.db"
    assert main(["init", "--db", str(real)]) == 0
    args = ["client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987", "--nhs", "999 000 0018"]
    assert main([*args, "--db", str(real)]) == 2
    err = capsys.readouterr().err
    assert "test number" in err and err.count("\n") == 1
    assert main(["demo", "--clients", "2", "--db", str(demo)]) == 0
    assert main([*args, "--db", str(demo)]) == 0


def test_the_subject_access_search_finds_a_number_written_in_other_digits(db):
    from letters.sar import third_party_mentions

    clients.mark_synthetic(db)
    clients.add_client(db, {"name": "Ann Example", "dob": "01/01/1980"}, TODAY)
    clients.add_client(db, {"name": "Bo Other", "dob": "02/02/1982", "nhs_number": "9990000018"}, TODAY)
    client = rec.get_case(db, "MHTR-0001")["id"]
    found = third_party_mentions(db, client, [("a note", f"met the person with number {ARABIC_INDIC}")])
    assert found == ["a note"]


def test_import_finds_the_same_person_whatever_digits_the_sheet_uses(run, tmp_path):
    from tests.import_support import write_csv

    assert run("client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987", "--nhs", "999 000 0018")[0] == 0
    sheet = write_csv(tmp_path / "c.csv", [
        "Name,DOB,NHS No",
        f"Robin Synthetic,14/03/1987,{FULL_WIDTH}",
        f"Jo Synthetic,01/02/1990,{ARABIC_INDIC}",
    ], encoding="utf-8")
    code, out, _ = run("import", str(sheet), "--dry-run")
    assert "Robin Synthetic: MHTR-0001 (same NHS number 999 000 0018)" in out  # found, not a second record
    assert f"NHS number '{ARABIC_INDIC}' must be 10 digits" in out  # refused, not a second record
