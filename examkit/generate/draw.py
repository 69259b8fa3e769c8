"""Drawing the items of one form so that every count of the blueprint holds exactly.

The bank is cut into units: a standalone item, or the eligible items of one case study, which
are always drawn together. Each unit needs some of the form's quotas (one per item for its
objective, its type if the blueprint counts that type, its difficulty if it sets a mix).

A form is filled quota by quota, scarcest first: from the units that serve the quota, units are
taken in a random order (a partial Fisher-Yates over a pool kept between forms, so each draw
costs O(1) and never shuffles the whole bank) and accepted when they fit every remaining
quota and share no enemy with the form. The greedy fill can paint itself into a corner when
the bank is thin, so a failed attempt starts the form again; the counts are checked one by one
up front, so the usual cause of failure is reported before any drawing, with its line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import ExamkitError, Problem
from ..models import DIFFICULTIES, ITEM_TYPES, Blueprint
from .blueprint import Quotas

MAX_ATTEMPTS = 200
Random = Callable[[], float]
Cell = tuple[str, str, str]  # (blueprint objective, type, difficulty)


@dataclass(frozen=True)
class Quota:
    """One count every form must meet: exactly (objectives, types, difficulties) or at most (cases)."""

    label: str  # what is counted, for messages: "items of aif-c01:2.1.1", "matching items"
    where: tuple  # the blueprint field it comes from, for the error's line
    limit: int
    exact: bool = True


@dataclass(frozen=True)
class Unit:
    items: tuple[int, ...]  # indexes into DrawPlan.items, in print order
    needs: tuple[tuple[int, int], ...]  # (quota index, how many of it the unit uses)
    enemies: tuple[int, ...]  # units that may not share a form with this one
    group: int  # position of its objective in the tree, for printing grouped by objective


class DrawPlan:
    """The eligible items of a bank under a blueprint, cut into units, and the quotas of a form.

    `DrawPlan.for_blueprint` makes the plan of a blueprint; `parallel` the plan of forms parallel
    to a drawn one. Both compute the parts and hand them to the constructor."""

    def __init__(self, bank, blueprint: Blueprint, total: int, quotas: list[Quota], bucket_names: list[str],
                 items: list, origin: list[int], needs: list[tuple[int, ...]], case_quota: int | None):
        """`needs`: the quotas each item counts towards; `origin`: each item's index in the
        blueprint's plan; `case_quota`: the index of the case-study quota, if any."""
        self.bank = bank
        self.blueprint = blueprint
        self.total = total
        self.quotas = quotas
        self.limits = [q.limit for q in quotas]
        self._bucket_names = bucket_names
        self.items = items
        self.origin = origin
        self._needs = needs
        self.units = _make_units(items, needs, bank, case_quota)
        self.phases = self._phases()
        self._taken = [0] * len(self.units)
        self._stamp = 0

    @classmethod
    def for_blueprint(cls, bank, blueprint: Blueprint, quotas: Quotas, check_supply: bool = True) -> DrawPlan:
        """The plan of a blueprint. Unless `check_supply` is false, a count the bank cannot meet
        on its own is refused (with its line) before any drawing."""
        problems = _check_exam_and_objectives(bank, blueprint)
        if problems:
            raise ExamkitError(problems)
        quota_list = _quota_list(blueprint, quotas)
        items, needs = _eligible_items(bank, blueprint, quota_list)
        case_quota = _case_quota(blueprint, quota_list)
        if check_supply:
            _check_supply(blueprint, quotas.total, quota_list, items, needs, case_quota)
        bucket_names = [q.label.removeprefix("items of ") if q.where[0] == "objectives" else "any"
                        for q in quota_list]
        return cls(bank, blueprint, quotas.total, quota_list, bucket_names, items, list(range(len(items))), needs,
                   case_quota)

    def cell_of(self, index: int) -> Cell:
        """The table cell an item counts in: its blueprint objective, its type, its difficulty."""
        item = self.items[index]
        return self._bucket_names[self._needs[index][0]], item.type, item.difficulty

    def table(self, units: list[int]) -> tuple[dict[Cell, int], int]:
        """What a drawn form holds: items per cell, in a fixed order, and its number of case studies."""
        counts: dict[Cell, int] = {}
        for u in units:
            for i in self.units[u].items:
                cell = self.cell_of(i)
                counts[cell] = counts.get(cell, 0) + 1
        cases = sum(1 for u in units if self.items[self.units[u].items[0]].case is not None)
        return dict(sorted(counts.items(), key=lambda kv: self._cell_order(kv[0]))), cases

    def _cell_order(self, cell: Cell) -> tuple:
        objective, kind, level = cell
        return (self._bucket_names.index(objective), ITEM_TYPES.index(kind), DIFFICULTIES.index(level))

    def parallel(self, table: dict[Cell, int], cases: int) -> DrawPlan:
        """A plan whose every form holds exactly `table` and `cases` case studies: the counts of
        the first form, so every later form is parallel to it by construction (the first
        form's own items satisfy them, so they can always be met)."""
        quotas = [Quota(f"{kind} {level} items of {objective}", ("cell", (objective, kind, level)), n)
                  for (objective, kind, level), n in table.items()]
        quotas.append(Quota("case studies", ("max_case_studies",), cases))
        index_of = {cell: q for q, cell in enumerate(table)}
        # A case study is drawn whole or not at all: one item outside the table rules out its case.
        broken = {self.items[i].case for i in range(len(self.items)) if self.cell_of(i) not in index_of}
        keep = [i for i in range(len(self.items)) if self.cell_of(i) in index_of
                and (self.items[i].case is None or self.items[i].case not in broken)]
        return DrawPlan(self.bank, self.blueprint, self.total, quotas, self._bucket_names,
                        [self.items[i] for i in keep], [self.origin[i] for i in keep],
                        [(index_of[self.cell_of(i)],) for i in keep], len(quotas) - 1)

    def _phases(self) -> list[tuple[int, list[int]]]:
        """The exact quotas to fill, scarcest first (fewest items to spare per item asked for),
        each with the pool of units that serve it."""
        supply = [0] * len(self.quotas)
        pools: list[list[int]] = [[] for _ in self.quotas]
        for u, unit in enumerate(self.units):
            for q, n in unit.needs:
                supply[q] += n
                pools[q].append(u)
        filled = [q for q, quota in enumerate(self.quotas) if quota.exact and quota.limit > 0]
        filled.sort(key=lambda q: (supply[q] / self.limits[q], q))
        return [(q, pools[q]) for q in filled]

    def draw(self, random: Random) -> list[int]:
        """The units of one new form, in the order drawn."""
        units = self.units
        taken = self._taken
        for _ in range(MAX_ATTEMPTS):
            self._stamp += 1
            stamp = self._stamp
            remaining = self.limits[:]
            chosen: list[int] = []
            for quota, pool in self.phases:
                size = len(pool)
                i = 0
                while remaining[quota] > 0 and i < size:
                    j = i + int(random() * (size - i))
                    u = pool[j]
                    pool[j] = pool[i]
                    pool[i] = u
                    i += 1
                    if taken[u] == stamp:
                        continue
                    unit = units[u]
                    fits = True
                    for q, n in unit.needs:
                        if remaining[q] < n:
                            fits = False
                            break
                    if not fits:
                        continue
                    for e in unit.enemies:
                        if taken[e] == stamp:
                            fits = False
                            break
                    if not fits:
                        continue
                    for q, n in unit.needs:
                        remaining[q] -= n
                    taken[u] = stamp
                    chosen.append(u)
                if remaining[quota] > 0:
                    break
            else:
                return chosen
        raise ExamkitError(self.blueprint.problem(
            f"could not fill a form meeting the objective, type and difficulty counts together in {MAX_ATTEMPTS} "
            "attempts (case studies are drawn whole and enemies exclude each other); relax 'type_counts' or "
            "'difficulty', or add items to the bank"))


