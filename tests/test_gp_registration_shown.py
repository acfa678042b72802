"""A client recorded as not registered with a GP is shown so wherever the case is summed up: the Client screen's
header and ``client show`` say "not registered" beside the practice on record, as the GP letter (which asks that
practice to register them) and the probation update do, all through ``vocabulary.identity.not_registered_with_gp``.
A header that named the practice alone read as the client's own GP."""

from __future__ import annotations

from datetime import date

from db.connection import connect
from records import clients
from vocabulary.identity import gp_words, not_registered_with_gp

TODAY = date(2026, 11, 30)


def _words(text: str) -> str:
    return " ".join(text.split())


def _client(db, name: str, **gp) -> str:
    return clients.add_client(db, {"name": name, "dob": "1988-04-02", **gp}, TODAY)


def _caseload(db) -> dict[str, str]:
    """Three synthetic clients with a practice on record: registered, recorded as not registered, not known."""
    return {
        "registered": _client(db, "Pat Synthetic", gp_practice="Riverside Medical Practice", gp_registered="yes"),
        "unregistered": _client(db, "Lee Synthetic", gp_practice="Parkway Surgery", gp_registered="no"),
        "unknown": _client(db, "Sam Synthetic", gp_practice="Fenland Group Practice"),
    }


def test_the_gp_in_words_says_not_registered_whatever_the_practice():
    assert gp_words({"gp_practice": "Parkway Surgery", "gp_registered": "no"}) == "not registered (Parkway Surgery)"
    assert gp_words({"gp_practice": None, "gp_registered": "no"}) == "not registered"
    assert gp_words({"gp_practice": "Parkway Surgery", "gp_registered": "yes"}) == "Parkway Surgery"
    assert gp_words({"gp_practice": "Parkway Surgery", "gp_registered": None}) == "Parkway Surgery"  # not known
    assert gp_words({"gp_practice": None, "gp_registered": None}) == ""
    assert not not_registered_with_gp({"gp_registered": None})  # not known is not "not registered"


def test_client_show_says_not_registered(run, monkeypatch):
    import cli.common
    from service.clock import Clock
    from tests.conftest import synthetic

    monkeypatch.setattr(cli.common, "CLOCK", Clock.fixed(TODAY))
    db = synthetic(connect(run.path))
    refs = _caseload(db)
    db.close()
    shown = {}
    for key, ref in refs.items():
        code, text, err = run("client", "show", ref)
        assert code == 0, err
        shown[key] = _words(text)
    assert "GP: not registered (Parkway Surgery) RO:" in shown["unregistered"]
    assert "GP: Riverside Medical Practice RO:" in shown["registered"]
    assert "GP: Fenland Group Practice RO:" in shown["unknown"]


async def test_the_client_screen_header_says_not_registered_as_the_gp_letter_does(tmp_path):
    from textual.widgets import Static

    from letters.case_file import gather
    from letters.common import base_fields
    from letters.gp_letter import _registration
    from tests.conftest import made
    from tui.app import MhtrApp

    path = made(tmp_path / "pilot.db")
    db = connect(path)
    refs = _caseload(db)
    fields = base_fields(gather(db, refs["unregistered"], TODAY), [], to_gp=True)
    assert _registration(fields, [])["unregistered"]  # the letter asks the practice to register them
    db.close()

    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        headers = {}
        for key, ref in refs.items():
            app.open_client(ref)
            await pilot.pause()
            headers[key] = _words(str(app.screen.query_one("#client-summary", Static).render()))
            await pilot.press("escape")
            await pilot.pause()
    assert "GP: not registered (Parkway Surgery) RO:" in headers["unregistered"]
    assert "GP: Riverside Medical Practice RO:" in headers["registered"]
    assert "GP: Fenland Group Practice RO:" in headers["unknown"]
