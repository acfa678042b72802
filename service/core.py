"""The domain service: one object per run holding the database, the clock, the checklist and the settings, with
the actions both front ends call.

The command line builds one for each command (``cli.common.open_service``) and the app one when its database
opens (``MhtrApp.service``). Everything that depends on *when* or on *which checklist* is decided here once and
passed down as plain values: a domain function is given ``today``, ``now`` and the loaded ``Checklist`` by its
caller and never reads the wall clock or the checklist file itself. A test makes the whole program run on a
fixed day with ``Service(db, Clock.fixed(day))``.

The methods are thin on purpose: the rules live in the domain modules they call (``records``, ``letters``,
``exports``), and this object only supplies the run's clock, checklist and settings, so the app and the command
line cannot record the same thing two ways. They are grouped by what the front ends do, a module each
(``service.cases``, ``service.tasks``, ``service.diary``, ``service.documents``, ``service.returns``), and this
module holds what the run is made of (database, clock, checklist, settings) and combines them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

from checklists.model import Checklist, ChecklistError, load
from db import records as rec
from db.database import Database
from service.cases import Cases
from service.clock import Clock
from service.diary import Diary
from service.documents import Documents
from service.returns import Returns
from service.tasks import Tasks
from vocabulary.identity import ValidationError

if TYPE_CHECKING:
    from questionnaires.options import ScoringOptions

CHECKLIST_SETTING = "checklist_file"


def checklist_of(db: Database) -> Checklist:
    """The checklist a database is kept with: the file named in its ``checklist_file`` setting, else
    ``MHTR_CHECKLIST``, else the bundled C&P checklist. Read through ``checklists.model.load``'s cache (keyed on
    the file's modification time), so an edit to a service's copy applies from the next action.

    The one place a service's checklist is chosen: domain functions are given it (``checklist=``) by their caller.
    """
    return load(rec.get_setting(db, CHECKLIST_SETTING))


class Service(Cases, Tasks, Diary, Documents, Returns):
    """The database, clock, checklist and settings of one run, and the actions on them (grouped by what the front
    ends do, one mixin a module: cases and events, tasks and the reads, the diary, documents, the return and
    import)."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or Clock()

    # ---- what the run is made of ---------------------------------------------------------------------
    @property
    def today(self) -> date:
        return self.clock.today()

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def checklist(self) -> Checklist:
        """The service's checklist (see ``checklist_of``). A file that cannot be used (edited while the app runs)
        is a refusal like any other: one line naming the file, the line and what is wrong, and nothing written."""
        try:
            return checklist_of(self.db)
        except ChecklistError as exc:
            raise ValidationError(str(exc)) from None

    @property
    def settings(self) -> dict[str, str]:
        """Every stored setting, as stored."""
        return rec.all_settings(self.db)

    @property
    def scoring(self) -> ScoringOptions:
        """The service's scoring settings (SPEC's L-grade choices), its defaults where none is stored."""
        from records.questionnaire_records import scoring_options

        return scoring_options(self.db)

    def save_settings(self, values: Mapping[str, str | None]) -> dict[str, str]:
        """Check and store several settings at once (all or none); returns what was stored."""
        from service.settings import save_settings

        return save_settings(self.db, dict(values))

    def save_setting(self, key: str, value: str | None) -> str:
        """Check and store one setting; returns the value stored."""
        from service.settings import save_setting

        return save_setting(self.db, key, value)

    def settings_view(self) -> list[dict]:
        """Every known setting with its label, value and whether it is set, as the settings screens list them."""
        from service.settings import settings_view

        return settings_view(self.db)

