"""The return's definitions where seed 004 draws a line: consent at assessment against its renewal, not eligible
at screening against after assessment, the requirement proposed against the one made, fields that cannot apply
to a person (pregnancy for a man, an EHC plan over 25), reasons in categories, and sessions by outcome.
"""

from __future__ import annotations

from datetime import date

from exports.facts import CaseFacts, deidentify
from exports.gaps import gaps
from exports.measures import period_figures
from exports.periods import Period
from exports.reasons import categorise
from questionnaires import DEFAULT
from tests.exports_support import DEADLINES
from vocabulary.identity import field_applies
from vocabulary.stages import Event

OCTOBER = Period("month", date(2026, 10, 1), date(2026, 10, 31))


def _case(events, **fields) -> CaseFacts:
    rows = [{"kind": k, "date": d, "data": data, "id": i + 1} for i, (k, d, data) in enumerate(events)]
    return deidentify({"ref": "MHTR-0001", "dob": fields.pop("dob", "1990-01-01"), **fields}, rows, [], OCTOBER.end)


def test_pregnancy_applies_to_anyone_not_recorded_as_male_and_an_ehc_plan_to_25():
    assert not field_applies("pregnancy", gender="Male", age=30)
    assert field_applies("pregnancy", gender="Female", age=30) and field_applies("pregnancy", gender=None, age=30)
    assert field_applies("pregnancy", gender="Non-binary", age=30)
    assert field_applies("ehc_plan", gender="Male", age=25) and not field_applies("ehc_plan", gender="Male", age=26)
    assert field_applies("ehc_plan", gender=None, age=None)  # no date of birth: asked, not assumed
    assert field_applies("looked_after", gender="Male", age=60)


def test_the_completeness_list_asks_only_for_what_applies():
    assessed = [("screening", "2026-10-01", {}), ("assessment", "2026-10-01", {})]
    man = _case(assessed, gender="Male", dob="1970-01-01")
    woman = _case(assessed, gender="Female", dob="2005-01-01")
    text = {c.fields.get("gender"): " ".join(g.what for g in gaps([c], OCTOBER, scoring=DEFAULT)) for c in (man, woman)}
    assert "pregnancy" not in text["Male"] and "EHC plan" not in text["Male"]
    assert "pregnancy" in text["Female"] and "EHC plan" in text["Female"]
    # and the return counts them as not applicable, not as not recorded
    figures = period_figures([man], OCTOBER, DEFAULT, DEADLINES)
    assert figures["assessed.pregnancy=not applicable"] == figures["assessed.ehc_plan=not applicable"] == 1
    assert figures["assessed.pregnancy=Not recorded"] == 0


def test_a_man_recorded_as_pregnant_is_not_counted_as_pregnant():
    man = _case([("assessment", "2026-10-01", {})], gender="Male", pregnancy="yes")
    assert period_figures([man], OCTOBER, DEFAULT, DEADLINES)["assessed.pregnancy=yes"] == 0


def test_consent_at_assessment_and_its_renewal_are_separate_rows():
    case = _case(
        [
            ("assessment", "2025-10-01", {}),
            ("consent", "2025-10-01", {}),
            ("consent", "2026-10-01", {}),  # the 12-month renewal
        ]
    )
    october = period_figures([case], OCTOBER, DEFAULT, DEADLINES)
    assert (october["consented"], october["consent_renewed"]) == (0, 1)
    last_october = period_figures([case], Period("month", date(2025, 10, 1), date(2025, 10, 31)), DEFAULT, DEADLINES)
    assert (last_october["consented"], last_october["consent_renewed"]) == (1, 0)


def test_not_eligible_before_and_after_assessment():
    at_screening = _case([("screening", "2026-10-01", {}), ("not-eligible", "2026-10-01", {"reason": "no need"})])
    after = _case(
        [
            ("screening", "2026-10-01", {}),
            ("assessment", "2026-10-01", {}),
            ("not-eligible", "2026-10-01", {"reason": "needs the CMHT"}),
        ]
    )
    f = period_figures([at_screening, after], OCTOBER, DEFAULT, DEADLINES)
    assert (f["not_eligible"], f["not_eligible_assessed"]) == (1, 1)
    assert f["reason.not-eligible.threshold"] == 1 and f["reason.not-eligible-assessed.secondary-care"] == 1


def test_requirement_proposed_counts_the_pre_court_rows_and_the_order_made_the_court_rows():
    case = _case(
        [
            ("assessment", "2026-10-01", {}),
            ("cl-decision", "2026-10-02", {"decision": "approved"}),
            ("court-outcome", "2026-10-20", {"outcome": "accepted", "order": "CO"}),  # made without the DRR
        ],
        requirement="MHTR & DRR",
    )
    f = period_figures([case], OCTOBER, DEFAULT, DEADLINES)
    assert f["assessed_drr"] == f["cl_approved_drr"] == 1 and f["assessed_mhtr"] == 0
    assert f["type_mhtr"] == 1 and f["type_drr"] == 0


