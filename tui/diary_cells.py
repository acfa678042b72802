"""How an appointment reads in the Diary: the client's short name, the attendance cell in probation's terms
(coloured), and the two-line detail under the table."""

from __future__ import annotations

from datetime import date

from rich.text import Text

ATTENDANCE_STYLE = {
    "attended": "green",
    "acceptable-absence": "yellow",
    "unacceptable-absence": "bold red",
    "cancelled-by-service": "dim",
    "rescheduled": "dim",
}

# Shorter words for the Attendance column (the detail line under the table has the full ones).
SHORT_ATTENDANCE = {"Outcome not yet recorded": "Not recorded yet"}


def short_name(name: str | None, width: int = 9) -> str:
    """'Carmen Testcase' -> 'Carmen T': enough to know who it is beside the case reference."""
    parts = (name or "").split()
    if not parts:
        return ""
    initial = f" {parts[-1][0]}" if len(parts) > 1 else ""
    first, room = parts[0], width - len(initial)
    if len(first) > room:
        first = first[: room - 1] + "…"
    return first + initial


def attendance_cell(row: dict) -> Text:
    """The attendance in probation's terms, shortened to its first clause to fit the column, coloured."""
    text = SHORT_ATTENDANCE.get(row["attendance"], row["attendance"].split(" / ")[0])
    if row.get("clash"):
        return Text("! overlaps: " + text, style="bold red")
    if row.get("awaiting_outcome"):
        return Text(text, style="bold yellow")
    style = ATTENDANCE_STYLE.get(row.get("outcome") or "", "")
    if row["status"] in ("cancelled", "moved"):
        style = "dim"
    return Text(text, style=style)


def detail_text(row: dict | None) -> str:
    """Two lines about the highlighted appointment: who, when, where; then what happened or what to do."""
    if row is None:
        return "No appointment here. b books one."
    if row["kind"] == "session":
        first = f"{row['ref']} {row['name']}   {row['date_uk']}   recorded without an appointment"
    else:
        day = date.fromisoformat(row["date"])
        first = (
            f"#{row['id']}  {row['ref']} {row['name']}   {day:%a %d/%m} {row['time']}-{row['end_time']}"
            f"   {row['where'] or '-'}"
        )
    bits = [row["attendance"]]
    if row.get("session"):
        bits.append(f"session {row['session']}")
    if row.get("reason"):
        bits.append(row["reason"])
    if row.get("clash"):
        bits.append("overlaps another appointment")
    if row.get("awaiting_outcome"):
        bits.append("o records the outcome")
    elif row.get("event_id"):
        bits.append("y copies the health-system entry")
    return first + "\n" + "; ".join(bits)
