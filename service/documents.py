"""The service's questionnaires and documents: scoring and storing a questionnaire, the outcomes, the assessment
record, drafting and writing a letter or report, and the weekly share with the responsible officers. A mixin of
``service.core.Service``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from service.part import ServicePart

if TYPE_CHECKING:
    from letters.common import Draft
    from letters.documents import Written
    from letters.weekly_share import WeekShare
    from letters.weekly_share_writer import ShareResult


class Documents(ServicePart):
    """Questionnaires, documents and the weekly share: the service's actions (see ``service.core.Service``)."""

    # ---- questionnaires ------------------------------------------------------------------------------
    def outcomes(self, ref: str) -> dict:
        """The case's scores first to last of treatment (``questionnaires.course``), as the Client screen shows."""
        from records.questionnaire_records import outcomes

        return outcomes(self.db, ref)

    def timepoint(self, ref: str) -> str:
        """The timepoint a questionnaire given today belongs to, from the case's stage."""
        from records.questionnaire_records import timepoint_for_case

        return timepoint_for_case(self.db, ref, self.today)

    def add_questionnaire(
        self, ref: str, instrument: str, responses: list, when: str | date | None = None, timepoint: str | None = None
    ) -> dict:
        from records.questionnaire_records import add_questionnaire

        return add_questionnaire(
            self.db, ref, instrument, responses, when, timepoint, self.today, checklist=self.checklist
        )

    # ---- documents and exports -----------------------------------------------------------------------
    def assessment(self, ref: str) -> dict:
        """The case's assessment record (typed fields for the court report and letters)."""
        from letters.assessment import get_assessment

        return get_assessment(self.db, ref)

    def save_assessment(self, ref: str, fields: Mapping[str, str | None]) -> dict:
        from letters.assessment import save_assessment

        return save_assessment(self.db, ref, dict(fields), self.today)

    def document_availability(self, ref: str) -> dict[str, str | None]:
        """Each document kind: None if it can be written for the case now, else why not."""
        from letters.documents import availability

        return availability(self.db, ref, self.today)

    def documents(self, ref: str) -> list[dict]:
        """The documents written for the case, newest first."""
        from letters.documents import documents_of

        return documents_of(self.db, ref)

    def draft(self, kind: str, ref: str) -> Draft:
        """What a document would say today, and what is missing from it; writes nothing."""
        from letters.documents import draft

        return draft(self.db, kind, ref, self.today)

    def write_document(
        self, kind: str, ref: str, path: Path | str | None = None, *, confirmed: bool = False
    ) -> Written:
        """Write a document (``confirmed``: the question its preview asks has been answered yes); its file
        properties carry the moment it is written."""
        from letters.documents import write_document

        return write_document(
            self.db, kind, ref, path, today=self.today, checklist=self.checklist, confirmed=confirmed
        )

    def preview_document(self, kind: str, ref: str) -> tuple[dict, list[str]]:
        from letters.documents import preview

        return preview(self.db, kind, ref, self.today)

    def week_share(self, week: date | None = None) -> WeekShare:
        """The weekly share of the week containing ``week`` (default: this week), built but not written."""
        from letters.weekly_share import build_share

        return build_share(self.db, week or self.today, self.now())

    def write_share(self, share: WeekShare, out_dir: Path | str) -> ShareResult:
        """Write a built share (``week_share``) and, when due, tick the week's diary task."""
        from letters.weekly_share_writer import write_share

        return write_share(self.db, share, out_dir, today=self.today, now=self.now(), checklist=self.checklist)

    def share_week(self, out_dir: Path | str, week: date | None = None) -> ShareResult:
        return self.write_share(self.week_share(week), out_dir)

