"""The risk summary (records.risk): every source at once, never "no risk" while any source says otherwise."""

from __future__ import annotations

import questionnaires
from records.risk import RiskSummary, TypedRisk, reads_as_denial, summarise


def _form(name: str, items: list, day: str, timepoint: str = "pre", n: int = 1) -> dict:
    return {"id": n, "instrument": name, "items": items, "date": day, "timepoint": timepoint,
            "score": questionnaires.score(name, items)}


PHQ_ITEM9 = [2, 2, 2, 2, 2, 2, 2, 1, 1]
PHQ_CLEAR = [1, 1, 0, 0, 1, 0, 0, 0, 0]
RISK_TASK = {"key": "risk.assessment", "stage": "risk", "origin": "risk", "status": "open", "due": "2026-09-01",
             "title": "Risk item endorsed on PHQ-9: complete the risk assessment and crisis plan (item 9)"}


def test_typed_denial_beside_an_endorsed_item_is_a_disagreement_and_both_are_shown():
    typed = [TypedRisk("Risk assessment", "2026-09-01", "No current thoughts of self-harm or harm to others reported.")]
    s = summarise([_form("PHQ-9", PHQ_ITEM9, "2026-09-01")], typed, [RISK_TASK])
    assert s.flagged
    lines = s.lines()
    assert lines[0] == ("Risk assessment (1 September 2026): No current thoughts of self-harm or harm to others "
                        "reported.")
    assert lines[1] == (
        "Risk item endorsed on the PHQ-9 of 1 September 2026: item 9 (thoughts that you would be better off dead or "
        "of hurting yourself in some way), answered \u201cseveral days\u201d."
    )
    assert "Risk actions still open" in lines[2] and "crisis plan" in lines[2]
    warning = s.disagreement()
    assert warning and "No current thoughts of self-harm" in warning and "PHQ-9 item 9 was endorsed" in warning


def test_an_open_risk_task_alone_contradicts_a_typed_none():
    s = summarise([], [TypedRisk("Risk assessment", None, "None")], [RISK_TASK])
    assert s.disagreement() and "a risk task is open" in s.disagreement()


def test_agreement_raises_no_warning():
    typed = [TypedRisk("Risk assessment", "2026-09-01", "Passive thoughts of death; no plan, no intent.")]
    assert summarise([_form("PHQ-9", PHQ_ITEM9, "2026-09-01")], typed, []).disagreement() is None
    none = [TypedRisk("Risk assessment", "2026-09-01", "None reported.")]
    assert summarise([_form("PHQ-9", PHQ_CLEAR, "2026-09-01")], none, []).disagreement() is None


def test_core_34_risk_to_others_is_named_as_such():
    items = [0] * 34
    items[21] = 2  # item 22: threatened or intimidated someone
    s = summarise([_form("CORE-OM", items, "2026-09-01")], [], [])
    assert s.lines() == [
        "Risk item endorsed on the CORE-34 of 1 September 2026: item 22 (risk to others: threatened or intimidated "
        "someone), answered \u201csometimes\u201d."
    ]


def test_a_later_clear_form_is_said_and_the_earlier_endorsement_kept():
    forms = [_form("PHQ-9", PHQ_ITEM9, "2026-09-01", n=1), _form("PHQ-9", PHQ_CLEAR, "2026-12-01", "post", n=2)]
    lines = summarise(forms, [], []).lines()
    assert lines[0].startswith("Risk item endorsed on the PHQ-9 of 1 September 2026")
    assert lines[1] == "Not endorsed on the latest PHQ-9 (1 December 2026)."


def test_nothing_recorded_never_reads_as_no_risk():
    assert RiskSummary().lines() == ["No risk assessment is recorded."]
    checked = summarise([_form("PHQ-9", PHQ_CLEAR, "2026-09-01"), _form("GAD-7", [0] * 7, "2026-09-01")], [], [])
    assert checked.lines() == [
        "No risk item was endorsed on the questionnaires given (PHQ-9).",
        "No risk assessment is recorded.",
    ]


def test_closed_risk_tasks_are_not_open_ones():
    done = {**RISK_TASK, "status": "done"}
    assert summarise([], [], [done]).open_tasks == ()


def test_reads_as_denial():
    for text in ("None", "nil", "Denies thoughts of self-harm", "No current risk", "no suicidal ideation",
                 "No current thoughts of self-harm or harm to others reported."):
        assert reads_as_denial(text), text
    for text in ("Low risk to self; no current intent.", "Passive thoughts; no plan", "Risk to others: high", ""):
        assert not reads_as_denial(text), text
