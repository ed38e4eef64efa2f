"""One registry of calculators: the bridge and the CLI offer exactly its calculators."""
from __future__ import annotations

import argparse
import json

from calculators import bridge
from calculators.__main__ import _parser
from calculators.registry import CALCULATORS


def test_the_cli_and_the_bridge_offer_the_registry() -> None:
    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert list(commands.choices) == list(CALCULATORS)
    answer = json.loads(bridge.handle(json.dumps({"calculator": "nope", "input": {}})))
    assert answer["error"]["message"].endswith(f"use one of {', '.join(CALCULATORS)}.")
