"""`python -m calculators`: the command-line adapter (argument parsing and printing only)."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("usage: python -m calculators {chronic,roster,excused,withdrawal} ...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
