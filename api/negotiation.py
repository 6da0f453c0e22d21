"""One content-negotiation function for every route (RFC 9110 section 12.5.1)."""
from __future__ import annotations

from collections.abc import Sequence


class NotAcceptable(Exception):
    def __init__(self, offered: Sequence[str]) -> None:
        self.offered = list(offered)
        super().__init__("Not Acceptable. Available: " + ", ".join(self.offered))


def _parse(accept: str) -> list[tuple[str, str, float, int]]:
    ranges = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if media == "*":
            media = "*/*"
        if "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        typ, _, sub = media.partition("/")
        ranges.append((typ, sub, q, i))
    return ranges


def negotiate(accept: str | None, offered: Sequence[str]) -> str:
    """Pick the best of ``offered`` (first is the server's preference) for an Accept header.

    Most specific matching range decides each type's q; ties go to the server's order.
    Raises NotAcceptable listing ``offered`` when nothing is acceptable.
    """
    if not offered:
        raise NotAcceptable(offered)
    if accept is None or not accept.strip():
        return offered[0]
    ranges = _parse(accept)
    if not ranges:
        return offered[0]
    best: tuple[float, int] | None = None
    choice = None
    for rank, media in enumerate(offered):
        typ, _, sub = media.lower().partition("/")
        match_q, specificity = None, -1
        for rtyp, rsub, q, _ in ranges:
            if rtyp == typ and rsub == sub:
                spec = 2
            elif rtyp == typ and rsub == "*":
                spec = 1
            elif rtyp == "*" and rsub == "*":
                spec = 0
            else:
                continue
            if spec > specificity:
                match_q, specificity = q, spec
        if match_q is None or match_q <= 0:
            continue
        key = (match_q, -rank)
        if best is None or key > best:
            best, choice = key, media
    if choice is None:
        raise NotAcceptable(offered)
    return choice
