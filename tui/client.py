"""Client: who they are, what has happened (timeline) and their checklist grouped by stage."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import ContentSwitcher, DataTable, Header, Static

from records.app_done import BY_APP, done_by_app
from records.views import STATUS_MARK
from tui.audit_view import AuditView
from tui.fit import fit
from tui.footer import KeysFooter
from tui.lifecycle import LiveScreen
from tui.markup import plain
from tui.outcomes_view import OutcomesView
from tui.reload import ReloadOnResume
from tui.task_table import ChecklistTable, PagedTable, TaskTable, due_text, show_rows
from vocabulary.dates import uk
from vocabulary.identity import gp_words

VIEWS = ("checklist", "timeline", "details", "outcomes", "audit")


class ClientScreen(ReloadOnResume, LiveScreen):
    BINDINGS = [
        Binding("e", "record_event", "Event"),
        Binding("r", "correct_event", "Correct"),
        Binding("s", "score", "Score"),
        Binding("1", "view('checklist')", "Views", key_display="1-4,6"),
        Binding("2", "view('timeline')", "Timeline", show=False),
        Binding("3", "view('details')", "Details", show=False),
        Binding("4", "view('outcomes')", "Outcomes", show=False),
        Binding("6", "view('audit')", "Changes", show=False),
        Binding("l", "letters", "Letters"),
        Binding("A", "assessment", "Assess"),
        Binding("escape", "app.pop_screen", "Back", show=False),  # as everywhere (help says so): room for the rest
    ]

    def __init__(self, ref: str) -> None:
        super().__init__()
        self.ref = ref.upper()
        self.detail: dict = {}
        self._stale: set[str] = set(VIEWS)  # views not filled since the case was last read

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="client-summary", classes="summary")
        with ContentSwitcher(initial="checklist", id="client-views"):
            yield ChecklistTable(id="checklist")
            yield PagedTable(id="timeline", cursor_type="row")
            with VerticalScroll(id="details"):
                yield Static(id="details-text")
            yield OutcomesView(id="outcomes")
            yield AuditView(id="audit")
        # The highlighted event whole (a reason is often longer than the timeline's column at 80), as typed.
        yield Static(id="timeline-detail", classes="hidden", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        tasks = self.query_one(TaskTable)
        tasks.add_column("", width=3, key="mark")
        tasks.add_column("Due", width=9, key="due")
        tasks.add_column("Task", key="task")
        timeline = self.query_one("#timeline", DataTable)
        timeline.add_column("Date", width=10)
        timeline.add_column("Event", width=24)
        timeline.add_column("Details")
        self.refresh_data()
        tasks.focus()

    def refresh_data(self) -> None:
        app = self.app
        try:
            self.detail = d = app.service.case_detail(self.ref)
        except Exception as exc:  # the case vanished (another copy archived it): go back, say why
            self.notify(str(exc), severity="error")
            self.app.pop_screen()
            return
        self.sub_title = self.ref
        sessions = f"   sessions {d['sessions_attended']}/{d['sessions_planned']}" if d["sessions_planned"] else ""
        if d.get("order_end"):
            sessions += f"   order ends {uk(d['order_end'])}"
        nhs = d["nhs_number_display"] or "—"
        self.query_one("#client-summary", Static).update(
            f"[b]{d['ref']}  {plain(d['name'])}[/b]   born {uk(d['dob'])}   NHS {nhs}\n"
            f"Stage: [b]{d['stage_label']}[/b]{sessions}{self._archived(d)}   GP: {plain(gp_words(d) or '—')}   "
            f"RO: {plain(d['ro_name'] or '—')}" + self._diary_line()
        )
        # Only the view on screen is filled now; the others when they are first shown (the outcomes rescore
        # every form and the history reads the audit trail: most of the time of opening a client).
        self._stale = set(VIEWS)
        self._fill_view(self.query_one(ContentSwitcher).current or "checklist")
        self.shown_current()

    def _fill_view(self, name: str) -> None:
        """Fill view ``name`` from what was read last, if it has not been since."""
        if name not in self._stale:
            return
        self._stale.discard(name)
        d = self.detail
        if name == "checklist":
            self._fill_tasks(d)
        elif name == "timeline":
            self._fill_timeline(d)
        elif name == "details":
            self._fill_details(d)
        elif name == "outcomes":
            self._fill_outcomes()
        elif name == "audit":
            self._fill_audit()

    @staticmethod
    def _archived(d: dict) -> str:
        """' ARCHIVED (why)' for an archived case: it is out of the Caseload and Today, and takes no new records."""
        if not d.get("case_archived_at"):
            return ""
        return f"   [b red]ARCHIVED[/] ({plain(d.get('case_archive_reason') or 'no reason given')})"

    def _diary_line(self) -> str:
        """A third summary line, when there is one: next appointment and the guidance clocks still running."""
        from tui.glances import clocks_line

        line = clocks_line(self.app.service.case_glance(self.ref), self.app.today)
        self.query_one("#client-summary", Static).styles.height = "auto" if line else 2
        return "\n" + line if line else ""

    def _fill_tasks(self, d: dict) -> None:
        table = self.query_one(TaskTable)
        keep = table.current_task_id()
        table.tasks = {}
        order = {s.id: i for i, s in enumerate(self.app.service.checklist.stages)}
        rows = sorted(d["tasks"], key=lambda t: (order.get(t["stage"], 99), t["due"], t["id"]))
        last_stage = None
        width = max(20, self.size.width - 20)
        shown = []
        for t in rows:
            table.tasks[t["id"]] = t
            if t["stage"] != last_stage:
                # A heading row per stage; its key is not a task id, so task keys ignore it.
                shown.append((f"stage:{t['stage']}", ("", "", Text(t["stage_title"], style="bold underline"))))
            last_stage = t["stage"]
            style = "" if t["status"] == "open" else "dim"
            title = ("! " if t["urgent"] else "") + t["title"]
            if t["urgent"] and t["status"] == "open":
                style = "bold red"
            if t["status"] == "skipped" and t["reason"]:
                title += f" ({t['reason']})"
            mark = f" ({BY_APP})" if t["status"] == "done" and done_by_app(t["reason"]) else ""
            room = width - len(mark)  # the app's mark stays in view when the title is cut
            title = fit(title, room) + mark
            cells = (
                Text(STATUS_MARK[t["status"]], style=style),
                due_text(t["due"], self.app.today, t["status"]),
                Text(title, style=style),
            )
            shown.append((str(t["id"]), cells))
        if keep is None:  # first showing: start on the first open task, not on a heading
            keep = next((t["id"] for t in rows if t["status"] == "open"), None)
        table.show_tasks(shown, keep)

    def _fill_timeline(self, d: dict) -> None:
        """The events, one a row; details longer than their column end in "…" at a word, and the line under the
        table gives the highlighted event's details whole."""
        table = self.query_one("#timeline", DataTable)
        width = max(20, self.size.width - 42)  # beside the date, the event's name, cell padding and a scrollbar
        show_rows(table, [(str(e["id"]), (uk(e["date"]), e["label"], fit(e["summary"], width)))
                          for e in d["events"]])
        self._describe_event(table)

    def _describe_event(self, table: DataTable) -> None:
        events = {str(e["id"]): e for e in self.detail.get("events", [])}
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value if table.row_count else None
        e = events.get(key)
        line = f"{uk(e['date'])}  {e['label']}" + (f": {e['summary']}" if e["summary"] else "") if e else ""
        self.query_one("#timeline-detail", Static).update(line or "No events recorded yet.")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "timeline":
            self._describe_event(event.data_table)

    def _fill_details(self, d: dict) -> None:
        labels = (
            ("Address", "address"),
            ("Postcode", "postcode"),
            ("Phone", "phone"),
            ("Gender", "gender"),
            ("Ethnicity", "ethnicity"),
            ("GP practice", "gp_practice"),
            ("GP address", "gp_address"),
            ("GP registered", "gp_registered"),
            ("Referral source", "referral_source"),
            ("Offence", "offence_type"),
            ("Court", "court"),
            ("Responsible Officer", "ro_name"),
            ("RO contact", "ro_contact"),
            ("Risk level (probation)", "risk_level"),
            ("Accommodation", "accommodation"),
            ("Disability", "disability"),
            ("Caring", "caring"),
            ("Armed forces", "armed_forces"),
            ("Looked after / care leaver", "looked_after"),
            ("EHC plan", "ehc_plan"),
            ("Pregnancy", "pregnancy"),
        )
        lines = [f"[b]{label}:[/b] {plain(str(d.get(key) or '—'))}" for label, key in labels]
        if d["other_cases"]:
            lines.append(f"[b]Other cases:[/b] {', '.join(d['other_cases'])}")
        self.query_one("#details-text", Static).update("\n".join(lines))

    def _fill_outcomes(self) -> None:
        self.query_one(OutcomesView).show(self.app.service.outcomes(self.ref))

    def _fill_audit(self) -> None:
        self.query_one(AuditView).show(self.app.service.audit(self.ref))

    def action_score(self) -> None:
        """Enter a questionnaire for this client. The timepoint defaults to the highlighted checklist item's when
        it asks for scoring, else to what the case's stage implies (``session 4`` in treatment, not "pre");
        either can be changed on the form."""
        from records.questionnaire_records import timepoint_for_task
        from tui.questionnaire_entry import enter_questionnaire

        def start(timepoint: str) -> None:
            enter_questionnaire(self.app, self.ref, timepoint, lambda _stored: self.reload_if_changed())

        table = self.query_one(TaskTable)
        task = table.tasks.get(table.current_task_id() or -1)
        if task and task.get("action") == "score":
            start(timepoint_for_task(task["key"]))
        else:
            self.app.attempt(lambda: self.app.service.timepoint(self.ref), start)

    def action_letters(self) -> None:
        """The Letters menu: preview, warnings, then the .docx (opens on the highlighted task's document)."""
        from tui.letters import open_letters

        table = self.query_one(TaskTable)
        task = table.tasks.get(table.current_task_id() or -1)
        open_letters(self.app, self.ref, task.get("action") if task else None, self.reload_if_changed)

    def action_assessment(self) -> None:
        """The assessment record form (editable until the court report is sent)."""
        from tui.assessment_form import AssessmentForm

        self.app.push_screen(AssessmentForm(self.ref), lambda _: self.reload_if_changed())

    def action_record_event(self) -> None:
        from tui.session_forms import open_event_form

        open_event_form(self.app, self.ref, self.reload_if_changed)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Correcting an event is offered only while the timeline is showing."""
        if action == "correct_event":
            switcher = self.query(ContentSwitcher)
            # Hidden (not just dimmed) elsewhere: the footer has no room to spare at 80 columns.
            return bool(switcher and switcher.first().current == "timeline")
        return True

    def action_view(self, name: str) -> None:
        self._fill_view(name)
        self.query_one(ContentSwitcher).current = name
        self.query_one("#timeline-detail").set_class(name != "timeline", "hidden")
        self.query_one(f"#{name}").focus()
        self.refresh_bindings()

    def action_correct_event(self) -> None:
        """On the timeline, r corrects the highlighted event (a new entry; the old one is kept)."""
        from tui.session_forms import open_event_form

        if self.query_one(ContentSwitcher).current != "timeline":
            self.notify("Open the timeline (2) and pick the event to correct.", timeout=3)
            return
        table = self.query_one("#timeline", DataTable)
        if table.row_count == 0:
            return
        event_id = int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        event = next(e for e in self.detail["events"] if e["id"] == event_id)
        open_event_form(self.app, self.ref, self.reload_if_changed, corrects=event)

    def on_task_table_task_action(self, message: TaskTable.TaskAction) -> None:
        self.app.task_action(message.verb, message.task_id, self.refresh_data)
