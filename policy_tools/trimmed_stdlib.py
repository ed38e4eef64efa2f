"""A standard library trimmed to what Pyodide's start-up and the calculators import, precompiled
(policy_tools.assets serves it): found by running the calculators in the pinned Pyodide under Node
at build time, and checked by a second Pyodide that has only the trimmed library.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from policy_tools.cache import cache_dir
from policy_tools.files import write_if_changed
from policy_tools.pyodide_package import AssetError, PyodidePackage

STDLIB = "python_stdlib.zip"
# Modules a Python error needs to be reported legibly, though no successful run imports them.
ALWAYS_KEEP = ("traceback", "linecache", "tokenize", "token", "textwrap", "_colorize")
# Codecs looked up by name only at run time, so the trace does not see them: those the roster reads
# files in (calculators/table_file.py), and unicode_escape, which writes a control character out in
# a message (calculators/limits.py printable).
ENCODINGS = (
    "encodings.cp1252", "encodings.latin_1", "encodings.utf_16", "encodings.utf_16_le", "encodings.utf_16_be",
    "encodings.utf_8_sig", "encodings.unicode_escape",
)


# Runs in Node with the pinned Pyodide (so the bytecode is exactly what the browser's Python reads):
# 1. start Pyodide with its full library as the browser worker does, install the wheel, import every
#    module the calculators name (also those imported inside functions), run the trace requests
#    through the bridge and format one error; every standard-library module now loaded is kept;
# 2. compile the kept modules to bytecode: Python then never compiles the library at start-up, which
#    is most of Pyodide's start-up time. Docstrings and line-number tables are left out (optimize=2,
#    empty co_linetable), which keeps the file no larger than the sources it replaces; tracebacks
#    inside the standard library show no line numbers. Pyodide's own modules keep their docstrings,
#    which Pyodide reads. Members are stored uncompressed: the host's Brotli then compresses across
#    members (0.54 MB against 0.78 MB for deflate inside the zip);
# 3. start a second Pyodide on the trimmed library alone and require the same answers to every
#    request, so a missing module fails the build rather than a page.
TRACE_SCRIPT = r"""
import { readFileSync, writeFileSync } from "node:fs";
const [pyodideDir, wheelPath, requestsPath, lockInfoJson, outZip] = process.argv.slice(-5);
// Wheels loaded on demand (openpyxl) and a sample .xlsx: their imports must be in the library too.
const extraWheels = (process.env.EXTRA_WHEELS || "").split(",").filter(Boolean);
const xlsxSample = process.env.XLSX_SAMPLE || "";
const { loadPyodide } = await import(pyodideDir + "/pyodide.mjs");
const requests = readFileSync(requestsPath, "utf8");
const alwaysKeep = process.env.ALWAYS_KEEP;

async function start(stdLibURL) {
  const py = await loadPyodide({
    indexURL: pyodideDir + "/",
    ...(stdLibURL ? { stdLibURL } : {}),
    lockFileContents: { info: JSON.parse(lockInfoJson), packages: {} },
    packageBaseUrl: pyodideDir + "/",
  });
  // As the browser's worker does (docs/assets/js/py-worker.mjs), so the same modules are traced.
  const sitePackages = py.runPython("import sys; next(p for p in sys.path if p.endswith('site-packages'))");
  for (const path of [wheelPath, ...extraWheels]) py.unpackArchive(new Uint8Array(readFileSync(path)), "wheel", { extractDir: sitePackages });
  if (xlsxSample) py.FS.writeFile("/tmp/trace.xlsx", readFileSync(xlsxSample));
  py.globals.set("requests_json", requests);
  py.globals.set("always_keep", alwaysKeep);
  return py;
}

const RUN = `
import importlib, json
from calculators import bridge
answers = [bridge.handle(json.dumps(request)) for request in json.loads(requests_json)]
for name in always_keep.split(","):
    importlib.import_module(name)
try:
    raise ValueError("trace")
except ValueError:
    import traceback
    traceback.format_exc()
`;

