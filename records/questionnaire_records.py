"""Storing questionnaire administrations on a case, with the urgent risk task an endorsed risk item needs.

Raw item responses are stored; scores are always recomputed from them by ``questionnaires.score`` so a
correction to the scoring rules corrects every stored result.
"""

from __future__ import annotations

from datetime import date

from checklists.model import Checklist, questionnaire_action
from db import records as rec
from db import tasks as taskdb
from db.database import Database
from db.transaction import transaction
from questionnaires.instruments import Instrument
from questionnaires.options import ScoringOptions
from records.app_done import complete_by_app
from records.casework import case_state, raise_occurrence
from records.clients import require_case, require_not_archived
from vocabulary.dates import QUESTIONNAIRE_DATE, add_months, check_date, parse_date
from vocabulary.identity import ValidationError
from vocabulary.stages import CaseState

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
RISK_TASK_KEY = "risk.assessment"  # the crisis-plan item of the checklist's risk stage


def scoring_options(db: Database) -> ScoringOptions:
    """The service's scoring settings (SCORING.md L-grade choices), docs/SCORING.md's defaults where none is stored."""
    from questionnaires import options_from_settings

    try:
        return options_from_settings(rec.all_settings(db))
    except ValueError as exc:
        raise ValidationError(f"scoring setting: {exc}") from None


def timepoint_for_task(key: str | None) -> str:
    """The timepoint a checklist item's questionnaires belong to: at court, after assessment or a follow-up."""
    key = key or ""
    if key.startswith("court."):
        return "screening"
    for months in ("3", "6", "12"):
        if key.endswith(f"follow-up-{months}"):
            return f"follow-up-{months}"
    if key.startswith("session") or key.startswith("final"):
        return "session"
    return "pre"


FOLLOW_UP_MONTHS = (3, 6, 12)


def timepoint_for_stage(state: CaseState, today: date) -> str:
    """The timepoint a questionnaire entered ``today`` most likely belongs to, from where the case has got to.

    The entry screen offers it as the default (changeable there), so a form typed mid-treatment is not filed
    as the assessment baseline, which would make it the "first" score of every first-to-latest change.

    - Before an assessment (referred, screened, not eligible at screening): ``screening``.
    - Assessed but not (or not yet) sentenced to an MHTR, including declined by the CL or the court: ``pre``.
    - Sentenced and in treatment: ``session-N``. N is the session already logged today (the form was given at
      it), else the next session (the form is being entered before that session is logged); never below 1.
    - Consent withdrawn after sentence: ``post`` once a session was attended (treatment has ended), else ``pre``.
    - After completion: whichever of end of treatment (the completion date) and the 3-, 6- and 12-month
      follow-ups falls nearest ``today`` (the earlier on a tie).
    """
    if state.completed is not None:
        targets = [("post", state.completed)] + [
            (f"follow-up-{m}", add_months(state.completed, m)) for m in FOLLOW_UP_MONTHS
        ]
        return min(targets, key=lambda t: abs((today - t[1]).days))[0]
    if state.sentence_date is not None and state.accepted:
        if state.stage == "withdrawn":
            return "post" if state.sessions_attended else "pre"
        n = state.sessions_attended if state.last_session == today else state.sessions_attended + 1
        return f"session-{max(n, 1)}"
    if state.assessed is not None:
        return "pre"
    return "screening"


def timepoint_for_case(db: Database, ref: str, today: date) -> str:
    """``timepoint_for_stage`` for case ``ref`` as its events stand (ValidationError if there is no such case)."""
    return timepoint_for_stage(case_state(db, require_case(db, ref)["case_id"]), today)


def split_timepoint(timepoint: str) -> tuple[str, int | None]:
    """``session-5`` -> ``("session", 5)``; any other timepoint -> ``(timepoint, None)``. The entry screen
    picks the kind from ``TIMEPOINT_LABELS`` and the session number in a box of its own."""
    tp = check_timepoint(timepoint)
    if tp.startswith("session-"):
        return "session", int(tp.split("-", 1)[1])
    return tp, None


MAX_SESSION_NUMBER = 60  # an order's sessions and any extra ones, with room to spare (import reads up to 60)


def check_timepoint(value: str | None) -> str:
    """One of ``TIMEPOINTS``; a session may carry its number (``session 5`` or ``session-5`` -> ``session-5``)."""
    import re

    v = (value or "pre").strip().lower()
    aliases = {"assessment": "pre", "follow-up": "follow-up-3", "end": "post", "post-treatment": "post"}
    v = aliases.get(v, v)
    m = re.fullmatch(r"session(?:[ _-]?([0-9]{1,2}))?", v)  # ASCII digits: "session -3" is not session 3
    if m:
        if m.group(1) is None:
            return "session"
        if not 1 <= int(m.group(1)) <= MAX_SESSION_NUMBER:
            raise ValidationError(f"timepoint {value!r}: sessions are numbered 1 to {MAX_SESSION_NUMBER}")
        return f"session-{int(m.group(1))}"
    if v not in TIMEPOINTS:
        raise ValidationError(f"timepoint {value!r} is one of: {', '.join(TIMEPOINTS)} (or session N)")
    return v


def timepoint_label(timepoint: str) -> str:
    """``session-5`` -> ``Session 5``; the others from ``TIMEPOINT_LABELS``."""
    if timepoint.startswith("session-"):
        return f"Session {timepoint.split('-', 1)[1]}"
    return TIMEPOINT_LABELS.get(timepoint, timepoint)


