"""``mhtr-tui export --month YYYY-MM [--format xlsx|csv] [-o PATH]`` and ``mhtr-tui export merge FILE...``."""

from __future__ import annotations

import argparse

from cli.common import open_service, print_json, today

GAPS_SHOWN = 20


def register(sub: argparse._SubParsersAction, add_db) -> None:
    p = sub.add_parser(
        "export",
        help="write the monthly data return (anonymised, small counts suppressed), or merge returns",
        description="Writes mhtr-return-YYYY-MM.xlsx (or, with --format csv, a folder of CSV files) for the month "
        "and the rolling 12 months ending with it, owner-only, and, once the month is over, ticks that month's "
        "data-return task (the month in progress gives a part-month return). "
        "--caseload writes the one-row-per-case caseload data instead.",
    )
    p.add_argument("--month", metavar="YYYY-MM", help="the month of the return, e.g. 2026-10")
    p.add_argument("--format", choices=["xlsx", "csv"], help="xlsx (default) or csv (a folder of CSV files)")
    p.add_argument("-o", "--output", metavar="PATH", help="an .xlsx file name, or the folder to write into")
    p.add_argument(
        "--suppress-below",
        type=int,
        metavar="N",
        help="show counts from 1 to N-1 as <N (default: the suppress_below setting, else 5; 0 = none, for merging)",
    )
    p.add_argument("--caseload", action="store_true", help="write the caseload data (one row per case) instead")
    p.add_argument("--json", action="store_true")
    add_db(p)
    p.set_defaults(handler=_export)

    esub = p.add_subparsers(dest="export_command", metavar="SUBCOMMAND")
    m = esub.add_parser(
        "merge",
        help="combine practitioners' returns for one month into the site's return",
        description="Each practitioner exports with --suppress-below 0; the merge adds the returns up and then "
        "suppresses small counts. Returns of different months or formats are refused.",
    )
    m.add_argument("files", nargs="+", metavar="FILE", help="the returns: .xlsx files, or CSV return folders")
    m.add_argument("-o", "--output", metavar="PATH", dest="merge_output", help="an .xlsx file name, or a folder")
    m.add_argument(
        "--suppress-below",
        type=int,
        metavar="N",
        dest="merge_suppress",
        help="threshold for the merged return (default: the setting in --db if there is one, else 5)",
    )
    m.add_argument("--json", action="store_true", dest="merge_json")
    add_db(m)
    m.set_defaults(handler=_merge)


def _export(args: argparse.Namespace) -> int:
    from exports.monthly import part_month_note, plan_export, threshold_of
    from vocabulary.identity import ValidationError

    if not args.month:
        raise ValidationError(f"--month YYYY-MM is required (e.g. --month {today():%Y-%m})")
    # Everything the user typed is checked before the database is opened: a refusal touches nothing.
    plan_export(args.month, args.output, args.format, today())
    if args.suppress_below is not None:
        threshold_of(args.suppress_below)
    service = open_service(args)
    if args.caseload:
        result = service.export_caseload(args.month, args.output, args.format)
    else:
        result = service.export_month(args.month, args.output, args.format, threshold=args.suppress_below)
    if args.json:
        print_json(
            {
                "month": f"{result.month:%Y-%m}",
                "path": str(result.path),
                "format": result.format,
                "kind": "caseload" if args.caseload else "return",
                "suppress_below": result.threshold,
                "cases": result.cases,
                "task_id": result.task_id,
                "task_ticked": result.ticked,
                "part_month": result.part_month,
                "replaced": result.replaced,
                "incomplete": [{"client": g.ref, "what": g.what} for g in result.gaps],
            }
        )
        return 0
    what = "caseload data" if args.caseload else "return"
    print(f"{result.month:%B %Y} {what}: {result.path}" + (" (replaced the earlier export)" if result.replaced else ""))
    if not args.caseload:
        print(
            "  small counts not suppressed: for merging within the service only"
            if result.threshold <= 1
            else f"  counts from 1 to {result.threshold - 1} shown as <{result.threshold}"
        )
        if result.part_month:
            print(f"  {part_month_note(result.month, today())}")
        if result.ticked:
            print("  ✓ monthly data-return task done")
        if result.gaps:
            print(f"  {len(result.gaps)} thing(s) incomplete for this return:")
            for g in result.gaps[:GAPS_SHOWN]:
                print(f"    {g.ref}: {g.what}")
            if len(result.gaps) > GAPS_SHOWN:
                print(f"    ... and {len(result.gaps) - GAPS_SHOWN} more (--json lists them all)")
    return 0


def _merge(args: argparse.Namespace) -> int:
    from cli.common import db_path
    from exports.monthly import DEFAULT_SUPPRESS_BELOW, merge_returns, threshold_of

    if args.merge_suppress is not None:
        threshold = threshold_of(args.merge_suppress)
    elif db_path(args).exists():  # the service's own setting, if this machine has a database
        threshold = open_service(args).suppress_below()
    else:
        threshold = DEFAULT_SUPPRESS_BELOW
    result = merge_returns(args.files, args.merge_output, threshold=threshold, today=today())
    if args.merge_json:
        print_json(
            {
                "month": f"{result.month:%Y-%m}",
                "path": str(result.path),
                "format": result.format,
                "returns": result.ret.merged_from if result.ret else len(args.files),
                "suppress_below": result.threshold,
            }
        )
        return 0
    print(f"{result.month:%B %Y} site return from {len(args.files)} returns: {result.path}")
    return 0
