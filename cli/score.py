"""``mhtr-tui score`` and ``mhtr-tui questionnaire add``: score one administration, or store it on a case."""

from __future__ import annotations

import argparse

from cli.common import open_service, print_json


def register(sub: argparse._SubParsersAction, add_db) -> None:
    p = sub.add_parser("score", help="score one administration ('-' marks a missing item)")
    p.add_argument("instrument", help="PHQ-9, GAD-7, CORE-34 (CORE-OM), CORE-10, K10, WSAS or GSE")
    p.add_argument("responses", nargs="+", help="item responses in order")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_score)

    q = sub.add_parser("questionnaire", help="store questionnaires on a case")
    qsub = q.add_subparsers(dest="q_command", metavar="SUBCOMMAND", required=True)
    add = qsub.add_parser("add", help="store one administration on a case")
    add.add_argument("ref")
    add.add_argument("instrument")
    add.add_argument("responses", nargs="+")
    add.add_argument("--date", help="when it was completed (default today)")
    add.add_argument("--timepoint", default=None,
                     help="screening, pre, session N, post, follow-up-3/6/12 (default: where the case has got to, "
                          "as the app offers it)")
    add.add_argument("--json", action="store_true")
    add_db(add)
    add.set_defaults(handler=_add)


def _score(args: argparse.Namespace) -> int:
    """Exit 0 for a score, 1 for a form read but not scorable (too many missing), 2 for a form refused (a
    response out of range, the wrong count), with the item and the reason, as every command refuses input."""
    import questionnaires
    from vocabulary.identity import ValidationError

    try:
        items = questionnaires.parse_responses(args.instrument, args.responses)
    except questionnaires.ResponseError as exc:
        raise ValidationError(str(exc)) from None
    result = questionnaires.score(args.instrument, items)
    problem = questionnaires.why_refused(args.instrument, items)
    if args.json:
        print_json(result)  # the scorer's object even for a refused form (SCORING.md 13: an invalid form is a result)
    if problem:
        risk = questionnaires.risk_words(result)  # an endorsed risk item is never lost with the form
        raise ValidationError(f"{result['instrument']} not scored: {problem}" + (f"; {risk}" if risk else ""))
    if not args.json:
        print(questionnaires.summary_line(result))
    return 0 if result.get("valid") else 1


def _add(args: argparse.Namespace) -> int:
    service = open_service(args)
    stored = service.add_questionnaire(args.ref, args.instrument, args.responses, args.date, args.timepoint)
    if args.json:
        print_json(stored)
    else:
        print(f"{args.ref.upper()}: {stored['summary']}")
        if stored["risk_task_id"]:
            print(f"  ! risk item endorsed: urgent task #{stored['risk_task_id']} to complete the risk assessment")
    return 0
