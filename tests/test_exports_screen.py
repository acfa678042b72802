"""The Month screen driven by keyboard (Textual Pilot): preview, jump to an incomplete case, write, refusals."""

from __future__ import annotations

from db import appointments as appdb
from db import records as rec
from db.connection import connect
from exports.preview import FOLDER_SETTING, check_folder, default_month, preview
from service.core import checklist_of
from tests.exports_support import TODAY, build_caseload
from tui.app import MhtrApp
from tui.client import ClientScreen
from tui.export_screen import ExportScreen
from tui.return_tables import TablesScreen
from vocabulary.identity import ValidationError


async def _settle(app, pilot, delay: float = 0.0) -> None:
    await pilot.pause(delay)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _set(app, pilot, widget_id: str, text: str) -> None:
    """Type ``text`` into a field (long paths are pasted: typing them key by key is slow) and press enter."""
    box = app.screen.query_one(f"#{widget_id}")
    box.focus()
    if len(text) > 10:
        box.value = text
    else:
        box.value = ""
        await pilot.press(*text)
    await pilot.press("enter")
    await _settle(app, pilot, 0.1)


def _figures(app) -> dict[str, tuple[str, str]]:
    table = app.screen.query_one("#x-figures")
    return {str(r.value): tuple(str(v) for v in table.get_row(r)[1:]) for r in table.rows}


def _status(app) -> str:
    return str(app.screen.query_one("#x-status").render())


def test_domain_defaults_and_folder_checks(tmp_path):
    assert default_month(TODAY) == "2026-10"
    (tmp_path / "a-file.txt").write_text("x")
    for bad, message in (("", "give the folder"), (str(tmp_path / "a-file.txt"), "is a file"), ("x.xlsx", "file name")):
        try:
            check_folder(bad)
        except ValidationError as exc:
            assert message in str(exc)
        else:
            raise AssertionError(bad)
    assert check_folder(str(tmp_path / "new")) == tmp_path / "new"


def test_preview_shows_the_suppressed_headlines(db):
    build_caseload(db)
    p = preview(db, "2026-10", TODAY, checklist=checklist_of(db))
    rows = {label: (month, rolling) for label, month, rolling in p.headlines}
    assert rows["Assessed"] == ("<5", "[c]") and rows["Completed"] == ("<5", "[c]")
    assert p.cases == 12 and p.threshold == 5 and p.gaps
    rows = {label: (m, r) for label, m, r in preview(db, "2026-10", TODAY, "0", checklist=checklist_of(db)).headlines}
    assert rows["Assessed"] == (4, 9)


def test_write_month_reports_progress_and_refuses_before_writing(db, tmp_path):
    from exports.preview import write_month
    from tests.conftest import snapshot_counts

    build_caseload(db)
    before = snapshot_counts(db)
    out = tmp_path / "out"
    for month, folder, message in (("2026-13", out, "no month 13"), ("2026-10", "", "give the folder")):
        try:
            write_month(db, month, str(folder), "xlsx", TODAY, checklist=checklist_of(db))
        except ValidationError as exc:
            assert message in str(exc)
        else:
            raise AssertionError(month)
    assert snapshot_counts(db) == before and not out.exists()
    steps: list[tuple[int, int]] = []
    files = write_month(
        db, "2026-10", str(out), "xlsx", TODAY, progress=lambda d, t: steps.append((d, t)), checklist=checklist_of(db)
    )
    assert steps[-1] == (14, 14) and [d for d, _ in steps] == sorted(d for d, _ in steps)  # 12 cases + 2 files
    assert files.ret.path.exists() and files.caseload.path.exists() and files.ret.ticked
    assert dict((label, (m, r)) for label, m, r in files.headlines)["Assessed"] == ("<5", "[c]")


