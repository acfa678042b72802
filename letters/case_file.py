"""Everything a document may draw on for one case, read once, so the context builders stay pure.

``gather`` reads the case detail (``records.views.case_detail``), the stored questionnaires with their scores
recomputed, the assessment record, the case's appointments and the service settings; the builders in
``letters/`` then work on this plain value only, and their tests need no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.database import Database
from questionnaires import DEFAULT, ScoringOptions


@dataclass(frozen=True)
class CaseFile:
    """One case as the documents see it: ``detail`` (``records.views.case_detail``), the scored questionnaire
    ``administrations``, the ``assessment`` record, the service ``settings``, the day the document is dated and
    the service's ``scoring`` options, which change and recovery in a letter must use, as the screens do, and the
    case's ``appointments`` (rows of the diary, every status, in time order)."""

    detail: dict
    administrations: list[dict]
    assessment: dict
    settings: dict[str, str]
    today: date
    scoring: ScoringOptions = DEFAULT
    appointments: tuple[dict, ...] = ()

    @property
    def ref(self) -> str:
        return self.detail["ref"]

    def events(self, kind: str) -> list[dict]:
        """The case's events of ``kind`` in date order (corrected entries already left out)."""
        return [e for e in self.detail["events"] if e["kind"] == kind]

    def last(self, kind: str) -> dict | None:
        found = self.events(kind)
        return found[-1] if found else None

    def field(self, name: str) -> str:
        """One field of the assessment record ('' if empty)."""
        return self.assessment["fields"].get(name) or ""


def gather(db: Database, ref: str, today: date) -> CaseFile:
    """Read everything a document of case ``ref`` may need (ValidationError if there is no such case)."""
    from db.appointments import appointments_of_case
    from letters.assessment import get_assessment
    from letters.settings import service_settings
    from records.questionnaire_records import scored_administrations, scoring_options
    from records.views import case_detail

    detail = case_detail(db, ref, today)
    return CaseFile(
        detail=detail,
        administrations=scored_administrations(db, detail["case_id"]),
        assessment=get_assessment(db, detail["ref"]),
        settings=service_settings(db),
        today=today,
        scoring=scoring_options(db),
        appointments=tuple(appointments_of_case(db, detail["case_id"])),
    )
