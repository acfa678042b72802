"""``mhtr-tui share-week [--week DATE] -o DIR``: the week's appointments and attendance for probation."""

from __future__ import annotations

import argparse

from cli.common import open_service, print_json


def register(sub: argparse._SubParsersAction, add_db) -> None:
    p = sub.add_parser(
        "share-week",
        help="write the week's attendance for probation (Word and CSV, by Responsible Officer)",
        description="Writes mhtr-attendance-week-YYYY-MM-DD.docx and .csv (owner-only) into DIR and, once the "
        "week has started, ticks that week's diary task.",
    )
    p.add_argument("--week", help="any day of the week to share (default: this week)")
    p.add_argument("-o", "--output", metavar="DIR", required=True, help="folder to write the two files into")
    p.add_argument("--json", action="store_true")
    add_db(p)
    p.set_defaults(handler=_share)


def _share(args: argparse.Namespace) -> int:
    from records.dates import parse_date

    service = open_service(args)
    week = parse_date(args.week, service.today) if args.week else service.today
    result = service.share_week(args.output, week)
    share = result.share
    if args.json:
        print_json(
            {
                "week_start": share.week_start.isoformat(),
                "week_end": share.week_end.isoformat(),
                "docx": str(result.docx),
                "csv": str(result.csv),
                "rows": len(share.rows),
                "responsible_officers": [g.ro_name for g in share.groups],
                "task_id": result.task_id,
                "task_ticked": result.ticked,
                "week_ahead": result.ahead,
            }
        )
        return 0
    print(
        f"week of {share.week_start:%d/%m/%Y}: {len(share.rows)} row(s) for {len(share.groups)} Responsible Officer(s)"
    )
    print(f"  {result.docx}")
    print(f"  {result.csv}")
    if result.ticked:
        print("  ✓ weekly diary task done")
    elif result.ahead:
        print("  the week has not started: its diary task is ticked when it is shared from its Monday on")
    return 0
