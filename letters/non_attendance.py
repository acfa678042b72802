"""The non-attendance letter to the Responsible Officer after an unacceptable absence (seed 004, "Breach of order
and non-compliance": the MHTR provider "will report non-attendance to the Offender Manager"; the RO decides on
breach "by the 6th working day after the alleged second unreasonable failure to comply", and the breach
information must be "accurate, coherent and comprehensive").

It lists every unacceptable absence in the order (date, the appointment's time and place where one was booked,
what was recorded about it), what was tried to re-engage the person (typed in the assessment record's
``absence_actions``, with the appointments offered since), the sessions attended, and, from the second absence
on, the date the RO's breach decision is due: the due date of the case's breach-decision task, so the
checklist stays the one place that deadline lives. A decision already recorded (``ro-decision``) is said.

It cannot be final without the Responsible Officer and what was tried (``REQUIRED``); it follows an unacceptable
absence and is refused before one, and after treatment has ended (completed, or the case closed), when a report
of non-attendance would describe an order no longer running.
"""

from __future__ import annotations

from letters.case_file import CaseFile
from letters.common import Draft, appointment_words, base_fields, missing_of, sentence_fields, when
from vocabulary.identity import ValidationError

TEMPLATE = "non_attendance.docx"
BREACH_DECISION_KEY = "session.breach-decision"
REQUIRED = {"ro_name": "the Responsible Officer", "absence_actions": "what was tried to re-engage the person"}


def _appointment_of(cf: CaseFile, event: dict) -> dict | None:
    return next((a for a in cf.appointments if a.get("event_id") == event["id"]), None)


def absences(cf: CaseFile) -> list[dict]:
    """Each unacceptable absence in the order: date, appointment, what was recorded."""
    out = []
    for n, e in enumerate(
        (e for e in cf.events("session") if e["data"].get("outcome") == "unacceptable-absence"), start=1
    ):
        appt = _appointment_of(cf, e)
        note = "; ".join(str(e["data"][k]) for k in ("reason", "notes") if e["data"].get(k))
        out.append(
            {
                "n": str(n),
                "date": when(e["date"]),
                "appointment": appointment_words(appt, with_date=False) if appt else "no booked appointment",
                "note": note or "No reason given.",
            }
        )
    return out


def breach_decision_text(cf: CaseFile, count: int) -> str:
    """When the RO's breach decision is due (the checklist's task), or why it is not due yet."""
    decided = cf.last("ro-decision")
    last_absence = [e for e in cf.events("session") if e["data"].get("outcome") == "unacceptable-absence"][-1]
    if decided and decided["date"] >= last_absence["date"]:
        what = "to proceed to breach" if decided["data"].get("decision") == "breach" else "not to proceed to breach"
        return f"You recorded a decision {what} on {when(decided['date'])}."
    tasks = [t for t in cf.detail.get("tasks") or [] if t["key"] == BREACH_DECISION_KEY]
    open_tasks = [t for t in tasks if t["status"] == "open"]
    if open_tasks:
        due = min(t["due"] for t in open_tasks)
        return (
            f"Your decision on whether to refer this for breach is due by {when(due)} (the 6th working day after "
            "the second unacceptable absence)."
        )
    if count < 2:
        return "This is the first unacceptable absence in the order; a second would start the breach decision."
    return "The breach decision date is not recorded in our checklist; please let us know your decision."


def non_attendance(cf: CaseFile) -> Draft:
    found = absences(cf)
    if not found:
        raise ValidationError(
            f"{cf.ref}: the non-attendance letter follows an unacceptable absence, and none is recorded; nothing "
            "written"
        )
    ended = cf.last("completion")
    if ended or cf.detail.get("closed"):
        why = f"treatment was completed on {when(ended['date'])}" if ended else "the case is closed"
        raise ValidationError(
            f"{cf.ref}: {why}; the non-attendance letter is for an order still running; nothing written"
        )
    warnings: list[str] = []
    fields = base_fields(cf, warnings, to_gp=False)
    fields.update(sentence_fields(cf, warnings))
    attended = [e for e in cf.events("session") if e["data"].get("outcome") == "attended"]
    offered = [
        appointment_words(a)
        for a in cf.appointments
        if a["status"] == "booked" and a["starts_at"][:10] > cf.events("session")[-1]["date"]
    ]
    actions = cf.field("absence_actions")
    fields.update(
        absences=found,
        absence_count=str(len(found)),
        last_absence=found[-1]["date"],
        sessions_attended=str(len(attended)),
        last_attended=when(attended[-1]["date"]) if attended else "",
        absence_actions=actions,
        offered=offered,
        breach_decision=breach_decision_text(cf, len(found)),
        subject=f"Unacceptable absence from the Mental Health Treatment Requirement ({len(found)} in the order)",
    )
    if not actions:
        warnings.append(
            f"nothing recorded about re-engaging the person (mhtr-tui assessment set {cf.ref} --absence-actions TEXT)"
        )
    missing = missing_of(fields, REQUIRED)
    title = "Non-attendance letter to the Responsible Officer"
    return Draft("non-attendance", TEMPLATE, title, fields, warnings, missing)
