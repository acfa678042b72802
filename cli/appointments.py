"""``mhtr-tui appointment book | series | move | cancel | list | attend | entry``: the appointments diary.

Dates as everywhere (20/11/2026, 2026-11-20, next tue); times as 10:00, 14.30 or 2:30pm. An overlap with
another appointment is refused with the clash named; ``--allow-overlap`` books it anyway.
"""

from __future__ import annotations

import argparse
from datetime import datetime

from cli.common import open_service, print_json, today
from cli.event_options import add_field_options, given_options, kind_data
from vocabulary.event_kinds import KINDS, SESSION_OUTCOMES
from vocabulary.identity import ValidationError


def _where_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--duration", metavar="MIN", help="length in minutes (default 60)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--place", help="where an in-person session is held")
    where.add_argument("--phone", action="store_true", help="by phone")
    where.add_argument("--video", action="store_true", help="by video")


def register(sub: argparse._SubParsersAction, add_db) -> None:
    p = sub.add_parser("appointment", help="book, move, cancel and list appointments; record attendance")
    asub = p.add_subparsers(dest="appointment_command", metavar="SUBCOMMAND", required=True)

    book = asub.add_parser("book", help="book one session")
    book.add_argument("ref", metavar="REF")
    series = asub.add_parser("series", help="book N sessions every week or fortnight")
    series.add_argument("ref", metavar="REF")
    series.add_argument("--count", required=True, type=int, help="how many appointments (1-40)")
    series.add_argument("--every", default="week", choices=["week", "fortnight"])
    series.add_argument(
        "--on-holiday",
        default="skip",
        choices=["skip", "warn"],
        help="bank holidays: skip them (and add one at the end) or book them with a warning",
    )
    for parser in (book, series):
        parser.add_argument("--date", required=True, help="the (first) day, e.g. 20/11/2026 or next tue")
        parser.add_argument("--time", required=True, help="start time, e.g. 10:00 or 2:30pm")
        _where_options(parser)
        parser.add_argument("--note", help="a note for the diary")
        parser.add_argument("--allow-overlap", action="store_true", help="book even if it overlaps another")
        parser.add_argument("--json", action="store_true")
    book.set_defaults(handler=_book)
    series.set_defaults(handler=_series)

    move = asub.add_parser("move", help="move a booked appointment (the old one is kept as moved)")
    move.add_argument("id", metavar="ID")
    move.add_argument("--date", help="new day (default: the same day)")
    move.add_argument("--time", help="new start time (default: the same time)")
    _where_options(move)
    move.add_argument("--reason", help="why it moved")
    move.add_argument("--allow-overlap", action="store_true")
    move.add_argument("--json", action="store_true")
    move.set_defaults(handler=_move)

    cancel = asub.add_parser("cancel", help="cancel a booked appointment")
    cancel.add_argument("id", metavar="ID")
    cancel.add_argument("--by", default="service", choices=["service", "client"])
    cancel.add_argument("--reason")
    cancel.set_defaults(handler=_cancel)

    ls = asub.add_parser("list", help="the week's diary across all clients, or one client's appointments")
    ls.add_argument("--week", help="any day of the week to show (default: this week)")
    ls.add_argument("--client", metavar="REF", help="all appointments of one case instead")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=_list)

    attend = asub.add_parser("attend", help="record what happened at an appointment (a session event)")
    attend.add_argument("id", metavar="ID")
    attend.add_argument("--outcome", required=True, choices=SESSION_OUTCOMES)
    attend.add_argument("--duration", metavar="MIN", help="minutes (default: the appointment's length)")
    attend.add_argument("--risk", help="risk, for the health-system entry")
    attend.add_argument("--summary", help="what the session covered")
    attend.add_argument("--plan", help="the plan until the next session")
    attend.add_argument("--notes")
    attend.add_argument("--concerns", action="store_true",
                        help="risk marked (attended: crisis plan, tell the RO and care team) or, at an absence, "
                             "concerns about the person (tell the care coordinator within 24 hours)")
    attend.add_argument("--final", action="store_true", help="the final session (also when fewer than planned)")
    attend.add_argument("--complete", action="store_true",
                        help="record completion too (final session only), with its details: the options below")
    add_field_options(attend, [KINDS["completion"]])
    attend.add_argument("--copy", action="store_true", help="copy the health-system entry to the clipboard")
    attend.add_argument("--json", action="store_true")
    attend.set_defaults(handler=_attend)

    entry = asub.add_parser("entry", help="print the health-system entry for an appointment's session")
    entry.add_argument("id", metavar="ID")
    entry.add_argument("--copy", action="store_true", help="copy it to the clipboard as well")
    entry.set_defaults(handler=_entry)

    for parser in (book, series, move, cancel, ls, attend, entry):
        add_db(parser)


