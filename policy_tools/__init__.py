"""Build-time tools for the BUL-4926.4 site: validate policy_data/, generate pages, bundle assets, serve.

Not part of the `calculators` wheel: these may use PyYAML and jsonschema, which the browser never loads.
"""
