"""Scores in letters follow the same rules as the outcomes view: the service's scoring settings, the first
scorable form as the baseline, and bands in the words the rest of the app uses."""

from __future__ import annotations

from datetime import timedelta

import pytest

from db import records as rec
from letters import documents as L
from letters.scores import band
from records import casework
from records.questionnaire_records import add_questionnaire, outcomes
from service.core import checklist_of
from tests.letters_support import ASSESSED, SENTENCED, assessed_case, docx_text, sentenced, set_service

PHQ_SIX_BETTER = [2, 2, 2, 1, 1, 1, 1, 0, 0]  # 10: exactly 6 below the 16 at assessment, still in the clinical range
GAD_THREE_BETTER = [2, 2, 2, 2, 1, 1, 1]  # 11: 3 below 14, not a reliable change on its own


def _completed_with_a_change_of_six(db) -> tuple[str, object]:
    ref = sentenced(db, assessed_case(db))
    d = SENTENCED + timedelta(days=20)
    casework.record_event(db, ref, "session", d, {"outcome": "attended"}, d, checklist=checklist_of(db))
    d += timedelta(days=7)
    add_questionnaire(db, ref, "PHQ-9", PHQ_SIX_BETTER, d, "post", today=d, checklist=checklist_of(db))
    add_questionnaire(db, ref, "GAD-7", GAD_THREE_BETTER, d, "post", today=d, checklist=checklist_of(db))
    casework.record_event(db, ref, "completion", d, {}, d, checklist=checklist_of(db))
    return ref, d


def _phq_row(fields: dict) -> dict:
    return next(r for r in fields["outcomes"] if r["measure"] == "PHQ-9")


@pytest.mark.parametrize(("strict", "reliable"), [("false", "Yes"), ("true", "No")])
def test_completion_letter_follows_the_reliable_change_setting(db, strict, reliable):
    """SCORING.md D8: with scoring.reliable_change_strict a change of exactly 6 on PHQ-9 is not reliable. The letter
    used to ignore the setting and say "Yes" whatever the service chose, unlike the outcomes view."""
    set_service(db)
    rec.set_setting(db, "scoring.reliable_change_strict", strict)
    ref, done = _completed_with_a_change_of_six(db)
    fields, _ = L.preview(db, "completion", ref, done)
    row = _phq_row(fields)
    assert row["change"] == "6 points better" and row["reliable_improvement"] == reliable
    view = next(i for i in outcomes(db, ref)["instruments"] if i["name"] == "PHQ-9")["change"]
    assert yes_no_word(view["reliable_improvement"]) == reliable  # the letter and the outcomes view agree
    assert f"reliable improvement: {reliable.lower()}" in fields["talking_therapies"]
    text = docx_text(L.write_document(db, "completion", ref, today=done, checklist=checklist_of(db)).path)
    assert f"6 points better\n{reliable}" in text


def yes_no_word(value: bool) -> str:
    return "Yes" if value else "No"


def test_an_unscorable_first_form_is_not_the_baseline(db):
    """The outcomes view measures from the first scorable form; so does the letter now (an unscorable
    screening PHQ-9 used to become the "first" score, leaving change and recovery blank)."""
    set_service(db)
    ref = assessed_case(db)
    add_questionnaire(db, ref, "PHQ-9", [None, None, None, 3, 3, 3, 3, 3, 0], ASSESSED - timedelta(days=1),
                      "screening", today=ASSESSED, checklist=checklist_of(db))
    sentenced(db, ref)
    d = SENTENCED + timedelta(days=20)
    casework.record_event(db, ref, "session", d, {"outcome": "attended"}, d, checklist=checklist_of(db))
    add_questionnaire(db, ref, "PHQ-9", PHQ_SIX_BETTER, d, "post", today=d, checklist=checklist_of(db))
    add_questionnaire(db, ref, "GAD-7", GAD_THREE_BETTER, d, "post", today=d, checklist=checklist_of(db))
    casework.record_event(db, ref, "completion", d, {}, d, checklist=checklist_of(db))
    fields, _ = L.preview(db, "completion", ref, d)
    row = _phq_row(fields)
    assert row["first_date"] == "1 September 2026" and row["first_score"] == "16"
    assert row["change"] == "6 points better" and row["reliable_improvement"] == "Yes"


@pytest.mark.parametrize(
    ("result", "words"),
    [
        ({"band": "moderate_severe"}, "moderate to severe"),
        ({"band": "moderately_severe"}, "moderately severe"),
        ({"band": None, "band_abs": "very_high"}, "very high"),
        ({"band": "significant_impairment"}, "significant impairment"),
        ({}, ""),
    ],
)
def test_band_words_match_the_rest_of_the_app(result, words):
    """CORE's "moderate_severe" band printed as "moderate severe" in letters; it is "moderate to severe"."""
    assert band(result) == words


def test_core_om_band_in_the_court_report_reads_moderate_to_severe(db):
    set_service(db)
    ref = assessed_case(db)
    add_questionnaire(
        db, ref, "CORE-OM", [2] * 28 + [3] * 6, ASSESSED, "pre", today=ASSESSED, checklist=checklist_of(db)
    )
    text = docx_text(L.write_document(db, "court-report", ref, today=ASSESSED, checklist=checklist_of(db)).path)
    assert "moderate to severe" in text and "moderate severe" not in text


def test_a_measure_with_no_scorable_form_is_named_in_the_warnings(db):
    set_service(db)
    ref = sentenced(db, assessed_case(db))
    d = SENTENCED + timedelta(days=20)
    add_questionnaire(
        db, ref, "K10", [None, None, None, 3, 3, 3, 3, 3, 3, 3], d, "session-1", today=d, checklist=checklist_of(db)
    )
    casework.record_event(db, ref, "session", d, {"outcome": "attended"}, d, checklist=checklist_of(db))
    casework.record_event(db, ref, "completion", d, {}, d, checklist=checklist_of(db))
    fields, warnings = L.preview(db, "completion", ref, d)
    assert "K10" not in [r["measure"] for r in fields["outcomes"]]
    assert any(w.startswith("K10: no form could be scored") for w in warnings)
