"""Every worked example gives the same JSON in CPython and in the browser (Pyodide in the worker).

The browser side talks to docs/assets/js/py-worker.mjs exactly as the pages do (a JSON string in,
a JSON string out), so this checks the wheel, the trimmed standard library and the bridge together.
Bad inputs are included: their error messages must agree too.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from calculators import bridge
from policy_tools.calculator_examples import bridge_requests, load_examples

pytestmark = pytest.mark.browser

RUN_IN_WORKER = """
async (requests) => {
  const worker = new Worker("/assets/js/py-worker.mjs", { type: "module" });
  const answers = new Map();
  let ready;
  const started = new Promise((resolve, reject) => { ready = { resolve, reject }; });
  worker.onmessage = (event) => {
    const data = event.data;
    if (data.type === "ready") ready.resolve();
    else if (data.type === "failed") ready.reject(new Error(data.message));
    else if ("progress" in data) return; // a long roster's progress, not its answer
    else answers.get(data.id)(data.failed ? { failed: data.failed } : data.response);
  };
  await started;
  const out = [];
  for (let id = 0; id < requests.length; id++) {
    out.push(await new Promise((resolve) => {
      answers.set(id, resolve);
      worker.postMessage({ id, request: requests[id] });
    }));
  }
  worker.terminate();
  return out;
}
"""


def test_every_calculator_has_worked_examples(root: Path) -> None:
    calculators = {example["calculator"] for example in load_examples(root)}
    assert calculators >= {"chronic", "roster", "excused", "withdrawal"}


def test_worked_examples_and_bad_inputs_give_identical_json(page, root: Path) -> None:
    requests = [json.dumps(request, ensure_ascii=False) for request in bridge_requests(root)]
    page.goto("/")
    in_browser = page.evaluate(RUN_IN_WORKER, requests)
    in_cpython = [bridge.handle(request) for request in requests]
    mismatches = [
        (request, cpython, browser)
        for request, cpython, browser in zip(requests, in_cpython, in_browser)
        if cpython != browser
    ]
    assert mismatches == [], f"{len(mismatches)} of {len(requests)} differ; first: {mismatches[0]}"
    assert len(in_browser) == len(requests) > 0
    assert page.watch.foreign_requests == []
