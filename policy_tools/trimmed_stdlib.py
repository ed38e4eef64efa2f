"""A standard library trimmed to what Pyodide's start-up and the calculators import, precompiled
(policy_tools.assets serves it): found by running the calculators in the pinned Pyodide under Node
at build time, and checked by a second Pyodide that has only the trimmed library. The same run
splits off the modules only openpyxl imports and compiles the calculators themselves.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policy_tools.cache import cache_dir
from policy_tools.files import write_if_changed
from policy_tools.pyodide_package import AssetError, PyodidePackage

STDLIB = "python_stdlib.zip"
# The standard-library modules only openpyxl needs (xml.etree...), loaded with it for an .xlsx file.
STDLIB_XLSX = "python_stdlib_xlsx.zip"
# Libraries the trace leaves out of the first-visit library (browser-wheels.lock's groups import them).
EXTRA_MODULES = ("openpyxl", "et_xmlfile")
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
#    module the calculators name (also those imported inside functions) but the libraries loaded
#    only for some files (openpyxl), run the trace requests through the bridge and format one error:
#    every standard-library module now loaded is the first-visit library; then install those
#    libraries and run the .xlsx requests: the modules loaded only now are the .xlsx part, shipped
#    apart and loaded with openpyxl (the worker unpacks it into site-packages);
# 2. compile the kept modules, and the calculators themselves, to bytecode: Python then never
#    compiles at start-up, which is most of Pyodide's start-up time. Docstrings and (in the
#    standard library) line-number tables are left out (optimize=2, empty co_linetable), which keeps
#    the files no larger than the sources they replace; tracebacks inside the standard library show no
#    line numbers. Pyodide's own modules keep their docstrings, which Pyodide reads. Members are
#    stored uncompressed: the host's Brotli then compresses across members (0.54 MB against 0.78 MB
#    for deflate inside the zip);
# 3. start a second Pyodide on the first-visit library and the compiled calculators alone and require
#    the same answers to every request, then add the .xlsx part and require the same answers to the
#    .xlsx requests, so a missing module fails the build rather than a page.
TRACE_SCRIPT = r"""
import { readFileSync, writeFileSync } from "node:fs";
const [pyodideDir, wheelPath, requestsPath, xlsxRequestsPath, lockInfoJson, outDir] = process.argv.slice(-6);
// Wheels loaded on demand (openpyxl) and a sample .xlsx: their imports go to the .xlsx part.
const extraWheels = (process.env.EXTRA_WHEELS || "").split(",").filter(Boolean);
const extraModules = (process.env.EXTRA_MODULES || "").split(",").filter(Boolean);
const xlsxSample = process.env.XLSX_SAMPLE || "";
const { loadPyodide } = await import(pyodideDir + "/pyodide.mjs");
const alwaysKeep = process.env.ALWAYS_KEEP;

async function start(stdLibURL, archives) {
  const py = await loadPyodide({
    indexURL: pyodideDir + "/",
    ...(stdLibURL ? { stdLibURL } : {}),
    lockFileContents: { info: JSON.parse(lockInfoJson), packages: {} },
    packageBaseUrl: pyodideDir + "/",
  });
  py.globals.set("always_keep", alwaysKeep);
  unpack(py, archives);
  return py;
}

// As the browser's worker does (docs/assets/js/py-worker.mjs), so the same modules are traced.
function unpack(py, archives) {
  const sitePackages = py.runPython("import sys; next(p for p in sys.path if p.endswith('site-packages'))");
  for (const path of archives) py.unpackArchive(new Uint8Array(readFileSync(path)), "wheel", { extractDir: sitePackages });
  py.runPython("import importlib; importlib.invalidate_caches()");
}

