"""Where the shipped bank, blueprints and templates are, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# In a wheel the data sits inside the package; in a checkout (or an editable install) at the
# top of the repository, which is where users edit it.
_CANDIDATES = (_PACKAGE / "_data", _PACKAGE.parent)


def data_dir(name: str) -> Path:
    for root in _CANDIDATES:
        if (root / name).is_dir():
            return root / name
    raise FileNotFoundError(f"examkit's '{name}' folder is missing from the installation; reinstall examkit")


def shipped_bank() -> Path:
    return data_dir("banks") / "aif-c01"


def shipped_blueprints() -> Path:
    return data_dir("blueprints")


def shipped_templates() -> Path:
    return data_dir("templates")
