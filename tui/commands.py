"""Command palette (ctrl+p): jump to any client by reference or name, or to a screen."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class MhtrCommands(Provider):
    """Screens and clients, matched fuzzily as the user types."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        out: list[tuple[str, object, str]] = [
            ("Today", app.action_show_today, "Overdue, due today and the next 7 days"),
            ("Caseload", app.action_show_caseload, "Every case with its stage and next task"),
            ("Diary", app.action_show_diary, "The week's appointments across every client"),
            ("New client", app.action_new_client, "Add a client and open their first case"),
            ("Help: keys", app.action_help, "Every key on one screen"),
            ("Import a caseload", app.action_show_import, "Bring in clients from a spreadsheet (.xlsx, .csv)"),
        ]
        if app.db is not None:
            from db.records import list_cases

            for c in list_cases(app.db):
                out.append((f"{c['ref']} {c['name']}", partial(app.open_client, c["ref"]), "Open this client"))
        return out

    async def discover(self) -> Hits:
        for text, command, help_text in self._commands()[:5]:
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, help=help_text)
