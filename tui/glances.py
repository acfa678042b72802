"""The diary's one-line glances on other screens: Today's line (next appointment, today's count, RO breach
decisions due) and the Client summary's line (next appointment, running clocks). The screens read them from the
service (``diary_glance``, ``case_glance``); this says them."""

from __future__ import annotations

from datetime import date, timedelta

from tui.markup import plain


def when_short(appt: dict, today: date) -> str:
    """'today 14:00', 'tomorrow 09:30' or 'Tue 24/11 10:00'."""
    d = date.fromisoformat(appt["date"])
    day = {today: "today", today + timedelta(days=1): "tomorrow"}.get(d, f"{d:%a %d/%m}")
    return f"{day} {appt['time']}"


def diary_line(glance: dict, today: date) -> str:
    """Today's line from the diary (``records.sessions.diary_glance``), or '' when there is nothing to say."""
    parts = []
    nxt = glance["next"]
    if nxt:
        initials = "".join(p[0] for p in (nxt["name"] or "").split()[:3]).upper()
        where = f", {plain(nxt['where'])}" if nxt["where"] else ""
        parts.append(f"Next: [b]{when_short(nxt, today)}[/b] {nxt['ref']} {initials}{where}")
    if glance["booked_today"]:
        parts.append(f"{glance['booked_today']} today")
    for b in glance["breach"]:
        due = date.fromisoformat(b["due"])
        parts.append(f"[b red]! RO breach decision {b['ref']} by {due:%a %d/%m}[/]")
    return "   ".join(parts)


def clocks_line(glance: dict, today: date) -> str:
    """The Client summary's third line (``records.sessions.case_glance``): next appointment, running clocks."""
    from records.sessions import short_clock_name

    parts = []
    nxt = glance["next"]
    if nxt:
        where = f" {plain(nxt['where'])}" if nxt["where"] else ""
        parts.append(f"Next: [b]{when_short(nxt, today)}[/b]{where}")
    for c in glance["clocks"]:
        due = date.fromisoformat(c["due"])
        when = f"{due:%d/%m}" if due.year == today.year else f"{due:%d/%m/%y}"
        if c["status"] == "missed":
            parts.append(f"[b red]! {short_clock_name(c)} due {when}[/]")
        elif c["status"] == "warning":
            parts.append(f"[b yellow]{short_clock_name(c)} by {when}[/]")
        else:
            parts.append(f"{short_clock_name(c)} by {when}")
    return "   ".join(parts)
