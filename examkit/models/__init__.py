"""The pydantic models every stage shares: the contracts between them.

- `common`: the strict base class, id patterns, item types and scoring rules;
- `bank`: bank files (exam definition, case studies, items);
- `blueprint`: blueprint files;
- `examset`: `examset.json`, what generate writes and render, scan and grade read.
"""

from __future__ import annotations

from .bank import (BankFile, Case, Concept, ExamFacts, ExamFile, ExamSpec, Item, ItemBase, ItemFile, ItemRules,
                   MatchingItem, MultipleItem, MultipleRule, NumericItem, Param, Objective, ObjectiveNode, Option, OrderingItem, Premise,
                   RangeRule, Response, ShortItem, SingleItem, SingleRule, Step)
from .blueprint import MAX_ITEMS, Blueprint, ObjectiveShare
from .common import (DIFFICULTIES, ITEM_TYPES, OBJECTIVE_PATTERN, SLUG_PATTERN, Difficulty, ItemType, ObjectiveId, Scoring, Slug,
                     Strict, Text)
from .examset import (FORMAT, LETTERS, Choice, ExamSet, Form, FormItem, FormTable, Manifest, TableCell, Placement, PrintedOption,
                      PrintedPremise, PrintedStep, SetItem, StoredPremise, StoredStep, pack_forms, placement_key,
                      print_item)

__all__ = [
    "BankFile", "Case", "Concept", "ExamFacts", "ExamFile", "ExamSpec", "Item", "ItemBase", "ItemFile", "ItemRules",
    "MatchingItem", "MultipleItem", "MultipleRule", "NumericItem", "Param", "Objective", "ObjectiveNode", "Option", "OrderingItem", "Premise",
    "RangeRule", "Response", "ShortItem", "SingleItem", "SingleRule", "Step", "MAX_ITEMS", "Blueprint",
    "ObjectiveShare", "DIFFICULTIES", "ITEM_TYPES", "OBJECTIVE_PATTERN", "SLUG_PATTERN", "Difficulty", "ItemType", "ObjectiveId",
    "Scoring", "Slug", "Strict", "Text", "ExamSet", "Form", "FormItem", "Manifest", "PrintedOption", "PrintedPremise",
    "PrintedStep", "FORMAT", "LETTERS", "Choice", "Placement", "SetItem", "StoredPremise", "StoredStep", "pack_forms",
    "placement_key", "print_item", "FormTable", "TableCell",
]