def add_questionnaire(
    db: Database,
    ref: str,
    instrument: str,
    responses: list,
    when: str | date | None,
    timepoint: str | None,
    today: date,
    *,
    checklist: Checklist,
) -> dict:
    """Validate, store and score one administration; close the checklist tasks that asked for a questionnaire of
    this timepoint (done by mhtr-tui); an endorsed risk item raises the checklist's urgent risk items, due the day
    the form is saved (an old form typed in late is today's work, not "3 days late").

    ``responses`` may be tokens as typed ("2", "-", "NA") or values (ints, None, "NA"). Without ``timepoint`` the
    form belongs where the case has got to on its date (``timepoint_for_stage``), as the app's entry screen offers.
    Returns ``{"id", "instrument", "date", "timepoint", "score", "summary", "risk_items", "risk_task_id"}``.
    """
    import questionnaires

    try:
        name = questionnaires.canonical_name(instrument)
        tokens = [("-" if r is None else str(r)) for r in responses]
        items = questionnaires.parse_responses(name, tokens)
    except questionnaires.ResponseError as exc:
        raise ValidationError(str(exc)) from None
    field = QUESTIONNAIRE_DATE
    day = check_date(when, today, field) if isinstance(when, date) else (
        parse_date(when, today, field) if when else today
    )
    if timepoint:
        tp = check_timepoint(timepoint)
    else:  # as the app's entry screen offers it: from where the case has got to on the form's date
        tp = timepoint_for_stage(case_state(db, require_case(db, ref)["case_id"]), day)
    opts = scoring_options(db)
    result = questionnaires.score(name, items, opts)
    problem = questionnaires.why_refused(name, items)
    if problem:  # named item by item, so the person can correct what they typed; a risk item is still named
        risk_text = questionnaires.risk_words(result)
        raise ValidationError(f"{name} not stored: {problem}" + (f"; {risk_text}" if risk_text else ""))
    risk = questionnaires.risk_items(name, items, opts)
    with transaction(db):
        case = require_case(db, ref)
        require_not_archived(case)
        qid = rec.insert_questionnaire(db, case["case_id"], name, day, tp, items)
        # Saving the form is the scoring (scores are computed from the stored items): the items of this
        # timepoint that ask for questionnaires close as done by the app.
        complete_by_app(db, checklist, case["case_id"], questionnaire_action(tp),
                        f"{name} saved, {timepoint_label(tp).lower()}")
        risk_task_id = None
        if risk:  # a risk identified: the checklist's risk items, due the day the form is saved
            items_text = f"item{'s' if len(risk) > 1 else ''} {', '.join(map(str, risk))}"
            made = raise_occurrence(db, case["case_id"], "risk", today, {"about": f"{name} {items_text}"},
                                    period=f"questionnaire-{qid}", checklist=checklist)
            # the crisis-plan task this risk needs: the new one, or the one still open from an earlier form
            already = [t["id"] for t in taskdb.open_tasks_with_key(db, case["case_id"], RISK_TASK_KEY)]
            risk_task_id = made[0][0] if made else (already[0] if already else None)
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


def scored_administrations(db: Database, case_id: int) -> list[dict]:
    """Every stored administration of a case with its score recomputed from the raw items."""
    import questionnaires

    opts = scoring_options(db)
    out = []
    for row in rec.questionnaires_of_case(db, case_id):
        result = questionnaires.score(row["instrument"], row["items"], opts)
        out.append({**row, "score": result, "summary": questionnaires.summary_line(result)})
    return out


def _value(result: dict) -> float | None:
    if not result.get("valid"):
        return None
    if result["instrument"] in ("CORE-OM", "CORE-10"):
        return result["clinical"]
    return result["total"]


def _scale(ins: Instrument) -> tuple[int, int]:
    if ins.name in ("CORE-OM", "CORE-10"):
        return 0, ins.high * 10
    return ins.low * ins.n_items, ins.high * ins.n_items


def outcomes(db: Database, ref: str) -> dict:
    """A client's scores over time, per instrument, with the change over treatment and the paired PHQ-9 + GAD-7
    outcome, for the outcomes view.

    ``{"instruments": [{"name", "title", "scale": (lo, hi), "higher_is_better", "points": [{"date",
    "timepoint", "value", "band", "summary", "risk"}], "change": change-dict or None}], "paired": dict or None}``.
    Every administration is a point; change and the paired outcome are ``questionnaires.course`` (first scorable
    form to the last of treatment, follow-ups left out), as the completion letter and the return count them.
    """
    import questionnaires
    from questionnaires import course

    case = require_case(db, ref)
    opts = scoring_options(db)
    forms = scored_administrations(db, case["case_id"])
    by_instrument: dict[str, list[dict]] = {}
    for f in forms:
        by_instrument.setdefault(f["instrument"], []).append(f)
    out = []
    for name in questionnaires.INSTRUMENTS:
        rows = by_instrument.get(name)
        if not rows:
            continue
        ins = questionnaires.INSTRUMENTS[name]
        points = [
            {
                "date": r["date"],
                "timepoint": r["timepoint"],
                "value": _value(r["score"]),
                "band": r["score"].get("band") or r["score"].get("band_abs"),
                "summary": r["summary"],
                "risk": questionnaires.risk_items(name, r["items"], opts),
            }
            for r in rows
        ]
        ch = course.measure_change(rows, name, opts)
        out.append({"name": name, "title": ins.title, "scale": _scale(ins), "higher_is_better": ins.higher_is_better,
                    "points": points, "change": ch})
    return {"ref": case["ref"], "instruments": out, "paired": course.talking_therapies(forms, opts)}
