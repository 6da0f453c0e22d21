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


def test_within_gives_the_covered_parts_of_a_stretch_in_order() -> None:
    cover = Cover([(2, 4), (3, 6), (10, 12), (20, 30)])
    assert cover.within(0, 11) == [(2, 6), (10, 11)]
    assert cover.within(6, 10) == []
    assert cover.within(25, 40) == [(25, 30)]


def test_blank_clears_only_the_covered_characters_of_a_text_at_an_offset() -> None:
    from kg.extract.text import blank
    text = 'He said "we agree" and left'
    cover = Cover([(100 + 8, 100 + 18)])
    assert blank(text, 100, cover) == "He said " + " " * 10 + " and left"
    assert blank(text, 100, Cover()) == text