def _mode(args: argparse.Namespace) -> str | None:
    if args.phone:
        return "phone"
    if args.video:
        return "video"
    return "in person" if args.place else None


def _start(args: argparse.Namespace) -> datetime:
    from records.appointments import parse_start

    return parse_start(args.date, args.time, today())


def _overlap_hint(exc) -> None:
    from vocabulary.identity import ValidationError

    raise ValidationError(f"{exc}; add --allow-overlap to book it anyway") from None


def _book(args: argparse.Namespace) -> int:
    from records.appointments import OverlapError

    service = open_service(args)
    try:
        aid = service.book(
            args.ref,
            _start(args),
            duration_min=args.duration,
            mode=_mode(args) or "in person",
            place=args.place,
            note=args.note,
            allow_overlap=args.allow_overlap,
        )
    except OverlapError as exc:
        _overlap_hint(exc)
    row = service.appointment(aid)
    if args.json:
        print_json({"id": aid, "ref": row["ref"], "starts_at": row["starts_at"], "duration_min": row["duration_min"]})
    else:
        print(f"appointment {aid}: {row['ref']} {_when(row['starts_at'])} booked")
    return 0


def _series(args: argparse.Namespace) -> int:
    from records.appointments import OverlapError

    service = open_service(args)
    try:
        result = service.book_series(
            args.ref,
            _start(args),
            args.count,
            every=args.every,
            on_holiday=args.on_holiday,
            duration_min=args.duration,
            mode=_mode(args) or "in person",
            place=args.place,
            note=args.note,
            allow_overlap=args.allow_overlap,
        )
    except OverlapError as exc:
        _overlap_hint(exc)
    if args.json:
        print_json(
            {
                "series": result.series,
                "ids": result.ids,
                "starts_at": [s.strftime("%Y-%m-%dT%H:%M") for s in result.starts],
                "skipped": [d.isoformat() for d in result.skipped],
                "warnings": result.warnings,
            }
        )
        return 0
    print(f"{len(result.ids)} appointments booked (series {result.series}):")
    for aid, start in zip(result.ids, result.starts, strict=True):
        print(f"  {aid:>5}  {start:%a %d/%m/%Y %H:%M}")
    for d in result.skipped:
        print(f"  skipped {d:%d/%m/%Y} (bank holiday)")
    for w in result.warnings:
        print(f"  warning: {w}")
    return 0


def _move(args: argparse.Namespace) -> int:
    from records.appointments import OverlapError, from_iso, parse_time
    from vocabulary.dates import APPOINTMENT_DATE, parse_date
    from vocabulary.identity import ValidationError

    service = open_service(args)
    old = service.appointment(args.id)
    if not (args.date or args.time or args.duration or args.place or args.phone or args.video):
        raise ValidationError("say what changes: --date, --time, --duration, --place, --phone or --video")
    start = from_iso(old["starts_at"])
    day = parse_date(args.date, today(), APPOINTMENT_DATE) if args.date else start.date()
    at = parse_time(args.time) if args.time else start.time()
    try:
        new_id = service.move(
            old["id"],
            datetime.combine(day, at),
            duration_min=args.duration,
            mode=_mode(args),
            place=args.place,
            reason=args.reason,
            allow_overlap=args.allow_overlap,
        )
    except OverlapError as exc:
        _overlap_hint(exc)
    new = service.appointment(new_id)
    if args.json:
        print_json({"id": new_id, "moved_from": old["id"], "starts_at": new["starts_at"]})
    else:
        print(f"appointment {old['id']} moved: now appointment {new_id}, {_when(new['starts_at'])}")
    return 0


