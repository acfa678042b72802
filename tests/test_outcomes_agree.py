"""One definition of a client's outcomes (``questionnaires.course``): the Client screen's outcomes view, the
completion letter and the monthly return compare the same two forms and reach the same verdicts.

They used to disagree on the case below: the view measured to the latest form, a follow-up, and paired PHQ-9 with
GAD-7 only when given the same day; the letter and the return measured to the end of treatment and took each
measure's own first and last forms."""

from __future__ import annotations

from datetime import date, timedelta

from exports.monthly import load_facts
from exports.outcomes import paired, paired_iapt
from letters import documents as L
from questionnaires import course
from records import casework, clients
from records.questionnaire_records import add_questionnaire, outcomes, scored_administrations, scoring_options
from service.core import checklist_of
from tests.letters_support import ASSESSED, GAD_POST, PHQ_POST, SENTENCED, assessed_case, sentenced, set_service

PHQ_WORSE = [3] * 9  # 27 at the 3-month follow-up: much worse than at the start


def _case(db) -> tuple[str, date, date]:
    """PHQ-9 16 and GAD-7 14 at assessment; at the end PHQ-9 3 and, a week later, GAD-7 2 (never the same day);
    completion; then a 3-month follow-up PHQ-9 of 27. Returns REF, the last PHQ-9's date and a day after it all."""
    set_service(db)
    ref = sentenced(db, assessed_case(db))
    d = SENTENCED + timedelta(days=20)
    for _ in range(12):
        casework.record_event(db, ref, "session", d, {"outcome": "attended"}, d, checklist=checklist_of(db))
        d += timedelta(days=7)
    last_phq = d - timedelta(days=7)
    add_questionnaire(db, ref, "PHQ-9", PHQ_POST, last_phq, "post", today=last_phq, checklist=checklist_of(db))
    add_questionnaire(db, ref, "GAD-7", GAD_POST, d, "post", today=d, checklist=checklist_of(db))
    casework.record_event(db, ref, "completion", d, {}, d, checklist=checklist_of(db))
    follow_up = d + timedelta(days=92)
    add_questionnaire(
        db, ref, "PHQ-9", PHQ_WORSE, follow_up, "follow-up-3", today=follow_up, checklist=checklist_of(db)
    )
    return ref, last_phq, follow_up + timedelta(days=1)


def test_the_outcomes_view_the_completion_letter_and_the_return_agree(db):
    ref, last_phq, today = _case(db)
    options = scoring_options(db)

    view = outcomes(db, ref)
    phq = next(i for i in view["instruments"] if i["name"] == "PHQ-9")["change"]
    assert (phq["from"], phq["to"]) == (ASSESSED.isoformat(), last_phq.isoformat())  # the follow-up is not "last"
    assert (phq["change"], phq["reliable_improvement"], phq["recovery"]) == (13, True, True)
    assert view["paired"] is not None and view["paired"]["recovery"] is True  # no same-day pair needed

    fields, _ = L.preview(db, "completion", ref, today)
    row = next(r for r in fields["outcomes"] if r["measure"] == "PHQ-9")
    assert (row["change"], row["reliable_improvement"], row["recovery"]) == ("13 points better", "Yes", "Yes")
    assert "recovery: yes" in fields["talking_therapies"]

    [case] = [c for c in load_facts(db, today) if c.scores]
    measure, both = paired(case.scores, "PHQ-9", options), paired_iapt(case.scores, options)
    assert (measure.pre, measure.post, measure.improved, measure.recovered) == (16.0, 3.0, True, True)
    assert both.recovered and both.improved

    # and all three are the one function's answer
    forms = scored_administrations(db, clients.require_case(db, ref)["case_id"])
    assert course.measure_change(forms, "PHQ-9", options)["recovery"] is phq["recovery"] is measure.recovered
    assert course.talking_therapies(forms, options)["recovery"] is view["paired"]["recovery"] is both.recovered


def test_a_form_that_cannot_be_scored_is_never_first_or_last(db):
    ref, _, _ = _case(db)
    options = scoring_options(db)
    d = date(2026, 9, 2)
    add_questionnaire(db, ref, "GAD-7", [None, None, 3, 3, 3, 3, 3], d, "pre", today=d, checklist=checklist_of(db))
    forms = scored_administrations(db, clients.require_case(db, ref)["case_id"])
    first, last = course.first_and_last(forms, "GAD-7", options)
    assert first["date"] == ASSESSED.isoformat() and last["items"] == GAD_POST
    assert course.first_and_last(forms, "CORE-OM", options) == (None, None)
