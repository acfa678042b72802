"""Importing the details the monthly return counts: optional columns for the support recommended at assessment,
what the sentence would otherwise have been, the sentencer feedback form, a breach and its reason, the
accommodation at the start and at the end, the referrals and signposting at completion and the reason consent was
withdrawn. Each is read against the event form's own lists, and recorded on its event through the same checks; a
value outside the list is one line naming the row and the column, and nothing is written."""

from __future__ import annotations

from datetime import date

import pytest

from exports.caseload import HEADINGS as CASELOAD_HEADINGS
from exports.caseload import caseload_rows
from exports.monthly import load_facts
from importer import mapping as maps
from importer.plan import build_plan, mapping_for
from importer.sheets import read_sheet
from importer.write import apply_plan
from questionnaires import DEFAULT
from records.views import case_detail
from service.core import checklist_of
from tests.conftest import TODAY, snapshot_counts
from tests.import_support import write_caseload
from vocabulary.identity import ValidationError

HEADINGS = [
    "Client name", "DOB", "Screened", "Assessed", "CL decision", "Sentence date", "Sessions attended",
    "Last session", "Completed", "Accommodation", "Support recommended", "Sentence otherwise", "Feedback form sent",
    "Feedback returned", "Date of breach", "Reason for breach", "Accommodation at end", "Referrals and signposting",
    "Withdrawn", "Withdrawal reason",
]
COMPLETED = [
    "Robin Synthetic", "14/03/1987", "03/03/2025", "10/03/2025", "Approved 12/03/2025", "02/04/2025", 12,
    "02/07/2025", "09/07/2025", "NFA", "Housing; talking therapy", "Prison", "03/04/2025", "20/05/2025",
    "10/06/2025", "Missed two sessions in a row", "Supported housing", "CMHT and benefits", None, None,
]
WITHDRAWN = [
    "Alex Testperson", "02/11/1990", "01/09/2026", "03/09/2026", "approved 08/09/2026", "15/09/2026", 2,
    "10/10/2026", None, "living with family or friends", "None", "suspended sentence", None, None, None, None, None,
    None, "01/11/2026", "Moved out of the area",
]


def plan_of(db, path):
    sheet = read_sheet(path)
    mapping, layer = mapping_for(db, sheet)
    return build_plan(db, sheet, mapping, TODAY, layer, checklist=checklist_of(db))


def _data(db, ref: str, kind: str) -> list[dict]:
    return [e["data"] for e in case_detail(db, ref, TODAY)["events"] if e["kind"] == kind]


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Accommodation", "accommodation"), ("Housing status", "accommodation"),
        ("Accommodation at end", "accommodation_end"), ("Accommodation at completion", "accommodation_end"),
        ("Support recommended", "support_recommended"), ("Recommendations", "support_recommended"),
        ("Sentence otherwise", "sentence_otherwise"), ("Alternative sentence", "sentence_otherwise"),
        ("Feedback form sent", "feedback_sent"), ("Sentencer feedback returned", "feedback_returned"),
        ("Breach date", "breach"), ("Date of breach", "breach"), ("Reason for breach", "breach_reason"),
        ("Referrals and signposting", "referrals"), ("Signposted to", "referrals"),
        ("Reason for withdrawal", "withdrawal_reason"),
        # the columns that were there keep their fields
        ("Referred by", "referral_source"), ("Withdrawn", "withdrawal"), ("Sentence", "sentence_date"),
    ],
)
def test_the_headings_people_write_for_the_new_columns(heading, field):
    assert maps.field_for(heading) == field


