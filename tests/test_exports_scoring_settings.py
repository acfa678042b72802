"""The monthly return scores questionnaires under the service's own scoring settings, as the screens and letters
do (``scoring.reliable_change_strict`` and the other conventions of ``docs/SCORING.md``), read once per
export.
"""

from __future__ import annotations

from datetime import date

import pytest

from exports import monthly
from exports.monthly import export_caseload, export_month
from exports.preview import preview
from records import casework, clients
from records.questionnaire_records import add_questionnaire, outcomes
from service.core import checklist_of
from service.settings import save_setting
from tests.conftest import TODAY

MONTH = "2026-10"
SENTENCE = {"outcome": "accepted", "order": "CO", "sessions": 12}


def completed_case(db, name: str, forms: list[tuple[str, str, str, list]]) -> str:
    """A synthetic case sentenced in June, two sessions attended, completed on 15 October 2026, with ``forms``."""
    ref = clients.add_client(db, {"name": name, "dob": "1985-01-01", "gender": "Female"}, TODAY)
    for kind, day, data in (
        ("screening", "2026-06-01", {}),
        ("assessment", "2026-06-02", {}),
        ("cl-decision", "2026-06-03", {"decision": "approved"}),
        ("court-outcome", "2026-06-10", SENTENCE),
        ("session", "2026-06-17", {"outcome": "attended"}),
        ("session", "2026-06-24", {"outcome": "attended"}),
        ("completion", "2026-10-15", {}),
    ):
        casework.record_event(db, ref, kind, day, data, TODAY, checklist=checklist_of(db))
    for instrument, when, timepoint, items in forms:
        add_questionnaire(db, ref, instrument, items, when, timepoint, TODAY, checklist=checklist_of(db))
    return ref


# PHQ-9 from 15 to 9: a fall of exactly 6, the reliable change threshold. "6 or more" (the default in
# docs/SCORING.md) calls it reliable improvement; a service that sets scoring.reliable_change_strict needs more
# than 6. GAD-7 does not move,
# so the PHQ-9 + GAD-7 outcome turns on the same reading.
EXACTLY_SIX = [
    ("PHQ-9", "2026-06-02", "pre", [2, 2, 2, 2, 2, 2, 1, 1, 1]),
    ("PHQ-9", "2026-10-15", "post", [1, 1, 1, 1, 1, 1, 1, 1, 1]),
    ("GAD-7", "2026-06-02", "pre", [2, 2, 2, 2, 2, 2, 0]),
    ("GAD-7", "2026-10-15", "post", [2, 2, 2, 2, 2, 2, 0]),
]


@pytest.fixture
def six(db):
    ref = completed_case(db, "Six Synthetic", EXACTLY_SIX)
    return db, ref


def _month(db, tmp_path, name: str) -> dict:
    out = tmp_path / name
    out.mkdir()
    return export_month(
        db, MONTH, out, "xlsx", today=TODAY, threshold=0, checklist=checklist_of(db)
    ).ret.figures["month"]


def test_reliable_change_strict_changes_the_returns_reliable_improvement(six, tmp_path):
    db, ref = six
    default = _month(db, tmp_path, "default")
    assert (default["phq9.pairs"], default["phq9.mean_pre.sum"], default["phq9.mean_post.sum"]) == (1, 15.0, 9.0)
    assert (default["phq9.improved"], default["iapt.improved"]) == (1, 1)  # "6 or more"

    save_setting(db, "scoring.reliable_change_strict", "true")
    strict = _month(db, tmp_path, "strict")
    assert (strict["phq9.improved"], strict["iapt.improved"]) == (0, 0)  # was 1 and 1: the setting was ignored
    assert strict["phq9.pairs"] == 1 and strict["phq9.improved_rate"] == 0.0
    # The return now says what the client's own outcomes screen says under the same setting.
    phq = next(i for i in outcomes(db, ref)["instruments"] if i["name"] == "PHQ-9")
    assert phq["change"]["reliable_improvement"] is False


def test_the_risk_threshold_setting_reaches_su_sh_in_the_return(db, tmp_path):
    # PHQ-9 item 9 answered 1 ("several days") at the start: risk to self at docs/SCORING.md's default threshold (any
    # endorsement), not with scoring.risk_threshold 2, which the screens would then show as no flag.
    forms = [
        ("PHQ-9", "2026-06-02", "pre", [2, 2, 2, 2, 2, 2, 1, 1, 1]),
        ("PHQ-9", "2026-10-15", "post", [1, 1, 1, 1, 1, 1, 1, 1, 0]),
    ]
    completed_case(db, "Risk Synthetic", forms)
    default = _month(db, tmp_path, "default")
    assert (default["sush_start_yes"], default["sush_start_no"]) == (1, 0)
    save_setting(db, "scoring.risk_threshold", "2")
    raised = _month(db, tmp_path, "raised")
    assert (raised["sush_start_yes"], raised["sush_start_no"]) == (0, 1)
    assert {label: m for label, m, _ in preview(
        db, MONTH, TODAY, "0", checklist=checklist_of(db)
    ).headlines}["Completed"] == 1


def test_the_settings_are_read_once_per_export_not_per_case(db, tmp_path, monkeypatch):
    for n in range(3):
        completed_case(db, f"Case{n} Synthetic", EXACTLY_SIX)
    calls = []
    real = monthly.scoring_options

    def counting(database):
        calls.append(1)
        return real(database)

    monkeypatch.setattr(monthly, "scoring_options", counting)
    export_month(db, MONTH, tmp_path, "xlsx", today=TODAY, threshold=0, checklist=checklist_of(db))
    assert len(calls) == 1
    export_caseload(db, MONTH, tmp_path, "xlsx", today=TODAY)
    assert len(calls) == 2


def test_a_bad_scoring_setting_refuses_the_export_before_writing(six, tmp_path):
    db, _ = six
    from db import records as rec
    from db.transaction import transaction
    from vocabulary.identity import ValidationError

    with transaction(db):
        rec.set_setting(db, "scoring.reliable_change_strict", "perhaps")  # stored by hand: the form refuses it
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ValidationError, match="scoring setting: scoring.reliable_change_strict is true or false"):
        export_month(db, MONTH, out, "xlsx", today=date(2026, 11, 20), threshold=0, checklist=checklist_of(db))
    assert list(out.iterdir()) == []
