"""Command palette (ctrl+p): every screen, every action that has a key, each kind of letter, and every client.

Each command is named in the words a practitioner would type for it ("month", "return", "letter", "gp", "share",
"backup"), and its help names the key that does the same, so the palette also teaches the keys. The keys of the
screen the palette was opened on are listed too, from the screen's own bindings, so a key added to a screen is
in the palette without a change here.
"""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.fit import fit

MOVING = frozenset({"cursor_down", "cursor_up", "scroll_top", "scroll_bottom"})


def _actions_of(node) -> set[str]:
    """The actions this app's own classes bind on ``node`` (not Textual's: copying text, paging a table...)."""
    actions = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("tui."):
            for b in cls.__dict__.get("BINDINGS", ()):
                actions.add(b.action if isinstance(b, Binding) else b[1])
    return actions


class MhtrCommands(Provider):
    """Screens, actions, letters and clients, matched fuzzily as the user types."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        out: list[tuple[str, object, str]] = [
            ("Today", app.action_show_today, "t: overdue, due today and the next 7 days"),
            ("Caseload", app.action_show_caseload, "c: every case with its stage and next task"),
            ("Diary: this week's appointments", app.action_show_diary, "w: the week across every client"),
            ("New client", app.action_new_client, "n: add a client and open their first case"),
            ("Month: the monthly data return", app.action_show_export, "m: preview, tables, write the return"),
            ("Import a caseload spreadsheet", app.action_show_import, "i: bring in clients from .xlsx or .csv"),
            ("Share the week with probation", app.share_week, "w then s: Word and CSV per Responsible Officer"),
            ("Back up the database now", app.backup_now, "a checked copy in the backups folder"),
            ("Undo the last change to a task", app.action_undo, "ctrl+z"),
            ("Help: every key", app.action_help, "?"),
        ]
        from tui.letters import MENU

        for kind, text, key in MENU:
            out.append((f"Letter: {text}", partial(app.open_letter, kind), f"l then {key} on a client"))
        out.extend(self._screen_keys())
        if app.service is not None:
            for c in app.service.cases():
                out.append((f"{c['ref']} {c['name']}", partial(app.open_client, c["ref"]), "Open this client"))
        return out

    def _screen_keys(self) -> list[tuple[str, object, str]]:
        """The keys of the screen the palette was opened on that this app gives it (the app's own keys are listed
        above by name; moving about a list is left to the arrow keys)."""
        app = self.app
        out = []
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if node is app or not enabled or not binding.description or binding.action.startswith("app."):
                continue
            if binding.action in MOVING or binding.action not in _actions_of(node):
                continue
            shown = app.get_key_display(binding)
            help_text = fit(binding.tooltip or f"{shown} on this screen", 60)
            out.append((f"{binding.description} ({shown})", partial(app.run_action, binding.action, node), help_text))
        return out

    async def discover(self) -> Hits:
        for text, command, help_text in self._commands()[:10]:
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, help=help_text)
