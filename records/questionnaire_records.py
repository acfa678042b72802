"""Storing questionnaire administrations on a case, with the urgent risk task an endorsed risk item needs.

Raw item responses are stored; scores are always recomputed from them by ``questionnaires.score`` so a
correction to the scoring rules corrects every stored result.
"""

from __future__ import annotations

from datetime import date

import sqlite_utils

from checklists.engine import TaskSpec
from db import records as rec
from db import tasks as taskdb
from db.connection import transaction
from records.casework import require_case, task_row
from records.dates import parse_date
from records.identity import ValidationError

TIMEPOINTS = ("screening", "pre", "session", "post", "follow-up-3", "follow-up-6", "follow-up-12")
TIMEPOINT_LABELS = {
    "screening": "Screening",
    "pre": "Assessment (pre)",
    "session": "Session",
    "post": "End of treatment (post)",
    "follow-up-3": "Follow-up 3 months",
    "follow-up-6": "Follow-up 6 months",
    "follow-up-12": "Follow-up 12 months",
}
RISK_TASK_KEY = "risk.assessment"
RISK_TASK_TITLE = "Risk item endorsed on {instrument}: complete the risk assessment and crisis plan today"


def check_timepoint(value: str | None) -> str:
    v = (value or "pre").strip().lower()
    aliases = {"assessment": "pre", "follow-up": "follow-up-3", "end": "post", "post-treatment": "post"}
    v = aliases.get(v, v)
    if v.startswith("session"):
        v = "session"
    if v not in TIMEPOINTS:
        raise ValidationError(f"timepoint {value!r} is one of: {', '.join(TIMEPOINTS)}")
    return v


def add_questionnaire(
    db: sqlite_utils.Database,
    ref: str,
    instrument: str,
    responses: list,
    when: str | date | None = None,
    timepoint: str | None = None,
    today: date | None = None,
) -> dict:
    """Validate, store and score one administration; create the urgent risk task when a risk item is endorsed.

    ``responses`` may be tokens as typed ("2", "-", "NA") or values (ints, None, "NA").
    Returns ``{"id", "instrument", "date", "timepoint", "score", "summary", "risk_items", "risk_task_id"}``.
    """
    import questionnaires

    today = today or date.today()
    try:
        name = questionnaires.canonical_name(instrument)
        tokens = [("-" if r is None else str(r)) for r in responses]
        items = questionnaires.parse_responses(name, tokens)
    except questionnaires.ResponseError as exc:
        raise ValidationError(str(exc)) from None
    day = when if isinstance(when, date) else (parse_date(when, today) if when else today)
    if day > today:
        raise ValidationError(f"questionnaire date {day:%d/%m/%Y} is in the future")
    tp = check_timepoint(timepoint)
    result = questionnaires.score(name, items)
    if not result.get("valid") and result.get("error") in ("item_out_of_range", "wrong_item_count"):
        raise ValidationError(f"{name}: {result.get('error').replace('_', ' ')}")
    risk = questionnaires.risk_items(name, items)
    with transaction(db):
        case = require_case(db, ref)
        qid = rec.insert_questionnaire(db, case["case_id"], name, day, tp, items)
        risk_task_id = None
        if risk:
            spec = TaskSpec(
                key=RISK_TASK_KEY,
                title=RISK_TASK_TITLE.format(instrument=name) + f" (item {', '.join(map(str, risk))})",
                stage="risk",
                due=today,
                urgent=True,
                origin="risk",
                period=f"questionnaire-{qid}",
            )
            risk_task_id = taskdb.insert_task(db, task_row(spec, case["case_id"], None))
    return {
        "id": qid,
        "instrument": name,
        "date": day.isoformat(),
        "timepoint": tp,
        "items": items,
        "score": result,
        "summary": questionnaires.summary_line(result),
        "risk_items": risk,
        "risk_task_id": risk_task_id,
    }


def scored_administrations(db: sqlite_utils.Database, case_id: int) -> list[dict]:
    """Every stored administration of a case with its score recomputed from the raw items."""
    import questionnaires

    out = []
    for row in rec.questionnaires_of_case(db, case_id):
        result = questionnaires.score(row["instrument"], row["items"])
        out.append({**row, "score": result, "summary": questionnaires.summary_line(result)})
    return out
