"""The caseload data carries the details the return counts (support recommended at assessment, what the sentence
would otherwise have been, the sentencer feedback form, accommodation at the start and end, referrals and
signposting at completion, reasons for a breach or a withdrawal), as fixed categories only: checked on the known
caseload of tests/exports_support.py, case by case."""

from __future__ import annotations

from datetime import date

import pytest

from exports.caseload import HEADINGS, caseload_rows
from exports.monthly import load_facts
from exports.reasons import categories
from questionnaires import DEFAULT
from tests.exports_support import build_caseload
from vocabulary.event_kinds import ACCOMMODATION_CHOICES, KINDS, OTHERWISE, SUPPORT

END = date(2026, 10, 31)
NEW = (
    "Support recommended at assessment",
    "Sentence otherwise",
    "Sentencer feedback form sent",
    "Sentencer feedback form returned",
    "Accommodation at the start",
    "Accommodation at the end",
    "Referrals and signposting at completion",
    "Consent withdrawn: reason",
    "Breach reasons",
)


@pytest.fixture
def rows(db) -> dict[str, dict]:
    refs = build_caseload(db)
    made = caseload_rows(load_facts(db, END), END, scoring=DEFAULT)
    by_ref = {r[0]: dict(zip(HEADINGS, r, strict=True)) for r in made}
    return {letter: by_ref[ref] for letter, ref in zip("ABCDEFGHIJKL", refs, strict=True)}


def test_the_new_details_case_by_case(rows):
    a, b, d, e, f, g, h, i = (rows[x] for x in "ABDEFGHI")
    assert a["Support recommended at assessment"] == "Talking therapy or counselling; Housing or homelessness support"
    assert a["Sentence otherwise"] == "Custody"
    assert (a["Sentencer feedback form sent"], a["Sentencer feedback form returned"]) == (
        date(2026, 10, 15),
        date(2026, 10, 28),
    )
    # in treatment: the start is the client's record, the end and the referrals are not due yet
    assert (a["Accommodation at the start"], a["Accommodation at the end"]) == ("Supported housing", "")
    assert a["Referrals and signposting at completion"] == a["Breach reasons"] == a["Consent withdrawn: reason"] == ""
    # never assessed, never sentenced: nothing to say
    assert {b[k] for k in NEW} == {"", None}
    assert d["Sentence otherwise"] == "Community order without treatment"
    assert d["Accommodation at the start"] == d["Accommodation at the end"] == "Settled (owner or tenant)"
    referred = "Talking therapy or counselling; Employment, education or training"
    assert d["Referrals and signposting at completion"] == referred
    assert d["Breach reasons"] == "Failed to attend treatment sessions"  # "Missed session": its category, not its words
    assert (e["Sentence otherwise"], e["Referrals and signposting at completion"]) == (
        "Not known",
        "No referral or signposting",
    )
    assert (e["Accommodation at the start"], e["Accommodation at the end"]) == (
        "Living with family or friends",
        "Settled (owner or tenant)",
    )
    assert e["Support recommended at assessment"] == "Not recorded"  # assessed, nothing ticked
    assert f["Consent withdrawn: reason"] == "Not recorded" and f["Sentence otherwise"] == "Suspended sentence"
    assert g["Support recommended at assessment"] == "No support recommended"
    assert g["Sentence otherwise"] == "Not recorded"  # an MHTR made without it
    # completed without the details: "Not recorded", as on the completeness list
    assert h["Accommodation at the end"] == h["Referrals and signposting at completion"] == "Not recorded"
    assert i["Sentence otherwise"] == "" and i["Sentencer feedback form sent"] == date(2026, 10, 22)  # declined


def test_the_new_columns_hold_categories_only(rows):
    """Free text never reaches a column: every value is a label of one of the fixed lists, joined by "; "."""
    support = {label[:1].upper() + label[1:] for _, label in SUPPORT}
    nones = {f.label for k in ("assessment", "completion") for f in KINDS[k].fields if f.name.endswith("_none")}
    allowed = {
        "Support recommended at assessment": support | nones | {"Not recorded"},
        "Referrals and signposting at completion": support | nones | {"Not recorded"},
        "Sentence otherwise": {label for _, label in OTHERWISE} | {"Not recorded"},
        "Accommodation at the start": {label for _, label in ACCOMMODATION_CHOICES} | {"Not recorded"},
        "Accommodation at the end": {label for _, label in ACCOMMODATION_CHOICES} | {"Not recorded"},
        "Consent withdrawn: reason": {label for _, label in categories("withdrawal")},
        "Breach reasons": {label for _, label in categories("breach")},
    }
    seen = 0
    for row in rows.values():
        for column, labels in allowed.items():
            for part in filter(None, row[column].split("; ")):
                assert part in labels, (column, part)
                seen += 1
    assert seen > 20


def test_an_mhtr_made_without_a_combined_requirement_reads_mhtr(rows):
    """The requirement column of an order made alone was blank (the lookup's key for "alone" was never matched)."""
    assert rows["A"]["Requirement"] == "MHTR"  # made alone
    assert rows["D"]["Requirement"] == "MHTR & DRR" and rows["G"]["Requirement"] == "MHTR & ATR"
    assert rows["C"]["Requirement"] == "MHTR & DRR"  # not sentenced: the case's own, as proposed
