"""What every model shares: the strict base class, the id patterns, item types and scoring."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"
OBJECTIVE_PATTERN = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*:\d+(?:\.\d+)*$"

Slug = Annotated[str, StringConstraints(strip_whitespace=True, pattern=SLUG_PATTERN, max_length=80)]
ObjectiveId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=OBJECTIVE_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = get_args(Difficulty)  # easiest first: the order tables and mixes use
ItemType = Literal["single", "multiple", "matching", "ordering", "short", "numeric"]
ITEM_TYPES: tuple[ItemType, ...] = ("single", "multiple", "matching", "ordering", "short", "numeric")


class Strict(BaseModel):
    """Unknown fields are errors, so a typo such as `explaination` never passes silently."""

    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- scoring


# No item is worth more: a typo such as 1e308 would make every total infinite.
MAX_POINTS = 1000
Points = Annotated[float, Field(gt=0, le=MAX_POINTS, allow_inf_nan=False)]


class Scoring(Strict):
    points: Points = Field(1, description="Points per item unless the type says otherwise.")
    points_by_type: dict[ItemType, Points] = {}
    partial_credit: list[Literal["multiple", "matching", "ordering"]] = Field(
        default_factory=list, description="Types graded with partial credit; all-or-nothing otherwise."
    )
    negative_marking: float = Field(0, ge=0, le=1, description="Share of an item's points lost for a wrong answer.")
    scale: tuple[int, int] | None = Field(None, description="Scaled score range, e.g. [100, 1000].")
    pass_mark: float | None = Field(None, allow_inf_nan=False,
                                    description="On the scaled score if a scale is set, else in percent.")

    @model_validator(mode="after")
    def _scale_and_pass_mark(self):
        low, high = self.scale if self.scale else (0, 100)
        if self.scale and low >= high:
            raise ValueError(f"scale [{low}, {high}]: the low end must be below the high end, e.g. [100, 1000]")
        if self.pass_mark is not None and not low <= self.pass_mark <= high:
            on = f"the scale [{low}, {high}]" if self.scale else "0 to 100 percent"
            raise ValueError(f"pass_mark {self.pass_mark:g} is outside {on}; use a mark within it")
        return self

    def points_for(self, item_type: str) -> float:
        return self.points_by_type.get(item_type, self.points)