function answers(py, path) {
  py.globals.set("requests_json", readFileSync(path, "utf8"));
  py.runPython(RUN);
  return py.globals.get("answers").toJs();
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

const LOADED = `
import json, sys
zip_path = next(p for p in sys.path if p.endswith(".zip"))
json.dumps(sorted(
    m.__spec__.origin[len(zip_path) + 1:]
    for m in list(sys.modules.values())
    if getattr(m, "__spec__", None) and (m.__spec__.origin or "").startswith(zip_path + "/")
))
`;

const full = await start(null, [wheelPath]);
full.globals.set("extra_modules", extraModules.join(","));
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
            if name.split(".")[0] in extra_modules.split(","):
                continue  # loaded only for some files: traced below with its requests
            try:
                importlib.import_module(name)
            except ImportError:
                pass  # a development-only fallback (PyYAML in calculators.rules), not in the wheel
`);
const expected = answers(full, requestsPath);
const core = JSON.parse(full.runPython(LOADED));
unpack(full, extraWheels);
if (xlsxSample) full.FS.writeFile("/tmp/trace.xlsx", readFileSync(xlsxSample));
const expectedXlsx = answers(full, xlsxRequestsPath);
let xlsx = JSON.parse(full.runPython(LOADED)).filter((name) => !core.includes(name));
// A new module of a package the first-visit library has (importlib.metadata) would not be found in
// site-packages, where its package is not: it stays in the first-visit library.
const corePackages = new Set(core.filter((name) => name.endsWith("/__init__.py")).map((name) => name.split("/")[0]));
core.push(...xlsx.filter((name) => corePackages.has(name.split("/")[0])));
xlsx = xlsx.filter((name) => !corePackages.has(name.split("/")[0]));
full.globals.set("parts", JSON.stringify({ "/tmp/stdlib.zip": core, "/tmp/stdlib-xlsx.zip": xlsx }));
full.runPython(`
import importlib.util, json, marshal, pathlib, sys, types, zipfile
import calculators
zip_path = next(p for p in sys.path if p.endswith(".zip"))

def without_line_numbers(code):
    consts = tuple(without_line_numbers(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_linetable=b"", co_consts=consts)

def pyc(data, filename, optimize, line_numbers):
    code = compile(data, filename, "exec", optimize=optimize, dont_inherit=True)
    # A sourceless, timestamp-style .pyc header (flags 0, no mtime or size to check).
    return importlib.util.MAGIC_NUMBER + bytes(12) + marshal.dumps(code if line_numbers else without_line_numbers(code))

def store(out, name, data):
    out.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=zipfile.ZIP_STORED)

with zipfile.ZipFile(zip_path) as src:
    for target, names in json.loads(parts).items():
        keep = set(names)
        for name in list(keep):
            folders = name.split("/")[:-1]
            keep.update("/".join(folders[:depth]) + "/__init__.py" for depth in range(1, len(folders) + 1))
        if target.endswith("-xlsx.zip"):
            # Packages the first-visit library has already: only their new modules go here.
            keep -= {n for n in keep if n.endswith("/__init__.py") and n in json.loads(parts)["/tmp/stdlib.zip"]}
        with zipfile.ZipFile(target, "w") as out:
            for name in sorted(keep):
                data = src.read(name)
                if name.endswith(".py"):
                    optimize = 0 if name.startswith(("_pyodide/", "pyodide/")) else 2
                    data = pyc(data, f"{zip_path}/{name}", optimize, line_numbers=False)
                    name = name[:-3] + ".pyc"
                store(out, name, data)

# The calculators as the browser runs them: bytecode and the bundled data; the command line is left
# out. Without line numbers too (they would add 40 kB to the 76 kB with Brotli): the command line
# gives the same answer with a full traceback.
package = pathlib.Path(calculators.__file__).parent
with zipfile.ZipFile("/tmp/calculators.zip", "w") as out:
    for path in sorted(package.rglob("*")):
        if not path.is_file() or path.name == "__main__.py" or "__pycache__" in path.parts:
            continue
        name = path.relative_to(package.parent).as_posix()
        if path.suffix == ".py":
            store(out, name[:-3] + ".pyc", pyc(path.read_bytes(), name, 2, line_numbers=False))
        elif path.suffix == ".json":  # the bundles, without their indentation
            store(out, name, json.dumps(json.loads(path.read_bytes()), ensure_ascii=False, separators=(",", ":")).encode())
        else:
            store(out, name, path.read_bytes())
`);
for (const name of ["stdlib.zip", "stdlib-xlsx.zip", "calculators.zip"]) writeFileSync(`${outDir}/${name}`, full.FS.readFile(`/tmp/${name}`));

function compare(want, got, what) {
  for (let i = 0; i < want.length; i++) {
    if (want[i] !== got[i]) {
      console.error(`${what} request ${i} answers differently on the trimmed library:\n${want[i]}\n${got[i]}`);
      process.exit(1);
    }
  }
}
const trimmed = await start(`${outDir}/stdlib.zip`, [`${outDir}/calculators.zip`]);
compare(expected, answers(trimmed, requestsPath), "a");
unpack(trimmed, [...extraWheels, `${outDir}/stdlib-xlsx.zip`]);
if (xlsxSample) trimmed.FS.writeFile("/tmp/trace.xlsx", readFileSync(xlsxSample));
compare(expectedXlsx, answers(trimmed, xlsxRequestsPath), "an .xlsx");
"""


def stdlib_trace_key(pyodide: PyodidePackage, wheel: bytes, root: Path) -> str:
    """A hash of everything the trimmed library depends on; unchanged inputs skip the trace."""
    digest = hashlib.sha256()
    core, xlsx = trace_requests(root)
    for part in (pyodide.version, TRACE_SCRIPT, ",".join(ALWAYS_KEEP + ENCODINGS), ",".join(EXTRA_MODULES),
                 json.dumps([core, xlsx], sort_keys=True)):
        digest.update(part.encode())
    digest.update(wheel)
    return digest.hexdigest()[:16]


def trace_requests(root: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Bridge requests that exercise every calculator (the worked examples and some bad input), and
    those that need openpyxl: a roster read from .xlsx (the sample written by `xlsx_sample`), kept,
    and downloaded as .xlsx."""
    from policy_tools.calculator_examples import bridge_requests

    xlsx: dict[str, Any] = {"file": "/tmp/trace.xlsx", "name": "trace.xlsx"}
    return bridge_requests(root), [
        {"calculator": "roster", "input": xlsx},
        {"calculator": "roster", "input": {**xlsx, "step": "columns"}},
        {"calculator": "roster", "input": {**xlsx, "view": {}}},
        {"calculator": "roster", "input": {"view": {"download": "xlsx", "path": "/tmp/trace-out.xlsx"}}},
    ]


def xlsx_sample(path: Path) -> None:
    """A small workbook (title row, header, a half day, a totals row) for the trace."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Attendance"], ["Student ID", "Student Name", "Days Enrolled", "Days Absent"], [1, "A", 180, 17.5], ["Total", None, 180, 17.5]):
        sheet.append(row)
    book.save(path)


@dataclass(frozen=True)
class Traced:
    """What the trace writes: the first-visit library, its .xlsx part, the compiled calculators."""
    stdlib: bytes
    stdlib_xlsx: bytes
    calculators: bytes


TRACED = {"stdlib": "stdlib.zip", "stdlib_xlsx": "stdlib-xlsx.zip", "calculators": "calculators.zip"}


def trimmed_stdlib(root: Path, pyodide: PyodidePackage, wheel_path: Path, key: str, extra_wheels: list[Path]) -> Traced:
    """The trimmed, precompiled library and calculators for these inputs (cached by their hash,
    policy_tools.cache)."""
    cached = cache_dir("pyodide-stdlib") / key
    if all((cached / name).is_file() for name in TRACED.values()):
        return Traced(**{field: (cached / name).read_bytes() for field, name in TRACED.items()})
    if not shutil.which("node"):
        raise AssetError("Node.js is needed to trim the standard library: install Node 20 (apt-get install nodejs)")
    with tempfile.TemporaryDirectory(prefix="trace-") as tmp:
        core, xlsx = trace_requests(root)
        requests, xlsx_requests = Path(tmp) / "requests.json", Path(tmp) / "xlsx-requests.json"
        requests.write_text(json.dumps(core), encoding="utf-8")
        xlsx_requests.write_text(json.dumps(xlsx), encoding="utf-8")
        script = Path(tmp) / "trace.mjs"
        script.write_text(TRACE_SCRIPT, encoding="utf-8")
        sample = Path(tmp) / "trace.xlsx"
        xlsx_sample(sample)
        done = subprocess.run(
            ["node", str(script), str(pyodide.directory.resolve()), str(wheel_path.resolve()), str(requests),
             str(xlsx_requests), json.dumps(pyodide.lock_info), tmp],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "ALWAYS_KEEP": ",".join(ALWAYS_KEEP + ENCODINGS), "XLSX_SAMPLE": str(sample),
                 "EXTRA_MODULES": ",".join(EXTRA_MODULES),
                 "EXTRA_WHEELS": ",".join(str(p.resolve()) for p in extra_wheels)},
        )
        if done.returncode != 0:
            raise AssetError(f"trimming the standard library in Pyodide (Node) failed:\n{done.stderr[-3000:]}")
        traced = Traced(**{field: (Path(tmp) / name).read_bytes() for field, name in TRACED.items()})
    for field, name in TRACED.items():
        write_if_changed(cached / name, getattr(traced, field))
    return traced