def test_sessions_by_outcome_count_events_and_leave_out_undated_ones():
    sessions = [
        ("session", "2026-10-05", {"outcome": "attended"}),
        ("session", "2026-10-12", {"outcome": "attended"}),
        ("session", "2026-10-13", {"outcome": "attended", "undated": True}),  # imported without its day
        ("session", "2026-10-19", {"outcome": "rescheduled"}),
        ("session", "2026-10-26", {"outcome": "cancelled-by-service"}),
        ("session", "2026-10-27", {"outcome": "unacceptable-absence"}),
        ("session", "2026-11-02", {"outcome": "acceptable-absence"}),
    ]
    case = _case([("court-outcome", "2026-09-01", {"outcome": "accepted"}), *sessions])
    f = period_figures([case], OCTOBER, DEFAULT, DEADLINES)
    assert (f["sessions_offered"], f["sessions_attended"], f["sessions_unacceptable"]) == (3, 2, 1)
    assert (f["sessions_acceptable"], f["sessions_cancelled"]) == (0, 1)


def test_reasons_for_breach_and_withdrawal_are_categories():
    assert categorise("breach", "Missed three sessions") == "non-attendance"
    assert categorise("breach", "Did not do the unpaid work hours") == "other-requirement"
    assert categorise("breach", "Arrested for a new offence") == "reoffending"
    assert categorise("breach", "") == "not-recorded"
    assert categorise("withdrawal", "Moved out of area to live with family") == "moved"
    assert categorise("withdrawal", "Remanded in custody") == "custody"
    assert categorise("withdrawal", "said he no longer wanted the sessions") == "no-longer-wished"
    # a short stem is a whole word: "psychiatric" holds "atr" but is not about an Alcohol Treatment Requirement
    assert categorise("not-eligible", "Referred for psychiatric care by the specialist team") == "secondary-care"
    assert categorise("not-eligible", "psychiatric review awaited") == "other"
    case = _case(
        [
            ("court-outcome", "2026-09-01", {"outcome": "accepted"}),
            ("breach", "2026-10-05", {"reason": "failed to attend", "mhtr_related": True}),
            ("withdrawal", "2026-10-20", {"reason": "Moved to another area"}),
        ]
    )
    f = period_figures([case], OCTOBER, DEFAULT, DEADLINES)
    assert f["reason.breach.non-attendance"] == 1 and f["reason.withdrawal.moved"] == 1


def test_the_event_text_never_reaches_the_facts():
    case = _case([("withdrawal", "2026-10-20", {"reason": "Moved in with Sam at 4 High Street"})])
    assert case.events == (Event("withdrawal", date(2026, 10, 20), {"reason_category": "moved"}, 1, None),)


def test_the_completeness_list_asks_for_what_the_new_measures_need():
    sentenced = [
        ("assessment", "2026-01-05", {}),
        ("cl-decision", "2026-01-06", {"decision": "approved"}),
        ("court-outcome", "2026-01-20", {"outcome": "accepted"}),
    ]
    ended = _case(
        [
            *sentenced,
            ("breach", "2026-03-02", {"mhtr_related": True, "outcome": "continue"}),  # no reason
        ],
        gender="Female",
    )
    completed = _case(
        [*sentenced, ("completion", "2026-05-01", {}), ("follow-up", "2026-08-03", {"months": 3})], gender="Male"
    )
    year = Period("rolling", date(2025, 11, 1), date(2026, 10, 31))
    found = {g.ref + ": " + g.what for g in gaps([ended], year, scoring=DEFAULT)}
    assert "MHTR-0001: breach 02/03/2026: the reason is not recorded" in found
    found = {g.what for g in gaps([completed], year, scoring=DEFAULT)}
    assert "3-month follow-up 03/08/2026 without scores" in found
    assert any(w.startswith("completed 01/05/2026 without scores") and "; WSAS before and after" in w for w in found)


def test_orders_made_are_counted_by_characteristic_with_the_age_on_the_sentence_date():
    # assessed at 24 (18-24), sentenced after the 25th birthday: made at 25-34; an EHC plan still applies (25 at
    # assessment is within the plan's age); a man: pregnancy not applicable in both columns
    case = _case(
        [
            ("assessment", "2026-09-28", {}),
            ("cl-decision", "2026-09-30", {"decision": "approved"}),
            ("court-outcome", "2026-10-05", {"outcome": "accepted", "order": "CO"}),
        ],
        dob="2001-10-02",
        gender="Male",
        ethnicity="White - British",
    )
    september = period_figures([case], Period("month", date(2026, 9, 1), date(2026, 9, 30)), DEFAULT, DEADLINES)
    october = period_figures([case], OCTOBER, DEFAULT, DEADLINES)
    assert september["assessed.age_band=18-24"] == 1 and september["court_accepted"] == 0
    assert sum(v for k, v in september.items() if k.startswith("made.")) == 0
    assert october["court_accepted"] == 1 and october["made.age_band=25-34"] == 1
    assert october["made.age_band=18-24"] == 0 and october["made.ehc_plan=Not recorded"] == 1
    assert october["made.pregnancy=not applicable"] == 1 and october["made.ethnicity=White - British"] == 1
    # declined by the court: assessed, never made
    declined = _case(
        [("assessment", "2026-10-01", {}), ("court-outcome", "2026-10-20", {"outcome": "declined"})], gender="Female"
    )
    figures = period_figures([declined], OCTOBER, DEFAULT, DEADLINES)
    assert figures["assessed.gender=Female"] == 1 and figures["made.gender=Female"] == 0
