"""The assessment record: the topics of seed 004 Appendix 1 as fields, which the court report and letters draw on.

The practitioner fills it during or after the assessment interview (in the app or with ``mhtr-tui assessment
set``). What went to court must stay as it was sent, so once the court report is sent (a ``court-report-sent``
event) the assessment and report fields are refused with the reason; the outcome fields (signposting after a
decline, and the end-of-treatment summary for the completion letter) stay editable for the life of the case.
"""

from __future__ import annotations

from datetime import date

from db import assessments as adb
from db import records as rec
from db.database import Database
from db.transaction import transaction
from letters.assessment_fields import FIELD_NAMES, FIELDS, LABELS, AssessmentField  # noqa: F401 (re-exported)
from letters.text import clean_text
from records.clients import require_case, require_not_archived
from vocabulary.dates import uk
from vocabulary.identity import ValidationError

MAX_FIELD = 20_000
LOCKED_GROUPS = frozenset({"assessment", "report"})


def field_name(text: str) -> str:
    """The field meant by ``text`` (``drugs-alcohol``, ``Drugs_Alcohol`` or an unambiguous start like ``social``)."""
    wanted = "_".join((text or "").strip().lower().replace("-", " ").replace("_", " ").split())
    if wanted in FIELD_NAMES:
        return wanted
    starts = [n for n in FIELD_NAMES if n.startswith(wanted)] if wanted else []
    if len(starts) == 1:
        return starts[0]
    raise ValidationError(f"unknown assessment field {text!r}; fields are: {', '.join(FIELD_NAMES)}")


def _report_sent(events: list[dict], row: dict | None) -> str | None:
    """The date the court report was sent (ISO), from its event or the record's own mark; None if not sent."""
    sent = [e["date"] for e in events if e["kind"] == "court-report-sent"]
    if sent:
        return min(sent)
    if row and row.get("sent_at"):
        return str(row["sent_at"])[:10]
    return None


def _assessment_date(events: list[dict], row: dict | None, today: date) -> str:
    dates = [e["date"] for e in events if e["kind"] == "assessment"]
    if dates:
        return max(dates)
    return row["date"] if row else today.isoformat()


def _view(ref: str, events: list[dict], row: dict | None) -> dict:
    sent = _report_sent(events, row)
    stored = row["fields"] if row else {}
    assessed = [e["date"] for e in events if e["kind"] == "assessment"]
    return {
        "ref": ref,
        "date": max(assessed) if assessed else (row["date"] if row else None),
        "fields": {name: stored.get(name, "") for name in FIELD_NAMES},
        "report_sent": sent,
        "locked": (
            f"the court report was sent on {uk(sent)}; the assessment is kept as it was sent "
            f"(still editable: {', '.join(f.name for f in FIELDS if f.group not in LOCKED_GROUPS)})"
            if sent
            else None
        ),
        "editable": [f.name for f in FIELDS if not sent or f.group not in LOCKED_GROUPS],
        "updated_at": row["updated_at"] if row else None,
    }


def get_assessment(db: Database, ref: str) -> dict:
    """The case's assessment record: ``{ref, date, fields (every name, '' if empty), report_sent, locked,
    editable, updated_at}``; a case with no record yet gives every field ''."""
    case = require_case(db, ref)
    events = rec.events_of_case(db, case["case_id"])
    return _view(case["ref"], events, adb.assessment_of_case(db, case["case_id"]))


def save_assessment(db: Database, ref: str, fields: dict[str, str | None], today: date) -> dict:
    """Set some fields of the record (an empty value clears one); all or nothing. Returns the record as saved.

    Refused with the reason: an unknown field, a field longer than 20,000 characters, or an assessment or
    report field once the court report has been sent.
    """
    clean: dict[str, str] = {}
    for key, value in fields.items():
        name = field_name(key)
        text = clean_text(value)
        if len(text) > MAX_FIELD:
            raise ValidationError(f"{name} is longer than {MAX_FIELD:,} characters")
        clean[name] = text
    if not clean:
        raise ValidationError("no assessment field given")
    with transaction(db):
        case = require_case(db, ref)
        require_not_archived(case)
        events = rec.events_of_case(db, case["case_id"])
        row = adb.assessment_of_case(db, case["case_id"])
        sent = _report_sent(events, row)
        groups = {f.name: f.group for f in FIELDS}
        blocked = [n for n in clean if sent and groups[n] in LOCKED_GROUPS]
        if blocked:
            raise ValidationError(
                f"{case['ref']}: {', '.join(blocked)} cannot change: {_view(case['ref'], events, row)['locked']}"
            )
        merged = dict(row["fields"]) if row else {}
        for name, text in clean.items():
            if text:
                merged[name] = text
            else:
                merged.pop(name, None)
        day = _assessment_date(events, row, today)
        if row is None:
            adb.insert_assessment(db, case["case_id"], day, merged)
        else:
            adb.update_assessment(db, row["id"], day, merged)
        return _view(case["ref"], events, adb.assessment_of_case(db, case["case_id"]))
