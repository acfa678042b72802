"""The navigation matrix: every screen, form and prompt reached by keys at 80x24 with the write it allows made
first (tick, skip, record an event, book, log a session, a questionnaire, an import, the monthly return), then
the screen-switching keys (t c w n m i ?), escape and q. After every key the app must still be running and show
the screen that key leads to. Run on the demo caseload and on an empty database.

The bug this guards against lives between screens: a write queues a reload, a key replaces the screen, and the
queued work lands on a screen that has gone (tui.lifecycle). So a key that leaves a screen is pressed after a
fresh arrival and write of its own. Every full screen meets every key that way; each further kind of write on it
meets t (every screen replaced) and escape (back to a screen that reloads). Forms and prompts are modal: the
letters are typed into them or refused, and escape goes back; their keys do not depend on the data, so they
run on the demo database only. One app runs per group of screens, to keep the matrix to about a minute.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Select, TextArea

from db.connection import connect
from db.records import count_clients, get_setting
from demo.generator import fill_demo
from service.core import checklist_of
from tests.conftest import made
from tests.import_support import write_caseload
from tui.app import MhtrApp
from tui.assessment_form import AssessmentForm
from tui.caseload import CaseloadScreen
from tui.client import ClientScreen
from tui.diary import DiaryScreen
from tui.diary_forms import BookScreen, CancelScreen, MoveScreen
from tui.export_screen import ExportScreen
from tui.forms import AddClientScreen, EventScreen
from tui.help import HelpScreen
from tui.import_screen import FieldPicker, ImportScreen
from tui.letters import LettersScreen, ServiceSettingsForm
from tui.prompts import ConfirmPrompt, TextPrompt
from tui.questionnaire_entry import InstrumentPicker, QuestionnaireScreen
from tui.return_tables import TablesScreen
from tui.session_forms import EntryScreen, OutcomePicker, SessionLogScreen
from tui.today import TodayScreen

TODAY = date(2026, 11, 20)  # a Friday
SIZE = (80, 24)
QUIT, SAME, BACK = "quit", "same", "back"  # BACK: the very screen below the one the key was pressed on
# Where each screen-switching key leads from a full screen whose letters are not taken by a field.
SWITCH = {
    "t": TodayScreen,
    "c": CaseloadScreen,
    "w": DiaryScreen,
    "n": AddClientScreen,
    "m": ExportScreen,
    "i": ImportScreen,
    "question_mark": HelpScreen,
}
KEYS = (*SWITCH, "escape", "q")
OPENING = ("n", "m", "i", "question_mark")  # open a screen over the one they are pressed on; escape comes back
EVERY_KEY = KEYS
LEAVING = ("t", "escape")  # every screen replaced; back to the screen below, which reloads

Step = Callable[..., Awaitable[None]]


@dataclass(frozen=True)
class Journey:
    """A screen: how to reach its base screen, what to do there (the write, or opening a form), and where each key
    leads from it.

    ``typed``: a form or prompt (or a screen whose field has the focus): letters are typed or refused and leave it
    where it is. ``leads`` holds the keys that go elsewhere than ``SWITCH`` says (or than staying, when typed).
    """

    name: str
    base: Step  # to the screen the journey starts from (kept between typed journeys that share it)
    then: Step  # the write, or the keys that open the form
    on: type
    escape: object
    q: object
    keys: tuple[str, ...] = EVERY_KEY
    typed: bool = False
    leads: dict = field(default_factory=dict)
    empty: bool = True  # also run on the empty database (forms and prompts never are: see the module docstring)

    def expected(self, key: str) -> object:
        if key in self.leads:
            return self.leads[key]
        if key == "escape":
            return self.escape
        if key == "q":
            return self.q
        return SAME if self.typed else SWITCH[key]


# ---- keys and fields ----------------------------------------------------------------------------------------------
# Text goes into a field by setting its value (typing it key by key is tested elsewhere and would be most of this
# module's time); every key that acts (enter, ctrl+s, space, t...) is pressed.
async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


def put(app, text: str, field_id: str | None = None) -> None:
    """Put ``text`` in field ``field_id`` (else the focused one), as if typed."""
    box = app.screen.query_one(f"#{field_id}") if field_id else app.focused
    box.focus()
    if isinstance(box, TextArea):
        box.text = text
    else:
        box.value = text


def on(app, screen_class) -> None:
    """Assert the app shows ``screen_class``; if not, say what it shows and the last messages (a refusal)."""
    messages = [n.message for n in list(app._notifications)[-3:]]
    assert isinstance(app.screen, screen_class), f"on {app.screen!r}, not {screen_class.__name__}: {messages}"


def demo(app) -> bool:
    return get_setting(app.db, "demo") == "1"


# ---- base screens -------------------------------------------------------------------------------------------------
async def today(pilot, app) -> None:
    """Today, with a task to act on (the empty database's own weekly and monthly tasks run out after two skips)."""
    if not isinstance(app.screen, TodayScreen):
        app.action_show_today()
        await pilot.pause()
    if app.screen.query_one("#today-tasks").row_count == 0:
        from records import casework, clients

        ref = clients.add_client(app.db, {"name": "Casey Synthetic", "dob": "1980-06-01"}, TODAY)
        casework.record_event(app.db, ref, "screening", TODAY, {}, TODAY, checklist=checklist_of(app.db))
        await press(pilot, "r")


def client(ref: str) -> Step:
    """The Client screen of the demo's ``ref`` (the Client screens run on the demo database: see CASES)."""

    async def base(pilot, app) -> None:
        if not isinstance(app.screen, ClientScreen):
            app.open_client(ref)
            await pilot.pause()

    return base


async def diary(pilot, app) -> None:
    """The Diary, with a sentenced case that has a booking next week (the demo's, or one made here)."""
    if isinstance(app.screen, DiaryScreen):
        return
    if not demo(app) and count_clients(app.db) == 0:
        from records import appointments, casework, clients

        ref = clients.add_client(app.db, {"name": "Robin Synthetic", "dob": "1987-03-14"}, TODAY)
        for kind, data in (
            ("screening", {}),
            ("assessment", {}),
            ("cl-decision", {"decision": "approved"}),
            ("court-outcome", {"outcome": "accepted", "order": "CO", "sessions": 12}),
        ):
            casework.record_event(app.db, ref, kind, "2026-11-02", data, TODAY, checklist=checklist_of(app.db))
        appointments.book_appointment(
            app.db,
            ref,
            datetime(2026, 11, 24, 9),
            mode="phone",
            now=datetime(2026, 11, 10),
            checklist=checklist_of(app.db),
        )
    await press(pilot, "w")
    on(app, DiaryScreen)


async def import_screen(pilot, app) -> None:
    """The Import screen with the sheet read (a caseload workbook beside the database)."""
    if isinstance(app.screen, ImportScreen):
        return
    await press(pilot, "i")
    on(app, ImportScreen)
    put(app, str(app.db_path.with_name("caseload.xlsx")), "import-path")
    await press(pilot, "enter")


async def caseload(pilot, app) -> None:
    """The Caseload, filtered to the Thorntons (and to nobody on the empty database)."""
    await press(pilot, "c", "slash")
    put(app, "thornton")
    await press(pilot, "enter")


async def add_client(pilot, app) -> None:
    """n, a name and date of birth, ctrl+s: the app opens the new client."""
    await press(pilot, "n")
    put(app, "Jordan Synthetic", "f-name")
    put(app, "14/03/1987", "f-dob")
    await press(pilot, "ctrl+s")
    on(app, ClientScreen)


async def nothing(pilot, app) -> None:
    """No write here (a screen without one, or a form opened by its base)."""


def keys(*pressed: str) -> Step:
    async def step(pilot, app) -> None:
        await press(pilot, *pressed)

    return step


# ---- writes and forms: Today -----------------------------------------------------------------------------------------
async def skip(pilot, app):
    await press(pilot, "x")
    on(app, TextPrompt)
    put(app, "done at court")
    await press(pilot, "enter")


# ---- Client ---------------------------------------------------------------------------------------------------------
async def consent(pilot, app) -> None:
    """e, 'Consent given', today, ctrl+s (recordable on any open case, as often as needed)."""
    await press(pilot, "e")
    app.screen.query_one("#e-kind", Select).value = "consent"
    await pilot.pause()
    await press(pilot, "ctrl+s")
    on(app, ClientScreen)


async def questionnaire(pilot, app):
    await press(pilot, "s")
    picker = app.screen.query_one("#instrument-list")
    picker.highlighted = picker.get_option_index("PHQ-9")
    await press(pilot, "enter")
    on(app, QuestionnaireScreen)
    await press(pilot, *"123012301")
    await press(pilot, "ctrl+s")
    on(app, ClientScreen)


async def phq9_entry(pilot, app):
    await press(pilot, "s", "enter")


async def service_details(pilot, app):
    await press(pilot, "l", "s")


# ---- Diary -------------------------------------------------------------------------------------------------------
async def to_booked(pilot, app, past: bool) -> None:
    """The Diary's cursor on a booked appointment: yesterday's (awaiting its outcome) or a coming one (this
    week's, else next week's)."""
    for week in range(2):
        for key, row in app.screen.rows.items():
            booked = row["kind"] == "appointment" and row["status"] == "booked"
            if booked and (row["date"] < TODAY.isoformat()) == past:
                table = app.screen.query_one(DataTable)
                table.move_cursor(row=table.get_row_index(key))
                return
        if past or week:
            break
        await press(pilot, "right_square_bracket")
    raise AssertionError(f"no {'past' if past else 'coming'} booked appointment in {sorted(app.screen.rows)}")


def on_booked(key: str) -> Step:
    async def step(pilot, app):
        await to_booked(pilot, app, past=False)
        await press(pilot, key)

    return step


async def book(pilot, app):
    await on_booked("b")(pilot, app)
    put(app, "next mon", "b-date")
    put(app, "07:15", "b-time")
    put(app, "Brook House", "b-place")
    await press(pilot, "ctrl+s")
    if isinstance(app.screen, ConfirmPrompt):  # it overlaps the one booked by the last arrival: book anyway
        await press(pilot, "y")
    on(app, DiaryScreen)


async def outcome_picker(pilot, app):
    """o on yesterday's appointment (each arrival records one, so each books one first, as if booked last week)."""
    from records import appointments

    ref = "MHTR-0009" if demo(app) else "MHTR-0001"
    hour = 7 + len(app.screen.rows) % 12
    appointments.book_appointment(
        app.db,
        ref,
        datetime(2026, 11, 19, hour, 5),
        mode="phone",
        allow_overlap=True,
        now=datetime(2026, 11, 10),
        checklist=checklist_of(app.db),
    )
    await press(pilot, "home")  # this week (an earlier arrival may have left the Diary on the next)
    await to_booked(pilot, app, past=True)
    await press(pilot, "o")
    on(app, OutcomePicker)


async def session_log(pilot, app):
    await outcome_picker(pilot, app)
    await press(pilot, "1")
    on(app, SessionLogScreen)


async def health_entry(pilot, app):
    await session_log(pilot, app)
    put(app, "no new risk")
    await press(pilot, "ctrl+s")
    on(app, EntryScreen)


async def log_session(pilot, app):
    await health_entry(pilot, app)
    await press(pilot, "escape")


# ---- Month and Import -----------------------------------------------------------------------------------------------
async def tables(pilot, app):
    await press(pilot, "m")
    for _ in range(50):  # the figures are counted in a worker
        if app.screen.sheets:
            break
        await pilot.pause(0.05)
    await press(pilot, "ctrl+t")
    on(app, TablesScreen)


async def import_rows(pilot, app):
    await press(pilot, "ctrl+s")
    if isinstance(app.screen, ConfirmPrompt):  # not when every row is already held (an earlier arrival's import)
        await press(pilot, "y")


T, C, CL, DI, MO, IM = TodayScreen, CaseloadScreen, ClientScreen, DiaryScreen, ExportScreen, ImportScreen
GROUPS: dict[str, list[Journey]] = {
    "today": [
        Journey("today-tick", today, keys("space"), T, escape=T, q=QUIT),
        Journey("today-skip", today, skip, T, escape=T, q=QUIT, keys=LEAVING),
        Journey("skip-prompt", today, keys("x"), TextPrompt, escape=BACK, q=SAME, typed=True),
        Journey("due-prompt", today, keys("d"), TextPrompt, escape=BACK, q=SAME, typed=True),
        Journey(
            "help",
            today,
            keys("question_mark"),
            HelpScreen,
            escape=BACK,
            q=BACK,
            typed=True,
            leads={"question_mark": BACK},
        ),
        Journey("palette", today, keys("ctrl+p"), CommandPalette, escape=BACK, q=SAME, typed=True),
    ],
    "client": [
        Journey("client-event", client("MHTR-0009"), consent, CL, escape=BACK, q=BACK, empty=False),
        Journey("client-tick", client("MHTR-0018"), keys("space"), CL, escape=BACK, q=BACK, keys=LEAVING, empty=False),
        Journey(
            "client-questionnaire",
            client("MHTR-0009"),
            questionnaire,
            CL,
            escape=BACK,
            q=BACK,
            keys=LEAVING,
            empty=False,
        ),
        Journey("event-form", client("MHTR-0009"), keys("e"), EventScreen, escape=BACK, q=SAME, typed=True),
        Journey("assessment-form", client("MHTR-0001"), keys("A"), AssessmentForm, escape=BACK, q=SAME, typed=True),
        Journey("instrument-picker", client("MHTR-0009"), keys("s"), InstrumentPicker, escape=BACK, q=SAME, typed=True),
        Journey(
            "questionnaire-entry", client("MHTR-0009"), phq9_entry, QuestionnaireScreen, escape=BACK, q=SAME, typed=True
        ),
        Journey("letters-menu", client("MHTR-0008"), keys("l"), LettersScreen, escape=BACK, q=SAME, typed=True),
        Journey(
            "service-form", client("MHTR-0008"), service_details, ServiceSettingsForm, escape=BACK, q=SAME, typed=True
        ),
    ],
    "new-client": [
        Journey("added-client", nothing, add_client, CL, escape=BACK, q=BACK),
        Journey("add-client-form", today, keys("n"), AddClientScreen, escape=BACK, q=SAME, typed=True),
    ],
    "caseload": [
        Journey("caseload", caseload, nothing, C, escape=C, q=T),
    ],
    "diary": [
        Journey("diary-session", diary, log_session, DI, escape=DI, q=T),
        Journey("diary-book", diary, book, DI, escape=DI, q=T, keys=LEAVING),
        Journey("book-form", diary, on_booked("b"), BookScreen, escape=BACK, q=SAME, typed=True),
        Journey("move-form", diary, on_booked("v"), MoveScreen, escape=BACK, q=SAME, typed=True),
        Journey("cancel-form", diary, on_booked("x"), CancelScreen, escape=BACK, q=SAME, typed=True),
        Journey("outcome-picker", diary, outcome_picker, OutcomePicker, escape=BACK, q=SAME, typed=True),
        Journey("session-log", diary, session_log, SessionLogScreen, escape=BACK, q=SAME, typed=True),
        Journey("health-entry", diary, health_entry, EntryScreen, escape=BACK, q=BACK, typed=True),
        Journey("share-prompt", diary, keys("s"), TextPrompt, escape=BACK, q=SAME, typed=True),
    ],
    "month-import": [
        Journey("month-tables", nothing, tables, TablesScreen, escape=BACK, q=BACK),
        # the Month screen opens with the month field focused: letters are typed into it
        Journey("month-written", today, keys("m", "ctrl+s"), MO, escape=BACK, q=SAME, typed=True),
        # before the import is made: a second one finds every row already held, and asks nothing
        Journey(
            "import-confirm",
            import_screen,
            keys("ctrl+s"),
            ConfirmPrompt,
            escape=BACK,
            q=SAME,
            typed=True,
            leads={"n": BACK},
        ),
        Journey("field-picker", import_screen, keys("f"), FieldPicker, escape=BACK, q=SAME, typed=True),
        Journey("import", import_screen, import_rows, IM, escape=BACK, q=BACK, leads={"i": SAME}),
    ],
}
CASES = [
    pytest.param(kind, group, id=f"{kind}-{group}")
    for kind in ("demo", "empty")
    for group in GROUPS
    if kind == "demo" or any(j.empty and not j.typed for j in GROUPS[group])
]
# On the empty database the Client screen is that of a client just added, as on the demo one: "new-client" adds
# the first client and switches from it.


# ---- running ---------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo caseload, built once for the module; each group works on its own copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = connect(path, create=True)
    fill_demo(db, 24, 7, TODAY, datetime(2026, 11, 20, 12, 0), checklist=checklist_of(db))
    db.close()
    return path


def _presses(journey: Journey) -> list[list[str]]:
    """The keys in runs, each run pressed after one arrival (with its write).

    A key that replaces or leaves the screen needs an arrival of its own. The keys that leave it where it is, and
    those that open a screen over it (each followed by escape, which comes back), share one. A key that quits is
    pressed last of all (by the test, once the group is done).
    """
    stay, over, own = [], [], []
    for key in journey.keys:
        expected = journey.expected(key)
        if expected is QUIT:
            continue
        if expected is SAME:
            stay.append(key)
        elif key in OPENING and not journey.typed:
            over.append(key)
        else:
            own.append(key)
    return ([stay + over] if stay or over else []) + [[key] for key in own]


async def _settle(pilot, app, journey: Journey) -> None:
    """Every dialog closed; anything stacked on the base screen's own screen popped."""
    while app.screen.is_modal or (len(app.screen_stack) > 2 and not isinstance(app.screen, journey.on)):
        app.pop_screen()
        await pilot.pause()


async def _walk(pilot, app, journey: Journey) -> None:
    for run in _presses(journey):
        await _settle(pilot, app, journey)
        await journey.base(pilot, app)
        await journey.then(pilot, app)
        on(app, journey.on)
        arrived, below = app.screen, app.screen_stack[-2]
        for key in run:
            expected = journey.expected(key)
            await press(pilot, key)
            where = f"{journey.name}: after {key}, {app.screen!r}, expected {expected}"
            assert app.is_running, f"{journey.name}: the app ended after {key}"
            if expected in (SAME, BACK):
                assert app.screen is (arrived if expected is SAME else below), where
            else:
                assert isinstance(app.screen, expected), where
            if key in OPENING and expected is not SAME and not journey.typed:
                await press(pilot, "escape")
                assert app.screen is arrived, f"{journey.name}: escape after {key} left {app.screen!r}"


@pytest.mark.parametrize(("kind", "group"), CASES)
async def test_every_key_after_a_write_on_every_screen(kind, group, demo_file, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # the Import screen looks for spreadsheets in the home folders
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "mhtr.db"
    if kind == "demo":
        shutil.copy(demo_file, path)
    else:
        made(path)
    write_caseload(tmp_path / "caseload.xlsx")
    journeys = [j for j in GROUPS[group] if kind == "demo" or (j.empty and not j.typed)]
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for journey in journeys:
            await _walk(pilot, app, journey)
        quitting = next((j for j in journeys if j.q is QUIT), None)
        if quitting:  # q on Today quits: the last key of the run
            await _settle(pilot, app, quitting)
            await quitting.base(pilot, app)
            await quitting.then(pilot, app)
            await press(pilot, "q")
            assert app.return_code == 0 and not app.is_running
