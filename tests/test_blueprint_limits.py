"""Blueprint values that would make nonsense of an exam are validation errors with file:line."""

from __future__ import annotations

import pytest

from .test_blueprint import errors_of, write

BASE = """title: T
items: 4
objectives:
  - {id: "mini:1.1", weight: 1}
  - {id: "mini:1.2", weight: WEIGHT}
scoring:
  points: POINTS
  scale: SCALE
  pass_mark: PASS
"""


def blueprint(weight="1", points="1", scale="[100, 1000]", pass_mark="700") -> str:
    return (BASE.replace("WEIGHT", weight).replace("POINTS", points).replace("SCALE", scale)
            .replace("PASS", pass_mark))


@pytest.mark.parametrize(("values", "line", "says"), [
    ({"weight": ".inf"}, 5, "'weight': input should be a finite number"),
    ({"weight": ".nan"}, 5, "'weight': input should be a finite number"),
    ({"points": "1e308"}, 7, "'points': input should be less than or equal to 1000"),
    ({"points": ".inf"}, 7, "'points': input should be a finite number"),
    ({"scale": "[1000, 100]"}, 6, "scale [1000, 100]: the low end must be below the high end, e.g. [100, 1000]"),
    ({"scale": "[100, 100]"}, 6, "scale [100, 100]: the low end must be below the high end"),
    ({"pass_mark": "1200"}, 6, "pass_mark 1200 is outside the scale [100, 1000]; use a mark within it"),
    ({"scale": "null", "pass_mark": "170"}, 6, "pass_mark 170 is outside 0 to 100 percent; use a mark within it"),
    ({"pass_mark": ".nan"}, 9, "'pass_mark': input should be a finite number"),
])
def test_absurd_blueprint_values_are_located_errors(tmp_path, values, line, says):
    path = write(tmp_path, blueprint(**values))
    messages = errors_of(path)
    assert any(m.startswith(f"{path}:{line}: ") and says in m for m in messages), messages
