"""Building pydantic models from values that are valid by construction, without validating again.

The generator prints tens of thousands of items per second. Validating each printed item (or
calling `model_construct`, which walks every field in Python) costs 20-50 µs per item with its
options, more than the rest of generation together; setting the four slots a pydantic model
has takes about 1 µs. The values come from a validated bank and are shaped by code whose tests
check that the result equals, and serialises exactly like, the validated model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
# The slot descriptors of BaseModel, called directly: a third faster than object.__setattr__.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def trusted_builder(cls: type[M]) -> Callable[[dict], M]:
    """A function making a `cls` from a dict holding every one of its fields, already valid."""
    if cls.__pydantic_post_init__ is not None or cls.__private_attributes__:
        raise TypeError(f"{cls.__name__} has private state or post-init hooks; build it with validation")
    # Every field is set, so the set is complete: pydantic only ever adds names to it on
    # assignment, which leaves a complete set unchanged; one shared set is therefore safe.
    every_field = set(cls.model_fields)

    def build(values: dict) -> M:
        model = _new(cls)
        _set_dict(model, values)
        _set_fields_set(model, every_field)
        _set_extra(model, None)
        _set_private(model, None)
        return model

    build.__name__ = f"build_{cls.__name__}"
    return build