async def test_month_screen_previews_jumps_and_writes(tmp_path):
    path = tmp_path / "m.db"
    db = connect(path, create=True)
    refs = build_caseload(db)
    db.close()
    out = tmp_path / "returns"
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("m")
        await _settle(app, pilot)
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#x-month").value == "2026-10"
        figures = _figures(app)
        assert figures["assessed"] == ("<5", "[c]") and figures["screened"] == ("<5", "[c]")
        assert "12 cases;" in _status(app)
        gaps = app.screen.query_one("#x-gaps")
        assert gaps.row_count == len(app.screen.gap_refs) > 0

        # ctrl+t shows the tables as they will be written; 1-4 switch table
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, TablesScreen)
        table = app.screen.query_one("#t-table")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["Assessed for an MHTR", "<5", "[c]"] in rows and ["Approved by the Clinical Lead", "<5", "[c]"] in rows
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.title.startswith("Clinical outcomes")
        await pilot.press("2")
        await pilot.pause()
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["  Police custody officers", "0", "[c]", "0", "[c]"] in rows
        # assessed and MHTRs made, each in the month and the 12 months, the headings cut to fit 80 columns
        headings = [str(c.label) for c in table.columns.values()][1:]
        assert headings == ["Assessed\nin month", "Assessed\n12 months", "Made\nin month", "Made\n12 months"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)

        # enter on an incomplete item opens that case; q comes back to the Month screen
        first_gap_ref = app.screen.gap_refs[0]
        assert first_gap_ref in refs
        gaps.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen) and app.screen.ref == first_gap_ref
        await pilot.press("q")
        await _settle(app, pilot)
        assert isinstance(app.screen, ExportScreen) and app.screen.gap_refs[0] == first_gap_ref

        # a malformed month: one clear message, nothing written, and ctrl+s refuses too
        await _set(app, pilot, "x-month", "2026-13")
        assert "there is no month 13" in _status(app)
        await _set(app, pilot, "x-folder", str(out))
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "there is no month 13" in _status(app) and not out.exists()

        # the month back, suppression off for this run, and write
        await _set(app, pilot, "x-month", "2026-10")
        await _set(app, pilot, "x-threshold", "0")
        assert _figures(app)["assessed"] == ("4", "9")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        status = _status(app)
        assert str(out / "mhtr-return-2026-10.xlsx") in status and "mhtr-caseload-2026-10.xlsx" in status
        assert app.screen.query_one("#x-progress").display is False
        await _settle(app, pilot, 0.5)  # no count left waiting from the typing replaces where the files went
        assert _status(app) == status
        await pilot.press("ctrl+t")  # the tables now show what was written (unsuppressed)
        await pilot.pause()
        table = app.screen.query_one("#t-table")
        written = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["Assessed for an MHTR", "4", "9"] in written
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)

    assert (out / "mhtr-return-2026-10.xlsx").exists() and (out / "mhtr-caseload-2026-10.xlsx").exists()
    db = connect(path)
    assert appdb.practitioner_task(db, "monthly.data-return", "2026-10")["status"] == "done"
    assert rec.get_setting(db, FOLDER_SETTING) == str(out)
    db.close()


async def test_month_screen_csv_and_a_folder_that_is_a_file(tmp_path):
    path = tmp_path / "m.db"
    connect(path, create=True).close()
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("m")
        await _settle(app, pilot)
        assert "Nothing incomplete" in str(app.screen.query_one("#x-gaps-title").render())
        await _set(app, pilot, "x-folder", str(blocker))
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "is a file; give a folder" in _status(app)
        app.screen.query_one("#x-format").value = "csv"
        await _set(app, pilot, "x-folder", str(tmp_path / "csv"))
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
    assert (tmp_path / "csv" / "mhtr-return-2026-10" / "mhtr.csv").exists()
    assert (tmp_path / "csv" / "mhtr-caseload-2026-10" / "caseload.csv").exists()


async def test_the_monthly_task_opens_the_month_screen_for_its_month(tmp_path):
    from tui.actions import open_action

    path = tmp_path / "m.db"
    connect(path, create=True).close()
    refreshed = []
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        task = {"action": "export-month", "period": "2026-09", "ref": None}
        assert open_action(app, task, lambda: refreshed.append(True))
        await _settle(app, pilot)
        assert isinstance(app.screen, ExportScreen) and app.screen.query_one("#x-month").value == "2026-09"
        await pilot.press("escape")
        await pilot.pause()
    assert refreshed == [True]


