"""``mhtr-tui share-week [--week DATE] -o DIR``: the week's appointments and attendance for probation, one Word
document and one CSV per Responsible Officer."""

from __future__ import annotations

import argparse

from cli.common import open_service, print_json


def register(sub: argparse._SubParsersAction, add_db) -> None:
    p = sub.add_parser(
        "share-week",
        help="write the week's attendance for probation (Word and CSV, one pair per Responsible Officer)",
        description="Writes mhtr-attendance-week-YYYY-MM-DD-OFFICER.docx and .csv (owner-only) into DIR for each "
        "Responsible Officer, holding only that officer's clients. Appointments past their time with no outcome "
        "recorded are listed first; while one remains, the week's diary task stays open. Once the week has "
        "started (and every outcome is recorded) it ticks that week's diary task.",
    )
    p.add_argument("--week", help="any day of the week to share (default: this week)")
    p.add_argument("-o", "--output", metavar="DIR", required=True, help="folder to write the files into")
    p.add_argument("--json", action="store_true")
    add_db(p)
    p.set_defaults(handler=_share)


def _share(args: argparse.Namespace) -> int:
    from letters.weekly_share import awaiting_lines
    from vocabulary.dates import WEEK, parse_date

    service = open_service(args)
    week = parse_date(args.week, service.today, WEEK) if args.week else service.today
    share = service.week_share(week)
    if share.awaiting and not args.json:
        print(f"{len(share.awaiting)} appointment(s) past their time with no outcome recorded (record them, then "
              "share again):")
        for line in awaiting_lines(share):
            print(line)
    result = service.write_share(share, args.output)
    if args.json:
        print_json(
            {
                "week_start": share.week_start.isoformat(),
                "week_end": share.week_end.isoformat(),
                "files": [
                    {"responsible_officer": f.ro_name, "for_sending": f.recorded, "docx": str(f.docx),
                     "csv": str(f.csv), "rows": f.rows}
                    for f in result.files
                ],
                "rows": len(share.rows),
                "responsible_officers": [g.ro_name for g in share.groups if g.recorded],
                "awaiting_outcome": [
                    {"case": r["ref"], "date": r["date"], "time": r["time"]} for r in share.awaiting
                ],
                "task_id": result.task_id,
                "task_ticked": result.ticked,
                "week_ahead": result.ahead,
            }
        )
        return 0
    for line in result.lines():
        print(line)
    return 0
