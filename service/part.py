"""What every group of the service's actions works with, as the type checker sees it.

``service.core.Service`` is the database, the run's clock and its checklist; the actions both front ends call are
grouped by what the front ends do (``service.cases``, ``service.tasks``, ``service.diary``, ``service.documents``,
``service.returns``), each a mixin that ``Service`` combines. Each group is written against this class: the
database and the clock are attributes, and the day, the minute and the checklist are ``Service``'s (declared here
for the type checker only, so the one definition of each stays in ``service.core``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from checklists.model import Checklist
from db.database import Database
from service.clock import Clock


class ServicePart:
    """The run every group of actions is given: ``db`` and ``clock`` (set by ``Service``), ``today``, ``now()``
    and ``checklist`` (defined by ``Service``)."""

    db: Database
    clock: Clock

    if TYPE_CHECKING:

        @property
        def today(self) -> date: ...

        def now(self) -> datetime: ...

        @property
        def checklist(self) -> Checklist: ...