const full = await start(null);
full.runPython(`
import ast, importlib, pathlib
import calculators
for source in pathlib.Path(calculators.__file__).parent.rglob("*.py"):
    if source.name == "__main__.py":
        continue  # the command line is never run in the browser
    for node in ast.walk(ast.parse(source.read_text())):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
            [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
        for name in names:
            try:
                importlib.import_module(name)
            except ImportError:
                pass  # a development-only fallback (PyYAML in calculators.rules), not in the wheel
`);
full.runPython(RUN);
const expected = full.globals.get("answers").toJs();
full.runPython(`
import importlib.util, marshal, sys, types, zipfile
zip_path = next(p for p in sys.path if p.endswith(".zip"))
keep = {
    m.__spec__.origin[len(zip_path) + 1:]
    for m in list(sys.modules.values())
    if getattr(m, "__spec__", None) and (m.__spec__.origin or "").startswith(zip_path + "/")
}
for name in list(keep):
    parts = name.split("/")[:-1]
    keep.update("/".join(parts[:depth]) + "/__init__.py" for depth in range(1, len(parts) + 1))

def without_line_numbers(code):
    consts = tuple(without_line_numbers(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_linetable=b"", co_consts=consts)

with zipfile.ZipFile(zip_path) as src, zipfile.ZipFile("/tmp/stdlib.zip", "w") as out:
    for name in sorted(keep):
        data = src.read(name)
        if name.endswith(".py"):
            optimize = 0 if name.startswith(("_pyodide/", "pyodide/")) else 2
            code = compile(data, f"{zip_path}/{name}", "exec", optimize=optimize, dont_inherit=True)
            # A sourceless, timestamp-style .pyc header (flags 0, no mtime or size to check).
            data = importlib.util.MAGIC_NUMBER + bytes(12) + marshal.dumps(without_line_numbers(code))
            name = name[:-3] + ".pyc"
        entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        out.writestr(entry, data, compress_type=zipfile.ZIP_STORED)
`);
writeFileSync(outZip, full.FS.readFile("/tmp/stdlib.zip"));

const trimmed = await start(outZip);
trimmed.runPython(RUN);
const actual = trimmed.globals.get("answers").toJs();
for (let i = 0; i < expected.length; i++) {
  if (expected[i] !== actual[i]) {
    console.error(`request ${i} answers differently on the trimmed library:\n${expected[i]}\n${actual[i]}`);
    process.exit(1);
  }
}
"""


def stdlib_trace_key(pyodide: PyodidePackage, wheel: bytes, root: Path) -> str:
    """A hash of everything the trimmed library depends on; unchanged inputs skip the trace."""
    digest = hashlib.sha256()
    for part in (pyodide.version, TRACE_SCRIPT, ",".join(ALWAYS_KEEP + ENCODINGS), json.dumps(trace_requests(root), sort_keys=True)):
        digest.update(part.encode())
    digest.update(wheel)
    return digest.hexdigest()[:16]


def trace_requests(root: Path) -> list[dict[str, Any]]:
    """Bridge requests that exercise every calculator: the worked examples and some bad input,
    and a roster read from .xlsx (the sample written by `xlsx_sample`)."""
    from policy_tools.calculator_examples import bridge_requests

    xlsx: dict[str, Any] = {"file": "/tmp/trace.xlsx", "name": "trace.xlsx"}
    return [*bridge_requests(root), {"calculator": "roster", "input": xlsx}, {"calculator": "roster", "input": {**xlsx, "step": "columns"}}]


def xlsx_sample(path: Path) -> None:
    """A small workbook (title row, header, a half day, a totals row) for the trace."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Attendance"], ["Student ID", "Student Name", "Days Enrolled", "Days Absent"], [1, "A", 180, 17.5], ["Total", None, 180, 17.5]):
        sheet.append(row)
    book.save(path)


def trimmed_stdlib(root: Path, pyodide: PyodidePackage, wheel_path: Path, key: str, extra_wheels: list[Path]) -> bytes:
    """The trimmed, precompiled library for these inputs (cached by their hash, policy_tools.cache)."""
    cached = cache_dir("pyodide-stdlib") / f"{key}.zip"
    if cached.is_file():
        return cached.read_bytes()
    if not shutil.which("node"):
        raise AssetError("Node.js is needed to trim the standard library: install Node 20 (apt-get install nodejs)")
    with tempfile.TemporaryDirectory(prefix="trace-") as tmp:
        requests = Path(tmp) / "requests.json"
        requests.write_text(json.dumps(trace_requests(root)), encoding="utf-8")
        script = Path(tmp) / "trace.mjs"
        script.write_text(TRACE_SCRIPT, encoding="utf-8")
        out = Path(tmp) / STDLIB
        sample = Path(tmp) / "trace.xlsx"
        xlsx_sample(sample)
        done = subprocess.run(
            ["node", str(script), str(pyodide.directory.resolve()), str(wheel_path.resolve()), str(requests),
             json.dumps(pyodide.lock_info), str(out)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "ALWAYS_KEEP": ",".join(ALWAYS_KEEP + ENCODINGS), "XLSX_SAMPLE": str(sample),
                 "EXTRA_WHEELS": ",".join(str(p.resolve()) for p in extra_wheels)},
        )
        if done.returncode != 0:
            raise AssetError(f"trimming the standard library in Pyodide (Node) failed:\n{done.stderr[-3000:]}")
        data = out.read_bytes()
    write_if_changed(cached, data)
    return data