def test_every_equality_field_has_a_short_name_in_the_gaps_list():
    from exports import characteristics_table
    from exports.gaps import FIELD_LABELS

    assert set(FIELD_LABELS) == {f for f, *_ in characteristics_table.CHARACTERISTICS if f != "age_band"}


async def test_a_month_refused_clears_the_figures_it_no_longer_matches(tmp_path):
    # Typed 2027-01 (the future) and ctrl+s before the count ran: the error was right but the table kept
    # October's figures and the gaps title October's count. Now nothing of another month stays on screen.
    path = tmp_path / "m.db"
    db = connect(path, create=True)
    build_caseload(db)
    db.close()
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("m")
        await _settle(app, pilot)
        assert _figures(app)["assessed"] == ("<5", "[c]")
        box = app.screen.query_one("#x-month")
        box.value = "2027-01"
        await pilot.press("ctrl+s")  # at once: the count waiting for typing to stop never runs
        await _settle(app, pilot, 0.5)
        assert "January 2027 is in the future" in _status(app)
        table = app.screen.query_one("#x-figures")
        assert table.row_count == 0 and "October 2026" not in [str(c.label) for c in table.columns.values()]
        assert app.screen.query_one("#x-gaps").row_count == 0 and app.screen.sheets == ()
        assert "not counted" in str(app.screen.query_one("#x-gaps-title").render())

        # the same when the count does run on the refused month (typing, then waiting)
        await _set(app, pilot, "x-month", "2026-10")
        assert _figures(app)["assessed"] == ("<5", "[c]")
        await _set(app, pilot, "x-month", "2027-01")
        assert app.screen.query_one("#x-figures").row_count == 0
        assert "not counted" in str(app.screen.query_one("#x-gaps-title").render())

        # a refusal that is not about the month (the folder) keeps the month's figures
        await _set(app, pilot, "x-month", "2026-10")
        blocker = tmp_path / "taken"
        blocker.write_text("not a folder")
        await _set(app, pilot, "x-folder", str(blocker))
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "is a file" in _status(app) and _figures(app)["assessed"] == ("<5", "[c]")


async def test_the_month_in_progress_is_a_part_month_return_and_leaves_the_task_open(tmp_path):
    path = tmp_path / "m.db"
    db = connect(path, create=True)
    build_caseload(db)
    db.close()
    out = tmp_path / "out"
    app = MhtrApp(db_path=path, today=TODAY)  # 20/11/2026: November is not over
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("m")
        await _settle(app, pilot)
        await _set(app, pilot, "x-month", "2026-11")
        assert "November 2026 (not over: a part-month return, figures to 20/11/2026)" in _status(app)
        await _set(app, pilot, "x-folder", str(out))
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert f"Part-month return (monthly task left open): {out / 'mhtr-return-2026-11.xlsx'}" in _status(app)
        assert any("stays open" in n.message for n in app._notifications)
    db = connect(path)
    task = appdb.practitioner_task(db, "monthly.data-return", "2026-11")
    assert task is None or task["status"] == "open"
    db.close()


def test_preview_and_write_refuse_a_month_before_the_first_record(db, tmp_path):
    from exports.preview import write_month
    from tests.conftest import snapshot_counts

    build_caseload(db)
    before = snapshot_counts(db)
    out = tmp_path / "out"
    checklist = checklist_of(db)
    for attempt in (
        lambda: preview(db, "2024-11", TODAY, checklist=checklist),
        lambda: write_month(db, "2024-11", str(out), None, TODAY, checklist=checklist),
    ):
        try:
            attempt()
        except ValidationError as exc:
            assert "November 2024 is before the service's first record (02/12/2024)" in str(exc)
        else:
            raise AssertionError("a month before the first record was counted")
    assert snapshot_counts(db) == before and not out.exists()