def test_every_detail_is_imported_onto_its_event(db, tmp_path):
    plan = plan_of(db, write_caseload(tmp_path / "c.xlsx", [COMPLETED, WITHDRAWN], headings=HEADINGS))
    assert not plan.blocked and [r.stage for r in plan.ready] == ["Completed", "Consent withdrawn"]
    robin, alex = apply_plan(db, plan).created

    assert case_detail(db, robin, TODAY)["accommodation"] == "Homeless / rough sleeping"  # at the start
    assert _data(db, robin, "assessment") == [{"recommended_therapy": True, "recommended_housing": True}]
    assert _data(db, robin, "court-outcome")[0]["sentence_otherwise"] == "custody"
    assert _data(db, robin, "sentencer-feedback") == [{"form": "sent"}, {"form": "returned"}]
    assert _data(db, robin, "breach") == [{"reason": "Missed two sessions in a row"}]
    assert _data(db, robin, "completion") == [
        {"accommodation_end": "supported", "referred_secondary": True, "referred_money": True}
    ]
    assert case_detail(db, alex, TODAY)["accommodation"] == "Living with family or friends"
    assert _data(db, alex, "assessment") == [{"recommended_none": True}]
    assert _data(db, alex, "court-outcome")[0]["sentence_otherwise"] == "suspended"
    assert _data(db, alex, "withdrawal") == [{"reason": "Moved out of the area"}]

    # and the caseload data, which the return's figures come from, reads them as the app's own records
    end = date(2026, 11, 30)
    rows = {r[0]: dict(zip(CASELOAD_HEADINGS, r, strict=True)) for r in caseload_rows(load_facts(db, end), end,
                                                                                         scoring=DEFAULT)}
    r, a = rows[robin], rows[alex]
    assert (r["Accommodation at the start"], r["Accommodation at the end"]) == (
        "Homeless / rough sleeping", "Supported housing")
    assert r["Referrals and signposting at completion"] == (
        "Secondary mental health care (CMHT); Benefits, debt or money advice")
    assert r["Breach reasons"] == "Failed to attend treatment sessions" and r["Sentence otherwise"] == "Custody"
    assert (r["Sentencer feedback form sent"], r["Sentencer feedback form returned"]) == (
        date(2025, 4, 3), date(2025, 5, 20))
    assert a["Support recommended at assessment"] == "No support recommended"
    assert a["Consent withdrawn: reason"] == "Moved away or transferred"


def _with(column: str, value) -> list:
    row = list(COMPLETED)
    row[HEADINGS.index(column)] = value
    return row


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("Sentence otherwise", "a fine",
         "sentence otherwise 'a fine' is not on the list: Custody; Suspended sentence; Community order without "
         "treatment; Other; Not known"),
        ("Accommodation at end", "a castle", "accommodation at the end 'a castle' is not on the list: Settled"),
        ("Accommodation", "a castle", "accommodation 'a castle' is not on the list: Settled"),
        ("Referrals and signposting", "Housing; the GP", "referrals at completion 'the gp' is not on the list"),
        ("Support recommended", "astrology", "support recommended 'astrology' is not on the list"),
        # the event form's own rule, in its own words
        ("Support recommended", "None, housing",
         'assessment: "no support recommended" is ticked together with a service; untick one'),
        ("Completed", None, "referrals at completion is given but the row has no completion date"),
        ("Date of breach", None, "breach reason is given but the row has no breach date"),
        ("Sentence date", None, "sentence otherwise is given but the row has no sentence with an MHTR"),
        ("Feedback form sent", None, "a sentencer feedback form returned needs the form sent first"),
        ("Feedback returned", "01/03/2025", "Sentencer feedback form needs the court outcome first"),
        ("Date of breach", "tbc", "breach reason is given but the row has no breach date"),
    ],
)
def test_a_value_outside_the_list_is_one_line_naming_the_row_and_column(db, tmp_path, column, value, reason):
    plan = plan_of(db, write_caseload(tmp_path / "c.xlsx", [_with(column, value)], headings=HEADINGS))
    assert [p.row for p in plan.problems] == [5] and plan.ready == []
    assert reason in plan.problems[0].reason and "\n" not in plan.problems[0].reason


def test_a_row_refused_for_its_details_writes_nothing(db, tmp_path):
    plan = plan_of(db, write_caseload(tmp_path / "c.xlsx", [WITHDRAWN, _with("Sentence otherwise", "a fine")],
                                      headings=HEADINGS))
    before = snapshot_counts(db)
    with pytest.raises(ValidationError, match="nothing imported"):
        apply_plan(db, plan)
    assert snapshot_counts(db) == before


def test_placeholders_in_the_new_columns_are_blank_and_said(db, tmp_path):
    row = [*WITHDRAWN[:9], "tbc", "n/a", "Not known", *WITHDRAWN[12:18], "01/11/2026", "tbc"]
    plan = plan_of(db, write_caseload(tmp_path / "c.xlsx", [row], headings=HEADINGS))
    assert not plan.blocked
    ready = plan.ready[0]
    assert "accommodation 'tbc' is not known; read as blank" in ready.notes
    assert "support recommended 'n/a' is not known; read as blank" in ready.notes
    assert "withdrawal reason 'tbc' is not known yet; read as blank" in ready.notes
    court = next(e for e in ready.events if e.kind == "court-outcome")
    assert court.data["sentence_otherwise"] == "not-known"  # "Not known" is an answer on the list, not a blank
    assert next(e for e in ready.events if e.kind == "withdrawal").data == {}
