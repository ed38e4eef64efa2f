"""`python -m calculators`: the command-line adapter (argument parsing and printing only).

    python -m calculators chronic --enrolled 180 --absent 17 [--days-left 40] [--json]
    python -m calculators roster FILE.csv [--column ROLE=HEADER] [--breakdown HEADER] [--json]
    python -m calculators excused FILE.json [--json]
    python -m calculators withdrawal --situation death [--json]

Every command takes `--lang` (default en): the language of the result's words.

`--json` prints exactly the `result` the browser bridge returns. Bad input: exit status 2 and one
line on stderr per problem, saying what is wrong and how to fix it.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from . import bridge, wording
from .errors import InputError
from .registry import CALCULATORS
from .limits import check_json_depth, check_size, printable
from .text import printable_result

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse prints usage over several lines; the contract is one line on stderr."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {message} (see `{self.prog} --help`)\n")
        sys.exit(EXIT_BAD_INPUT)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m calculators", description="Calculators for LAUSD bulletin BUL-4926.4.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    chronic = commands.add_parser("chronic", help="chronic absence, state and LAUSD definitions")
    chronic.add_argument("--enrolled", required=True, help="school days enrolled so far, e.g. 180")
    chronic.add_argument("--absent", required=True, help="days absent, whole or half days, e.g. 17.5")
    chronic.add_argument("--days-left", help="school days left in the year (optional)")
    roster = commands.add_parser("roster", help="chronic absence for every row of a CSV file")
    roster.add_argument("file", help="CSV, text (UTF-8, UTF-16, Windows-1252) or .xlsx with a header: [Student ID,] [Student Name,] Days Enrolled (or Days Present), Days Absent")
    roster.add_argument("--column", action="append", default=[], metavar="ROLE=HEADER", help="which column is which, e.g. --column enrolled='Days in Membership' (roles: id, name, enrolled, absent, present)")
    roster.add_argument("--breakdown", metavar="HEADER", help="count students per value of another column, e.g. --breakdown Grade (the page's breakdown)")
    excused = commands.add_parser("excused", help="excused-absence limits for a calendar and absences")
    excused.add_argument("file", help='JSON file: {"calendar": {...}, "absences": [...]}')
    withdrawal = commands.add_parser("withdrawal", help="withdrawal documents and due diligence")
    withdrawal.add_argument("--situation", required=True, help="e.g. transfer_lausd, no_show, death")
    withdrawal.add_argument("--due-diligence-documented", action="store_true", help="all due diligence efforts are exhausted and documented in MiSiS")
    for sub in (chronic, roster, excused, withdrawal):
        sub.add_argument("--json", action="store_true", help="print one JSON object")
        sub.add_argument("--lang", default="en", help="language of the result's words (default en)")
    return parser


def _read(path: str, what: str) -> str:
    try:
        source = Path(path).read_text(encoding="utf-8-sig")
        check_size(source, "file", f"{path}")
        return source
    except FileNotFoundError:
        raise InputError("file", f"{path} does not exist: give the path of the {what} file.") from None
    except IsADirectoryError:
        raise InputError("file", f"{path} is a folder: give the path of the {what} file.") from None
    except UnicodeDecodeError:
        raise InputError("file", f"{path} is not UTF-8 text: save the {what} file as UTF-8.") from None
    except OSError as exc:
        raise InputError("file", f"{path} cannot be read ({exc.strerror}): check the path and permissions.") from None


def _excused_input(path: str) -> Any:
    source = _read(path, "JSON")
    check_json_depth(source, "file", f"{path}")
    try:
        return json.loads(source)
    except ValueError as exc:
        raise InputError("file", f"{path} is not valid JSON ({exc}): fix it, e.g. {{\"calendar\": {{...}}, \"absences\": [...]}}.") from None


def _request(args: argparse.Namespace) -> tuple[str, Mapping[str, Any]]:
    if args.command == "chronic":
        data: dict[str, Any] = {"enrolled": args.enrolled, "absent": args.absent}
        if args.days_left is not None:
            data["days_left"] = args.days_left
        return "chronic", data
    if args.command == "roster":
        columns = dict(item.partition("=")[::2] for item in args.column)
        breakdown = {"breakdown": args.breakdown} if args.breakdown is not None else {}
        return "roster", {"file": args.file, **({"columns": columns} if columns else {}), **breakdown}
    if args.command == "excused":
        loaded = _excused_input(args.file)
        if not isinstance(loaded, Mapping):
            raise InputError("file", f"{args.file} must hold one JSON object: {{\"calendar\": {{...}}, \"absences\": [...]}}.")
        return "excused", loaded
    return "withdrawal", {"situation": args.situation, "due_diligence_documented": args.due_diligence_documented}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        name, data = _request(args)
        result = bridge.run({"calculator": name, "input": data, "lang": args.lang})
    except InputError as exc:
        # One line per problem, whatever the message holds (the contract for scripts reading
        # stderr), and no control character from the input reaches the terminal.
        for problem in getattr(exc, "problems", [exc]):
            message = printable(" ".join(problem.message.split()))
            sys.stderr.write(f"error: {printable(problem.field)}: {message}\n")
        return EXIT_BAD_INPUT
    if args.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        # Labels and quoted input may hold terminal escape sequences: shown written out, never run.
        with wording.using(args.lang):
            sys.stdout.write(CALCULATORS[name].as_text(printable_result(result)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
