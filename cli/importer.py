"""``mhtr-tui import FILE [--dry-run] [--yes] [--skip-bad] [--map 'Heading=field' ...] [--json]``.

Prints the column mapping and the dry-run report, then asks before writing (unless ``--yes``). A file with rows
that cannot be read imports nothing until the user accepts leaving those rows out (``--skip-bad`` or the
question). The sheet is read before the database is opened, so a file that is not a spreadsheet touches nothing.
"""

from __future__ import annotations

import argparse
import sys

from cli.common import open_service, print_json


def register(sub: argparse._SubParsersAction, add_db) -> None:
    p = sub.add_parser(
        "import",
        help="bring in an existing caseload spreadsheet (.xlsx or .csv)",
        description="Read a caseload spreadsheet, show how its columns map and what would be created, then import "
        "it in one transaction. Tasks that fell due before today are created closed, marked 'before import'.",
    )
    p.add_argument("file", metavar="FILE", help="the .xlsx or .csv file")
    add_db(p)
    p.add_argument("--dry-run", action="store_true", help="report what would happen and write nothing")
    p.add_argument("--yes", action="store_true", help="import without asking")
    p.add_argument("--skip-bad", action="store_true", help="accept leaving out the rows that cannot be read")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="HEADING=FIELD",
        help="correct the guessed mapping (repeatable; FIELD 'ignore' leaves a column out); saved for next time",
    )
    p.add_argument("--json", action="store_true", help="print the plan (and the result) as JSON")
    p.set_defaults(handler=_import)


def _ask(question: str) -> bool:
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    try:
        answer = input()
    except EOFError:
        return False
    return answer.strip().casefold() in ("y", "yes")


def _import(args: argparse.Namespace) -> int:
    from importer.report import mapping_lines, plan_data, plan_lines, result_line, source_line
    from importer.sheets import read_sheet

    sheet = read_sheet(args.file)
    service = open_service(args)
    mapping, layer = service.import_mapping(sheet, args.map)
    plan = service.import_plan(sheet, mapping, layer)
    out = sys.stderr if args.json else sys.stdout
    print(source_line(sheet), file=out)
    print("Columns:", file=out)
    print("\n".join(mapping_lines(plan)), file=out)
    print("\n".join(plan_lines(plan)), file=out)
    data = plan_data(plan)
    if args.dry_run or not plan.ready:
        if args.json:
            print_json(data)
        if not plan.ready and not args.dry_run:
            print("nothing to import", file=out)
        return 0
    leave_out = args.skip_bad
    if plan.blocked and not leave_out:
        n = len(plan.problems)
        if args.yes:
            print(f"mhtr-tui: {n} row{'s' if n != 1 else ''} cannot be read; nothing imported "
                  "(correct the sheet, or add --skip-bad to leave them out)", file=sys.stderr)
            return 2
        if not _ask(f"Leave out the {n} row{'s' if n != 1 else ''} that cannot be read and import the rest?"):
            print("nothing imported", file=sys.stderr)
            return 1
        leave_out = True
    if not args.yes and not _ask(f"Import {len(plan.ready)} case{'s' if len(plan.ready) != 1 else ''} now?"):
        print("nothing imported", file=sys.stderr)
        return 1
    result = service.apply_import(plan, leave_out_bad=leave_out)
    if args.json:
        print_json({**data, "imported": result.created, "open_tasks": result.open_tasks,
                    "closed_before_import": result.closed_before_import})
    else:
        print(result_line(result))
    return 0
