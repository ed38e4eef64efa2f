"""Prepare step: every worked example in policy_data/examples/ gives the result its `expect` says.

The calculator pages publish these examples as trainers' pre-filled links, so an example whose
`expect` no longer matches what the calculator answers must stop the build (file, line, field),
not be published with a wrong explanation beside it. Runs after policy_tools.bundle_rules, so the
calculators answer from the rules being built.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from policy_tools.yamlio import PolicyDataError, load, stop_on


def mismatches(expected: Any, actual: Any, path: str = "result") -> list[str]:
    """Partial match (DESIGN.md, worked examples): objects by the keys given, lists element by
    element and of the same length, anything else equal (a bool only equals a bool)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        out: list[str] = []
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: missing")
            else:
                out += mismatches(value, actual[key], f"{path}.{key}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {len(expected)} items, got {actual!r}"]
        return [m for i, (e, a) in enumerate(zip(expected, actual)) for m in mismatches(e, a, f"{path}[{i}]")]
    if isinstance(expected, bool) or isinstance(actual, bool):
        return [] if expected is actual else [f"{path}: expected {expected!r}, got {actual!r}"]
    return [] if expected == actual else [f"{path}: expected {expected!r}, got {actual!r}"]


def check(root: Path) -> list[PolicyDataError]:
    """One problem per example whose answer differs from its `expect` (or that is refused)."""
    from calculators import bridge

    problems: list[PolicyDataError] = []
    for path in sorted((root / "policy_data" / "examples").glob("*.yaml")):
        loaded = load(path)
        for index, example in enumerate(loaded.data.get("examples", [])):
            request = {"calculator": loaded.data["calculator"], "input": example["input"]}
            response = json.loads(bridge.handle(json.dumps(request)))
            where: list[str | int] = ["examples", index, "expect"]
            if not response.get("ok"):
                problems.append(loaded.error(["examples", index, "input"], f"example `{example['id']}` is refused by the calculator: {response.get('error')}; fix its input"))
                continue
            for difference in mismatches(example["expect"], response["result"]):
                problems.append(loaded.error(where, f"example `{example['id']}`: {difference}; fix `expect` (or the example's input) so it says what the calculator answers"))
    return problems


def run(root: Path) -> None:
    stop_on(check(root), "worked_examples", "policy_data/examples/")


if __name__ == "__main__":
    run(Path(__file__).resolve().parents[1])
