"""The service's tasks and what the screens and commands read of the caseload: a task, ticking, skipping,
moving and undoing it, the weekly and monthly tasks, the task lists, a case's detail, the caseload, the clocks and
the glances. A mixin of ``service.core.Service``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from service.part import ServicePart

if TYPE_CHECKING:
    from records.task_actions import TaskChange


class Tasks(ServicePart):
    """Tasks and the reads of the caseload: the service's actions (see ``service.core.Service``)."""

    # ---- tasks ---------------------------------------------------------------------------------------
    def task(self, task_id: int | str) -> dict:
        """The task, refused in one line if there is none."""
        from records.task_actions import require_task

        return require_task(self.db, task_id)

    def find_task(self, task_id: int) -> dict | None:
        """The task, or None if it has gone (a screen holding an old id)."""
        from db.tasks import get_task

        return get_task(self.db, task_id)

    def task_counts(self, horizon: date) -> dict[str, int]:
        """Open tasks overdue, due today and due up to ``horizon`` (Today's header)."""
        from db.tasks import task_counts

        return task_counts(self.db, self.today, horizon)

    def tick(self, task_id: int | str) -> TaskChange:
        from records.task_actions import tick

        return tick(self.db, task_id)

    def skip(self, task_id: int | str, reason: str) -> TaskChange:
        from records.task_actions import skip

        return skip(self.db, task_id, reason)

    def reschedule(self, task_id: int | str, when: str | date) -> TaskChange:
        from records.task_actions import reschedule

        return reschedule(self.db, task_id, when, self.today)

    def undo(self, change: TaskChange) -> TaskChange:
        from records.task_actions import undo

        return undo(self.db, change)

    def ensure_recurring(self, horizon_days: int = 7) -> int:
        from records.task_actions import ensure_recurring

        return ensure_recurring(self.db, self.today, horizon_days, checklist=self.checklist)

    # ---- what the screens and commands read ----------------------------------------------------------
    def tasks(self, scope: str = "today", ref: str | None = None, first: int | None = None) -> list[dict]:
        """Open tasks for ``scope`` in work order (``records.views.tasks``; ``first``: only the first so many)."""
        from records.views import tasks

        return tasks(self.db, self.today, scope, ref, checklist=self.checklist, first=first)

    def case_detail(self, ref: str) -> dict:
        from records.views import case_detail

        return case_detail(self.db, ref, self.today, checklist=self.checklist)

    def caseload(self) -> list[dict]:
        from records.views import caseload

        return caseload(self.db, self.today)

    def clocks(self, ref: str) -> list[dict]:
        from records.clocks import clocks_for_case

        return clocks_for_case(self.db, ref, self.today, self.checklist)

    def clock_alerts(self) -> list[dict]:
        from records.clocks import clock_alerts

        return clock_alerts(self.db, self.today, self.checklist)

    def case_glance(self, ref: str) -> dict:
        from records.sessions import case_glance

        return case_glance(self.db, ref, self.now(), self.checklist)

    def diary_glance(self) -> dict:
        from records.sessions import diary_glance

        return diary_glance(self.db, self.now(), self.checklist)

