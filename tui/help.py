"""The keys, on one screen."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.lifecycle import LiveModal

RAW_HELP = """[b]mhtr-tui keys[/b]

[b]Anywhere[/b]
  t            Today: overdue, due today, next 7 days
  c            Caseload: every case
  w            Diary: the week's appointments across every client
  n            New client
  m            Month: preview and write the monthly data return
  i            Import: bring in an existing caseload spreadsheet (.xlsx, .csv)
  ctrl+p       Command palette: any screen, this screen's keys, letters, the weekly
               share, a backup now, a client by name
  ctrl+z       Undo the last change to a task
  ?            This help
  q            Back (from the Caseload or the Diary, to Today); quit from Today

[b]Lists[/b]
  j / k, ↑ ↓   Move
  enter        Open the client
  /            Filter the caseload as you type (escape clears)
  h            Caseload: show or hide closed cases

[b]Tasks[/b] (Today and Client)
  space        Tick (again to reopen)
  x            Skip, with a reason
  d            New due date: "next fri", "20/12/2026", "in 2 weeks"
  a            Do it: open the screen for the task's work

[b]Client[/b]
  e            Record an event (screening, assessment, decision, court outcome, session…)
  s            Enter a questionnaire (PHQ-9, GAD-7, CORE-OM, CORE-10, K10, WSAS, GSE)
  l            Letters: GP letter, court report, completion letter, consent form (preview, then .docx)
  A            Assessment record (Appendix 1 topics; locked once the court report is sent)
  r            On the timeline: correct the highlighted event (the old entry is kept)
  1 2 3 4      Checklist, timeline, details, outcomes
  6            Changes: who changed what and when (the audit trail)
  escape       Back

[b]Diary[/b] (w)
  [ ]  ← →     Previous / next week      home   This week
  b            Book a session, or a series (sessions 12, every week or fortnight)
  v            Move the highlighted appointment (the old one is kept as moved)
  x            Cancel it, by the service or the client, with the reason
  o            Record what happened (probation's terms), then the session log;
               the health-system entry follows: y copies it
  y            Copy the health-system entry of a recorded session
  s            Share the week with probation (Word and CSV, by Responsible Officer)
  enter        Open the client

[b]Letters[/b] (l)
  ↑ ↓ g r c f  Choose: GP letter, court report, completion letter, consent form
  enter        Write the .docx into the letters folder (tells you where)
  a            Open the assessment record, then back to a fresh preview
  s            Service details: letterhead, signatures, letters and templates folders

[b]Month[/b] (m)
  tab          Month (YYYY-MM, last month unless changed), format, small-count threshold, folder
  enter        In a field: count again; on an incomplete item: open the case
  ctrl+t       The return's tables as they will be written (1-4: MHTR, characteristics,
               outcomes, reasons)
  ctrl+s       Write the return and the caseload data into the folder; ticks the monthly task
  escape       Back

[b]Questionnaire entry[/b] (s)
  0-9          The response to the highlighted item; moves to the next (type a whole form as digits)
  -            Item missing
  n            WSAS item 1 not applicable
  backspace    Step back and clear
  ↑ ↓          Move between items
  f2           Date and timepoint
  ctrl+s       Save

[b]Forms[/b]
  tab          Next field      ctrl+s  Save      escape  Cancel

Dates are day-first (20/11/2026). A two-digit year or an impossible date is refused, never guessed.
"""


# The help box (app.tcss .dialog) is 76 columns: less its border, padding and scrollbar, 68 for the text. A row
# longer than that would wrap back to the box's edge, under the keys; it is wrapped here instead, its continuation
# lines under the row's description.
HELP_WIDTH = 68


def _rows(text: str) -> list[str]:
    """The lines of ``text`` with each row's own continuation lines (indented to its description column) joined on
    to it: wrapped apart, a row's first line broke mid-phrase ("letters, the weekly" / "share, a backup now")."""
    rows: list[str] = []
    for line in text.split("\n"):
        row = re.match(r"^( +\S.*?\s{2,})\S", rows[-1]) if rows else None
        lead = len(row.group(1)) if row else 0
        if lead and len(line) > lead and line[:lead].isspace() and not line[lead].isspace():
            rows[-1] += " " + line.strip()
        else:
            rows.append(line)
    return rows


def reflow(text: str, width: int = HELP_WIDTH) -> str:
    """``text`` with every row longer than ``width`` wrapped, continuing under its description column (where the
    key column's run of spaces ends); a row may be written over several lines, continuing under that column."""
    import textwrap

    out = []
    for line in _rows(text):
        if len(line) <= width:
            out.append(line)
            continue
        row = re.match(r"^( +\S.*?\s{2,})(\S.*)$", line)
        lead = row.group(1) if row else re.match(r"^ *", line).group(0)
        body = row.group(2) if row else line.strip()
        parts = textwrap.wrap(body, width - len(lead))
        out.append(lead + parts[0])
        out.extend(" " * len(lead) + part for part in parts[1:])
    return "\n".join(out)


HELP = reflow(RAW_HELP)


class HelpScreen(LiveModal):
    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(HELP)