def _quota_list(blueprint: Blueprint, quotas: Quotas) -> list[Quota]:
    """Objectives (or the whole bank) first, then counted types, difficulties, and case studies last."""
    found = [Quota(f"items of {oid}", ("objectives", i), n) for i, (oid, n) in enumerate(quotas.objectives)]
    if not found:
        found.append(Quota("items", ("items",), quotas.total))
    found += [Quota(f"{t} items", ("type_counts", t), n) for t, n in quotas.types]
    found += [Quota(f"{d} items", ("difficulty", d), n) for d, n in quotas.difficulty]
    if blueprint.case_studies is not None:
        found.append(Quota("case studies", ("case_studies",), blueprint.case_studies))
    elif blueprint.max_case_studies is not None:
        found.append(Quota("case studies", ("max_case_studies",), blueprint.max_case_studies, exact=False))
    return found


def _case_quota(blueprint: Blueprint, quotas: list[Quota]) -> int | None:
    """The index of the case-study quota (the last one) when the blueprint counts case studies."""
    has_quota = blueprint.max_case_studies is not None or blueprint.case_studies is not None
    return len(quotas) - 1 if has_quota else None


def _eligible_items(bank, blueprint: Blueprint, quotas: list[Quota]) -> tuple[list, list[tuple[int, ...]]]:
    """Items the blueprint allows, each with the quotas it counts towards."""
    objectives = bank.objectives
    bucket = {q.where[1]: i for i, q in enumerate(quotas) if q.where[0] == "objectives"}
    by_type = {q.where[1]: i for i, q in enumerate(quotas) if q.where[0] == "type_counts"}
    by_difficulty = {q.where[1]: i for i, q in enumerate(quotas) if q.where[0] == "difficulty"}
    listed = {share.id: bucket[index] for index, share in enumerate(blueprint.objectives)}
    cases_allowed = blueprint.max_case_studies != 0 and blueprint.case_studies != 0

    def bucket_of(objective: str) -> int | None:
        if not listed:
            return 0  # the one quota: items from anywhere in the bank
        node = objective
        while node is not None:  # the most specific blueprint objective above the item
            if node in listed:
                return listed[node]
            node = objectives[node].parent if node in objectives else None
        return None

    allowed = set(blueprint.types)
    items, needs_of = [], []
    for item in bank.items:
        if item.type not in allowed or (item.case is not None and not cases_allowed):
            continue
        needs = [bucket_of(item.objective)]
        if item.type in by_type:
            needs.append(by_type[item.type])
        if by_difficulty:
            needs.append(by_difficulty[item.difficulty])
        if needs[0] is None or any(quotas[q].limit == 0 for q in needs):
            continue
        items.append(item)
        needs_of.append(tuple(needs))
    return items, needs_of


