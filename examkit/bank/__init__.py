"""The bank stage: read bank YAML files (line-aware, safe loader), validate them, lint them.

Modules: `yamlfile` (the SafeLoader that keeps line numbers), `load` (files to a checked
`Bank`), `lint` (item-writing rules and coverage).
"""

from __future__ import annotations

from .load import Bank, find_bank_files, flatten_objectives, load_bank

__all__ = ["Bank", "find_bank_files", "flatten_objectives", "load_bank"]
