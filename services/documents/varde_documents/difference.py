"""The line-by-line difference between two texts with a bounded cost: Myers' O(ND) algorithm in its linear-space
form (E. W. Myers, "An O(ND) Difference Algorithm and Its Variations", Algorithmica 1986, section 4b), with a cap
on the work so that no pair of texts the content limit allows can hold a process for long.

The answer is a shortest edit script (a longest common subsequence of lines). Before the search, lines that occur
in only one of the texts are set aside: they can never be matched, so leaving them out keeps the answer exact
while two wholly rewritten versions cost next to nothing. What remains costs about (N + M) x D steps, D being the
number of added and removed lines; beyond the cap the texts are "too large to compare" rather than a long wait.

Pure, no I/O: the documents api runs it in a worker process (``comparison.py``) so the event loop stays free.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

DiffOp = Literal["equal", "added", "removed"]

# About half a second of CPU on one core of the development machine; a real procedure with a few hundred changed
# lines needs a small fraction of it. See docs/decisions.md, "The version diff has a bounded cost".
DEFAULT_WORK_LIMIT = 4_000_000


class DifferenceTooLarge(Exception):
    """Comparing the two texts would take more work than the cap allows."""


@dataclass(frozen=True)
class DiffLine:
    """One line of a difference; line numbers count from 1."""

    op: DiffOp
    text: str
    old_line: int | None
    new_line: int | None


class _Budget:
    """The steps left; every diagonal looked at and every matching line followed costs one."""

    def __init__(self, steps: int) -> None:
        self.left = steps

    def spend(self, steps: int) -> None:
        self.left -= steps
        if self.left < 0:
            raise DifferenceTooLarge()


def line_diff(old: str, new: str, *, work_limit: int = DEFAULT_WORK_LIMIT) -> list[DiffLine]:
    """A line-by-line difference between two versions' Markdown, in reading order; ``DifferenceTooLarge`` when
    finding it would cost more than ``work_limit`` steps."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    pairs = matching_lines(old_lines, new_lines, work_limit=work_limit)
    result: list[DiffLine] = []
    i = j = 0
    for match_i, match_j in [*pairs, (len(old_lines), len(new_lines))]:
        result += [DiffLine("removed", old_lines[k], k + 1, None) for k in range(i, match_i)]
        result += [DiffLine("added", new_lines[k], None, k + 1) for k in range(j, match_j)]
        if match_i < len(old_lines):
            result.append(DiffLine("equal", old_lines[match_i], match_i + 1, match_j + 1))
        i, j = match_i + 1, match_j + 1
    return result


def matching_lines(old: Sequence[str], new: Sequence[str], *, work_limit: int) -> list[tuple[int, int]]:
    """The (old index, new index) pairs of a longest common subsequence of lines, in increasing order."""
    ids: dict[str, int] = {}
    old_ids = [ids.setdefault(line, len(ids)) for line in old]
    new_ids = [ids.setdefault(line, len(ids)) for line in new]
    in_old, in_new = set(old_ids), set(new_ids)
    # Only lines found on both sides can match; their positions map the search's answer back.
    old_at = [i for i, line in enumerate(old_ids) if line in in_new]
    new_at = [j for j, line in enumerate(new_ids) if line in in_old]
    a = [old_ids[i] for i in old_at]
    b = [new_ids[j] for j in new_at]
    budget = _Budget(work_limit)
    budget.spend(len(old) + len(new))
    return [(old_at[i], new_at[j]) for i, j in _common_subsequence(a, b, budget)]


def _common_subsequence(a: list[int], b: list[int], budget: _Budget) -> list[tuple[int, int]]:
    """Divide and conquer on the middle of a shortest edit path; a stack, not recursion, keeps the order."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[int, int, int, int]] = [(0, len(a), 0, len(b))]
    while stack:
        a_lo, a_hi, b_lo, b_hi = stack.pop()
        start = a_lo
        while a_lo < a_hi and b_lo < b_hi and a[a_lo] == b[b_lo]:
            a_lo, b_lo = a_lo + 1, b_lo + 1
        pairs += zip(range(start, a_lo), range(b_lo - (a_lo - start), b_lo), strict=True)
        end = a_hi
        while a_lo < a_hi and b_lo < b_hi and a[a_hi - 1] == b[b_hi - 1]:
            a_hi, b_hi = a_hi - 1, b_hi - 1
        budget.spend(end - start)
        if a_hi < end:
            # The common tail comes after everything between; a range whose bounds are equal only adds pairs.
            stack.append((a_hi, end, b_hi, b_hi + (end - a_hi)))
        if a_lo == a_hi or b_lo == b_hi:
            continue  # only additions or only removals left
        x, y = _middle(a, a_lo, a_hi, b, b_lo, b_hi, budget)
        stack.append((x, a_hi, y, b_hi))
        stack.append((a_lo, x, b_lo, y))
    return pairs


def _middle(a: list[int], a_lo: int, a_hi: int, b: list[int], b_lo: int, b_hi: int, budget: _Budget) -> tuple[int, int]:
    """A point strictly inside the box on a shortest edit path: where the furthest-reaching forward and backward
    paths first overlap. The caller has stripped the common head and tail, so the path has at least two edits
    and the point is neither the box's start nor its end."""
    n, m = a_hi - a_lo, b_hi - b_lo
    delta = n - m
    odd = delta % 2 == 1
    ahead, behind = a[a_lo:a_hi], b[b_lo:b_hi]
    back_a, back_b = ahead[::-1], behind[::-1]
    # forward[k]: furthest x on diagonal k (x - y = k) from the start; backward[k]: the same in the reversed texts,
    # where diagonal k is diagonal delta - k forwards. Negative k index from the end of the lists.
    forward = [0] * (2 * (n + m) + 5)
    backward = [0] * (2 * (n + m) + 5)
    for d in range((n + m + 1) // 2 + 1):
        for k, x in _furthest(forward, d, ahead, behind, budget):
            if odd and -(d - 1) <= delta - k <= d - 1 and x + backward[delta - k] >= n:
                return a_lo + x, b_lo + x - k
        for k, x in _furthest(backward, d, back_a, back_b, budget):
            if not odd and -d <= delta - k <= d and x + forward[delta - k] >= n:
                forward_x = forward[delta - k]
                return a_lo + forward_x, b_lo + forward_x - (delta - k)
    raise AssertionError("the forward and backward paths always meet")  # pragma: no cover


def _furthest(v: list[int], d: int, a: list[int], b: list[int], budget: _Budget) -> Iterator[tuple[int, int]]:
    """One round of the search: the furthest x reachable on each diagonal with ``d`` edits, stored in ``v`` and
    given as (diagonal, x) as soon as it is known."""
    n, m = len(a), len(b)
    budget.spend(2 * d + 1)
    for k in range(-d, d + 1, 2):
        x = v[k + 1] if k == -d or (k != d and v[k - 1] < v[k + 1]) else v[k - 1] + 1
        y = x - k
        start = x
        while x < n and y < m and a[x] == b[y]:
            x, y = x + 1, y + 1
        budget.spend(x - start)
        v[k] = x
        yield k, x