def _check_supply(bp: Blueprint, total: int, quotas: list[Quota], items: list, item_needs: list[tuple[int, ...]],
                  case_quota: int | None) -> None:
    """Each count on its own must be within what the bank holds; say which is not, and where."""
    have = [0] * len(quotas)
    for needs in item_needs:
        for q in needs:
            have[q] += 1
    if case_quota is not None:  # counted per case study, not per item
        have[case_quota] = len({item.case for item in items if item.case is not None})
    types = ", ".join(bp.types)
    problems = []
    if len(items) < total:
        problems.append(bp.problem(
            f"asks for {total} items per form, but only {len(items)} bank items fit the "
            f"blueprint (types {types}); lower 'items' or add items to the bank", "items"))
    for q, quota in enumerate(quotas):
        if quota.exact and have[q] < quota.limit and quota.where != ("items",):
            problems.append(bp.problem(
                f"asks for {quota.limit} {quota.label} per form, but the bank has {have[q]} "
                f"that fit the blueprint (types {types}), {quota.limit - have[q]} short; lower the count or "
                "add items to the bank",
                *quota.where))
    if problems:
        raise ExamkitError(problems)


def _make_units(items: list, item_needs: list[tuple[int, ...]], bank, case_quota: int | None) -> list[Unit]:
    """Standalone items, and case studies as one unit each where the first of their items is."""
    members: list[list[int]] = []
    unit_of_case: dict[str, int] = {}
    for index, item in enumerate(items):
        if item.case is None:
            members.append([index])
        elif item.case in unit_of_case:
            members[unit_of_case[item.case]].append(index)
        else:
            unit_of_case[item.case] = len(members)
            members.append([index])
    unit_of_item = {items[i].id: u for u, group in enumerate(members) for i in group}
    enemies: list[set[int]] = [set() for _ in members]
    for u, group in enumerate(members):
        for i in group:
            for enemy in items[i].enemies:
                other = unit_of_item.get(enemy)
                if other is not None and other != u:  # enemies are mutual, whoever names whom
                    enemies[u].add(other)
                    enemies[other].add(u)
    tree_position = {oid: i for i, oid in enumerate(bank.objectives)}
    units = []
    for u, group in enumerate(members):
        counts: dict[int, int] = {}
        for i in group:
            for q in item_needs[i]:
                counts[q] = counts.get(q, 0) + 1
        if items[group[0]].case is not None and case_quota is not None:
            counts[case_quota] = 1
        units.append(Unit(
            items=tuple(group),
            needs=tuple(sorted(counts.items())),
            enemies=tuple(sorted(enemies[u])),
            group=tree_position.get(items[group[0]].objective, len(tree_position)),
        ))
    return units


def _check_exam_and_objectives(bank, blueprint: Blueprint) -> list[Problem]:
    problems = []
    if blueprint.exam is not None and blueprint.exam != bank.exam.id:
        problems.append(blueprint.problem(
            f"the blueprint is for exam '{blueprint.exam}' but the bank is for '{bank.exam.id}'; "
            "use a blueprint for this bank (or fix 'exam')", "exam"))
    objectives = bank.objectives
    for index, share in enumerate(blueprint.objectives):
        if share.id not in objectives:
            problems.append(blueprint.problem(
                f"unknown objective '{share.id}'; use an id of the bank's objective tree (examkit list --all)",
                "objectives", index, "id"))
    return problems
