"""The line diff without I/O: a shortest edit script in reading order, checked against the textbook longest common
subsequence on every small case, and refused with ``DifferenceTooLarge`` when it would cost more than its cap."""

from __future__ import annotations

import asyncio
import itertools
import random

import pytest

from varde_documents.comparison import Comparer, ComparerBusy
from varde_documents.difference import DifferenceTooLarge, line_diff, matching_lines


def longest_common_subsequence(a: list[str], b: list[str]) -> int:
    """The length by dynamic programming over every pair: quadratic, but beyond doubt."""
    lengths = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            same = a[i] == b[j]
            lengths[i][j] = lengths[i + 1][j + 1] + 1 if same else max(lengths[i + 1][j], lengths[i][j + 1])
    return lengths[0][0]


def test_the_difference_shows_removed_and_added_lines_in_reading_order() -> None:
    lines = line_diff("Formål\nGammel regel\nAnsvar", "Formål\nNy regel\nAnsvar\nVedlegg")
    assert [(d.op, d.text) for d in lines] == [
        ("equal", "Formål"),
        ("removed", "Gammel regel"),
        ("added", "Ny regel"),
        ("equal", "Ansvar"),
        ("added", "Vedlegg"),
    ]
    assert (lines[2].old_line, lines[2].new_line) == (None, 2)


def test_the_matching_lines_are_a_longest_common_subsequence_on_every_small_case() -> None:
    shuffle = random.Random(15)
    for _ in range(2_000):
        old = [shuffle.choice("abcd") for _ in range(shuffle.randint(0, 12))]
        new = [shuffle.choice("abcde") for _ in range(shuffle.randint(0, 12))]
        pairs = matching_lines(old, new, work_limit=10**9)
        assert all(old[i] == new[j] for i, j in pairs)
        assert all(i1 < i2 and j1 < j2 for (i1, j1), (i2, j2) in itertools.pairwise(pairs))
        assert len(pairs) == longest_common_subsequence(old, new), (old, new)


def test_the_lines_read_back_to_both_versions() -> None:
    old = "\n".join(f"Linje {i % 7}" for i in range(300))
    new = "\n".join(f"Linje {i % 5}" for i in range(280))
    lines = line_diff(old, new)
    assert [d.text for d in lines if d.op != "added"] == old.splitlines()
    assert [d.text for d in lines if d.op != "removed"] == new.splitlines()
    assert [d.old_line for d in lines if d.old_line is not None] == list(range(1, 301))
    assert [d.new_line for d in lines if d.new_line is not None] == list(range(1, 281))


def test_a_rewritten_version_is_cheap_however_long_it_is() -> None:
    """Lines found on one side only cannot match and are set aside before the search: no work beyond reading."""
    old = "\n".join(f"Gammel linje {i}" for i in range(100_000))
    new = "\n".join(f"Ny linje {i}" for i in range(100_000))
    lines = line_diff(old, new, work_limit=200_001)
    assert [d.op for d in lines].count("removed") == [d.op for d in lines].count("added") == 100_000


def test_texts_that_would_cost_more_than_the_cap_are_refused() -> None:
    old = "\n".join(str(i % 10) for i in range(4_000))
    new = "\n".join(str(i * 7 % 10) for i in range(4_000))
    with pytest.raises(DifferenceTooLarge):
        line_diff(old, new, work_limit=1_000_000)
    assert len(line_diff(old, new, work_limit=10**9)) > 4_000  # with no cap it is found, at a cost


async def test_comparisons_beyond_what_the_worker_may_queue_are_refused_at_once_and_the_rest_are_answered() -> None:
    comparer = Comparer(max_in_flight=2)
    old = "\n".join(f"linje {i}" for i in range(2000))
    new = old.replace("linje 1000", "endret")
    try:
        outcomes = await asyncio.gather(
            *(comparer.difference_json({}, old, new) for _ in range(3)), return_exceptions=True
        )
        assert [type(outcome) for outcome in outcomes] == [bytes, bytes, ComparerBusy]
        assert isinstance(await comparer.difference_json({}, old, new), bytes)  # the queue is free again
    finally:
        comparer.close()
