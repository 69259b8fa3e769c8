"""What every model shares: the strict base class, the id patterns, item types and scoring."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"
OBJECTIVE_PATTERN = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*:\d+(?:\.\d+)*$"

Slug = Annotated[str, StringConstraints(strip_whitespace=True, pattern=SLUG_PATTERN, max_length=80)]
ObjectiveId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=OBJECTIVE_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Difficulty = Literal["easy", "medium", "hard"]
ItemType = Literal["single", "multiple", "matching", "ordering", "short", "numeric"]
ITEM_TYPES: tuple[ItemType, ...] = ("single", "multiple", "matching", "ordering", "short", "numeric")


class Strict(BaseModel):
    """Unknown fields are errors, so a typo such as `explaination` never passes silently."""

    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- scoring


class Scoring(Strict):
    points: float = Field(1, gt=0, description="Points per item unless the type says otherwise.")
    points_by_type: dict[ItemType, float] = {}
    partial_credit: list[Literal["multiple", "matching", "ordering"]] = Field(
        default_factory=list, description="Types graded with partial credit; all-or-nothing otherwise."
    )
    negative_marking: float = Field(0, ge=0, le=1, description="Share of an item's points lost for a wrong answer.")
    scale: tuple[int, int] | None = Field(None, description="Scaled score range, e.g. [100, 1000].")
    pass_mark: float | None = Field(None, description="On the scaled score if a scale is set, else in percent.")

    def points_for(self, item_type: str) -> float:
        return self.points_by_type.get(item_type, self.points)
