"""The Client screen's outcomes view: each questionnaire's scores over time as bars, and what changed.

The numbers and judgements (reliable improvement, recovery, the paired PHQ-9 + GAD-7 outcome) come from
``records.questionnaire_records.outcomes``; this only draws them.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from vocabulary.dates import uk

BAR_WIDTH = 24


def _yes(value, none: str = "n/a") -> str:
    return none if value is None else ("yes" if value else "no")


def _bar(value: float | None, lo: int, hi: int) -> Text:
    if value is None:
        return Text("not scorable".ljust(BAR_WIDTH), style="dim")
    filled = round((value - lo) / (hi - lo) * BAR_WIDTH) if hi > lo else 0
    filled = max(0, min(BAR_WIDTH, filled))
    return Text("█" * filled, style="cyan") + Text("░" * (BAR_WIDTH - filled), style="dim")


def _fmt(value) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if isinstance(value, float) and not float(value).is_integer() else f"{value:g}"


def render_outcomes(data: dict) -> Text:
    """Bars per administration, then the change line, per instrument; then the paired outcome."""
    from questionnaires import band_words
    from records.questionnaire_records import timepoint_label

    parts: list = []
    if not data["instruments"]:
        return Text("No questionnaires yet. Press s to enter one.", style="dim")
    for ins in data["instruments"]:
        lo, hi = ins["scale"]
        better = "higher is better" if ins["higher_is_better"] else "lower is better"
        parts.append(Text(f"{ins['name']}  ({lo}-{hi}, {better})", style="bold underline"))
        for p in ins["points"]:
            line = Text(f"{uk(p['date'])} {timepoint_label(p['timepoint'])[:16]:<16} ")
            line += _bar(p["value"], lo, hi)
            line += Text(f" {_fmt(p['value']):>5} {band_words(p['band'])}")
            if p["risk"]:
                line += Text(f"  ⚠ risk item {', '.join(map(str, p['risk']))}", style="bold red")
            parts.append(line)
        ch = ins["change"]
        if ch and ch.get("change") is not None:
            words = f"First to last of treatment ({uk(ch['from'])} to {uk(ch['to'])}): change {_fmt(ch['change'])}"
            if ch.get("reliable_improvement") is not None:
                words += (f"; reliable improvement {_yes(ch['reliable_improvement'])}"
                          f", reliable deterioration {_yes(ch['reliable_deterioration'])}"
                          f"; caseness {_yes(ch['caseness_pre'])} -> {_yes(ch['caseness_post'])}"
                          f"; recovery {_yes(ch['recovery'], 'n/a (not at caseness)')}"
                          f"; reliable recovery {_yes(ch['reliable_recovery'], 'n/a')}")
            else:
                words += " (no published reliable-change or cut-off values for this measure)"
            parts.append(Text(words, style="italic"))
        parts.append(Text(""))
    paired = data.get("paired")
    if paired and paired.get("caseness_pre") is not None:
        parts.append(Text("PHQ-9 + GAD-7 (NHS Talking Therapies)", style="bold underline"))
        verdict = ("reliable improvement" if paired["reliable_improvement"] else
                   "reliable deterioration" if paired["reliable_deterioration"] else "no reliable change")
        parts.append(Text(
            f"{uk(paired['from'])} to {uk(paired['to'])}: PHQ-9 {paired['phq9_change']:+d} better, "
            f"GAD-7 {paired['gad7_change']:+d} better; {verdict}; caseness {_yes(paired['caseness_pre'])} -> "
            f"{_yes(paired['caseness_post'])}; recovery {_yes(paired['recovery'], 'n/a (not at caseness)')}; "
            f"reliable recovery {_yes(paired['reliable_recovery'], 'n/a')}"
        ))
    return Text("\n").join(parts)


class OutcomesView(VerticalScroll):
    """Scrollable outcomes for one client."""

    def compose(self):
        yield Static(id="outcomes-text")

    def show(self, data: dict) -> None:
        self.query_one("#outcomes-text", Static).update(render_outcomes(data))
