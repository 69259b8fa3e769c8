"""The generate stage: blueprint and bank in, forms and their key out.

Modules: `blueprint` (load a blueprint, resolve its counts), `draw` (which items a form gets),
`shuffle` (print an item on a form: options shuffled, lettered, keyed), `forms` (the seeded
generation of every form), `writer` (`examset.json` and `key.csv`).
"""

from __future__ import annotations

from .blueprint import find_blueprint, load_blueprint, resolve_quotas
from .forms import MAX_FORMS, MODES, form_letter, generate_examset, new_seed
from .writer import KEY_COLUMNS, KEY_FILE, write_examset

__all__ = ["KEY_COLUMNS", "KEY_FILE", "MAX_FORMS", "MODES", "find_blueprint", "form_letter", "generate_examset",
           "load_blueprint", "new_seed", "resolve_quotas", "write_examset"]
