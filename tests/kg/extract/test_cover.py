"""Cover: whether an offset lies in any of many spans, answered as a scan of them all would."""
from __future__ import annotations

import random

from kg.extract.text import Cover


def test_cover_answers_as_a_scan_of_overlapping_touching_and_empty_spans() -> None:
    rng = random.Random(7)
    for _ in range(500):
        spans = [(rng.randint(0, 40), rng.randint(0, 40)) for _ in range(rng.randint(0, 9))]
        cover = Cover(spans[:3])
        for begin, end in spans[3:]:
            cover.add(begin, end)
        for offset in range(-1, 42):
            assert (offset in cover) == any(b <= offset < e for b, e in spans), (spans, offset)


def test_an_end_offset_is_outside_its_span() -> None:
    cover = Cover([(5, 10)])
    assert 5 in cover and 9 in cover and 10 not in cover and 4 not in cover