def _cancel(args: argparse.Namespace) -> int:
    row = open_service(args).cancel(args.id, by=args.by, reason=args.reason)
    print(f"appointment {row['id']}: {row['ref']} {_when(row['starts_at'])} cancelled by the {args.by}")
    return 0


def _when(starts_at: str) -> str:
    from records.appointments import from_iso

    return f"{from_iso(starts_at):%a %d/%m/%Y %H:%M}"


def _list(args: argparse.Namespace) -> int:
    from vocabulary.dates import WEEK, parse_date

    service = open_service(args)
    if args.client:
        rows = service.case_appointments(args.client)
        if args.json:
            print_json(rows)
            return 0
        for r in rows:
            print(
                f"{r['id']:>5}  {r['date_uk']} {r['time']}  {r['where'] or '-':<18} "
                f"{r['attendance']:<28} {r['session']}".rstrip()
            )
        if not rows:
            print("no appointments")
        return 0
    week = service.week(parse_date(args.week, service.today, WEEK) if args.week else None)
    if args.json:
        print_json(week)
        return 0
    print(week["label"])
    for day in week["days"]:
        holiday = f"  ({day['bank_holiday']})" if day["bank_holiday"] else ""
        print(f"{day['label']}{holiday}")
        for r in day["rows"]:
            mark = "!" if r["clash"] else " "
            when = f"{r['time']}-{r['end_time']}" if r["time"] else "     --    "
            print(
                f" {mark}{r['id'] or '':>5}  {when}  {r['ref']}  {r['name']:<22} "
                f"{r['where'] or '-':<16} {r['attendance']}"
            )
    return 0


def _attend(args: argparse.Namespace) -> int:
    completion = KINDS["completion"]
    given = given_options(args, [completion])
    if given and not args.complete:
        raise ValidationError(f"{given[0]} is a detail of the completion: add --complete (final session only)")
    service = open_service(args)
    log = service.record_attendance(
        args.id,
        args.outcome,
        duration_min=args.duration,
        risk=args.risk,
        summary=args.summary,
        plan=args.plan,
        notes=args.notes,
        final=args.final,
        complete=args.complete,
        completion=kind_data(args, completion) if args.complete else None,
        concerns=args.concerns,
    )
    entry = service.health_entry(log.event_id)
    created = list(log.result.created) + (list(log.completion.created) if log.completion else [])
    if args.json:
        print_json(
            {
                "event_id": log.event_id,
                "appointment_id": log.appointment_id,
                "final": log.final,
                "completed": log.completion is not None,
                "created": [{"key": s.key, "title": s.title, "due": s.due.isoformat()} for s in created],
                "health_entry": entry,
            }
        )
        return 0
    print(f"appointment {log.appointment_id}: session recorded (event {log.event_id})")
    for s in created:
        print(f"  + {s.due:%d/%m/%Y}  {s.title}")
    show_entry(service, log.event_id, entry, args.copy)
    return 0


def show_entry(service, event_id: int, entry: str, copy: bool) -> None:
    """Print a session's health-system entry; with ``--copy`` copy it too, which ticks its "health system entry"
    task (said on stderr, so stdout stays the entry)."""
    print("\n--- health-system entry ---")
    print(entry)
    if copy:
        copy_entry(service, event_id)


def copy_entry(service, event_id: int) -> None:
    """Copy a session's health-system entry (ticking its task); where it went is said on stderr."""
    import sys

    _text, message, ticked = service.copy_health_entry(event_id)
    print(message + "".join(f"; ticked: {t}" for t in ticked), file=sys.stderr)


def _entry(args: argparse.Namespace) -> int:
    service = open_service(args)
    entry = service.appointment_entry(args.id)
    print(entry)
    if args.copy:
        copy_entry(service, service.appointment(args.id)["event_id"])
    return 0
