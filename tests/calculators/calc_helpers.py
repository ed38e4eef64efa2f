"""Helpers for the calculator tests: run the CLI, and match a worked example's `expect`."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

from calculators.table_file import Table
from policy_tools.worked_examples import mismatches  # noqa: F401  (the build's own matcher)

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "calculators", *args],
        cwd=ROOT, capture_output=True, text=True, input=stdin, timeout=60,
    )


def rows_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    """A roster result's rows (kept as columns) as one dict per row."""
    columns = result["rows"]
    return [{key: (values[i] if values is not None else None) for key, values in columns.items()} for i in range(len(columns["row"]))]



def as_records(table: Table) -> Table:
    """A text file's table as records, one list of cells per row (as a workbook, or a file with a
    quoted line break, is read): the plain reading the fast paths must answer exactly as."""
    assert table.blocks is not None and table.delimiter is not None
    records = [line.split(table.delimiter) if line else [] for block in table.blocks for line in block.split("\n")]
    return Table(table.encoding, table.delimiter, records=records)


def csv_module_download(done: object) -> str:
    """The download as the csv module writes the same cells, formula-safe: what the fast writer must equal."""
    from calculators.roster_download import download_header, download_rows, safe

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe(c) for c in download_header(done)])  # type: ignore[arg-type]
    writer.writerows([safe(c) for c in row] for row in download_rows(done))  # type: ignore[arg-type]
    return out.getvalue()
