"""Archiving a case: put away, never deleted (``mhtr-tui client archive REF --reason TEXT`` and ``unarchive``).

Clinical records are archived, not deleted (DESIGN.md, "Data protection"): the database refuses to delete them,
so "remove this case" (opened by mistake, a duplicate, transferred to another service, long closed) is an
archive with a reason. What an archived case means everywhere else:

- it leaves the Caseload and ``client list`` (``client list --archived`` lists archived cases, with why);
- its open tasks leave Today and ``tasks`` (one case's own list, ``tasks --client REF``, still shows them) and
  come back as they were if it is unarchived, so nothing is closed on its behalf;
- no event is recorded and no session booked on it until it is unarchived (its tasks would be made out of
  sight); archiving is refused while it has appointments booked ahead, which would otherwise stay in the Diary
  and in the weekly share with probation;
- the monthly return still counts it for what happened while it was open (a past month's figures do not
  change because a case was put away later), and a subject access request still shows all of it, reason too.

Both actions are one transaction each and audited like every other change (who, when, old and new values).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from db import appointments as appdb
from db import records as rec
from db.database import Database
from db.transaction import transaction
from records.clients import require_case
from vocabulary.identity import ValidationError
from vocabulary.text import one_line


@dataclass(frozen=True)
class Archived:
    """The outcome of an archive or unarchive: the case, and when and why it is archived (None once back)."""

    ref: str
    archived_at: str | None
    reason: str | None


def archive_case(db: Database, ref: str, reason: str, now: datetime) -> Archived:
    """Archive the case ``ref`` with ``reason``; refused (nothing written) if unknown, already archived, without
    a reason, or with appointments booked from ``now`` on (cancel them first)."""
    from records.appointments import to_iso

    reason = one_line(reason, "reason")
    if not reason:
        raise ValidationError("archiving a case needs a reason (--reason TEXT)")
    with transaction(db):
        case = require_case(db, ref)
        if case["case_archived_at"]:
            raise ValidationError(f"{case['ref']} is already archived ({case['case_archive_reason'] or 'no reason'})")
        ahead = appdb.booked_after(db, case["case_id"], to_iso(now))
        if ahead:
            ids = ", ".join(str(a["id"]) for a in ahead)
            raise ValidationError(
                f"{case['ref']} has {len(ahead)} appointment(s) booked ahead ({ids}); cancel them first "
                "(mhtr-tui appointment cancel ID), then archive"
            )
        stamp = rec.now_iso()
        rec.set_case_archived(db, case["case_id"], stamp, reason)
    return Archived(case["ref"], stamp, reason)


def unarchive_case(db: Database, ref: str) -> Archived:
    """Bring an archived case back into the Caseload and Today, its open tasks as they were; refused unless it is
    archived. The audit trail keeps when and why it had been archived."""
    with transaction(db):
        case = require_case(db, ref)
        if not case["case_archived_at"]:
            raise ValidationError(f"{case['ref']} is not archived")
        rec.set_case_archived(db, case["case_id"], None, None)
    return Archived(case["ref"], None, None)


def archived_cases(db: Database) -> list[dict]:
    """Every archived case: ``ref``, ``name``, ``archived_at`` (UTC) and ``reason``, in case order."""
    return [
        {"ref": r["ref"], "name": r["name"], "archived_at": r["archived_at"], "reason": r["archive_reason"]}
        for r in rec.archived_cases(db)
    ]
