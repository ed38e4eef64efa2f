"""Calculators for LAUSD bulletin BUL-4926.4.

Pure standard-library Python: the same code runs in CPython (CLI, tests, build-time examples) and in
Pyodide in the browser. Every threshold and max comes from the policy rules, never from this code.
"""
__version__ = "0.1.0"
