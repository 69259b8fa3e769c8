"""Blueprints: how many items of which objectives, types and difficulties go into one exam form.

Counts may be given directly or as weights; `examkit.generate.blueprint` turns weights into
counts and loads the YAML file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Annotated

from pydantic import Field, PrivateAttr, field_validator, model_validator

from ..errors import Problem
from .common import (
    ITEM_TYPES,
    Difficulty,
    ItemType,
    ObjectiveId,
    Scoring,
    Slug,
    Strict,
    Text,
)

MAX_ITEMS = 1000


class ObjectiveShare(Strict):
    """One objective of the blueprint and its share of the items: a fixed count or a weight."""

    id: ObjectiveId = Field(description="Any node of the objective tree; a task means every item under it.")
    count: int | None = Field(None, ge=0, description="Exactly this many items.")
    weight: float | None = Field(None, gt=0, allow_inf_nan=False, description="A share of the items not given by counts.")

    @model_validator(mode="after")
    def _count_or_weight(self):
        if (self.count is None) == (self.weight is None):
            raise ValueError(f"objective '{self.id}' needs either 'count' or 'weight' (exactly one of them)")
        return self


class Blueprint(Strict):
    """What one exam form holds. Every form generated from it satisfies every count exactly."""

    title: Text
    exam: Slug | None = Field(None, description="Id of the exam the blueprint is for; checked against the bank.")
    items: int | None = Field(None, gt=0, le=MAX_ITEMS, description="Items per form; defaults to the sum of the counts.")
    objectives: list[ObjectiveShare] = Field(
        default_factory=list,
        description="Objectives and their counts or weights. An item counts for the most specific objective "
                    "listed above it. Empty: any item of the bank.",
    )
    types: list[ItemType] = Field(default_factory=lambda: list(ITEM_TYPES), min_length=1,
                                  description="Item types allowed on the form.")
    type_counts: dict[ItemType, int] = Field(default_factory=dict,
                                             description="Exact number of items of some types; other allowed types fill the rest.")
    difficulty: dict[Difficulty, Annotated[float, Field(allow_inf_nan=False)]] = Field(default_factory=dict,
                                                description="Difficulty mix as weights, turned into counts; empty: any mix.")
    max_case_studies: int | None = Field(None, ge=0, description="At most this many case studies per form; 0 excludes them.")
    case_studies: int | None = Field(None, ge=0, description="Exactly this many case studies per form.")
    group_by_objective: bool = Field(False, description="Print the items grouped by objective instead of fully shuffled.")
    time_limit_minutes: int | None = Field(None, gt=0)
    instructions: str = ""
    scoring: Scoring = Scoring()

    # Where the blueprint came from, for error lines and the manifest; not part of its content.
    _file: str = PrivateAttr("")
    _name: str = PrivateAttr("")
    # Finds the line of a field in the file it was read from; set by the loader.
    _locate: Callable[[tuple], int | None] | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _case_counts_agree(self):
        if (self.case_studies is not None and self.max_case_studies is not None
                and self.case_studies > self.max_case_studies):
            raise ValueError(f"case_studies is {self.case_studies} but max_case_studies is {self.max_case_studies}; "
                             "give one of them")
        return self

    @field_validator("types")
    @classmethod
    def _distinct_types(cls, types: list[str]) -> list[str]:
        if len(set(types)) != len(types):
            raise ValueError("a type is listed twice in 'types'; list each type once")
        return types

    @field_validator("type_counts")
    @classmethod
    def _non_negative_counts(cls, counts: dict[str, int]) -> dict[str, int]:
        for item_type, n in counts.items():
            if n < 0:
                raise ValueError(f"type_counts.{item_type} is {n}; use 0 or more")
        return counts

    @field_validator("difficulty")
    @classmethod
    def _non_negative_weights(cls, mix: dict[str, float]) -> dict[str, float]:
        for level, weight in mix.items():
            if weight < 0:
                raise ValueError(f"difficulty.{level} is {weight:g}; use 0 or more")
        if mix and not any(mix.values()):
            raise ValueError("every difficulty weight is 0; give at least one a positive weight")
        return mix

    # ------------------------------------------------------------------ provenance

    @property
    def name(self) -> str:
        """The blueprint's file name (no folders), as recorded in the manifest."""
        return self._name or "blueprint"

    @property
    def location(self) -> str:
        """The blueprint's path as the user should see it, for error messages."""
        return self._file or self.name

    def line(self, *loc: str | int) -> int | None:
        """The line in the blueprint file of a field such as ('objectives', 2), when loaded from one."""
        return self._locate(loc) if self._locate is not None else None

    def problem(self, message: str, *loc: str | int) -> Problem:
        return Problem(self.location, self.line(*loc), message)

    def content_hash(self) -> str:
        """A hash of what the blueprint says, independent of comments, key order and file name."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(blob.encode()).hexdigest()
