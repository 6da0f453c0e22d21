"""Where Virtuoso 7 departs from SPARQL 1.1 Update, and how a client's update is sent so that it does not show.

Measured on Debian's virtuoso-opensource 7.2.5, and the reason for each rule of ``operations``:

- ``DROP ALL``, ``CLEAR ALL``, ``DROP NAMED`` and ``CLEAR NAMED`` answer 200 and leave every graph in place:
  each becomes one ``DROP SILENT GRAPH`` (``CLEAR SILENT GRAPH``) per graph.
- There is no default graph apart from the named ones: an update that names no graph is refused unless the
  request says which graph is the default one, so every operation is sent with ``default-graph-uri`` set to
  the stand-in graph (kg.remoteview), and ``DROP``/``CLEAR DEFAULT`` act on that graph.
- ``DROP GRAPH g`` fails for a graph that holds triples but was never made by ``CREATE GRAPH``: whether the
  graph exists is asked first, and the operation is sent as ``DROP SILENT``.
- Each operation commits on its own, so sending them one per request loses nothing.

The text given has passed ``check_remote``; each text made from it is checked again when sent as a query.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from api.sparqltext import Token, tokens
from kg.sparqlhttp import StoreError

if TYPE_CHECKING:
    from kg.remoteview import RemoteView

_PROLOGUE = frozenset({"PREFIX", "BASE", ""})


def segments(text: str) -> Iterator[tuple[str, str, list[Token]]]:
    """Each operation of an update as (its own prologue, the operation, the operation's tokens)."""
    start = 0
    toks: list[Token] = []
    for tok in [*tokens(text), None]:
        if tok is None or (tok.depth == 0 and tok.kind == "other" and tok.text == ";"):
            end = len(text) if tok is None else tok.start
            first = next((t for t in toks if t.kind == "word" and t.keyword not in _PROLOGUE), None)
            cut = first.start if first is not None else end
            if text[start:end].strip():
                yield text[start:cut], text[cut:end], [t for t in toks if t.start >= cut]
            start, toks = (end + 1 if tok is not None else end), []
            continue
        toks.append(tok)


def operations(text: str, view: RemoteView) -> Iterator[str]:
    """The texts to send, one operation each, in order (each is produced once the ones before it are sent)."""
    prologue = ""
    for head, op, toks in segments(text):
        prologue += head
        words = [t for t in toks if t.kind == "word"]
        verb = words[0].keyword if words else ""
        if verb not in ("DROP", "CLEAR") or len(words) < 2:
            yield prologue + op
            continue
        silent = words[1].keyword == "SILENT"
        target = words[2 if silent else 1] if len(words) > (2 if silent else 1) else None
        kind = target.keyword if target is not None else "GRAPH"
        if kind in ("ALL", "NAMED"):
            graphs = list(view.named_graphs())
            for g in [*graphs, *([view.default] if kind == "ALL" else [])]:
                yield f"{verb} SILENT GRAPH {g}"
        elif kind == "DEFAULT":
            yield f"{verb} SILENT GRAPH {view.default}"
        elif silent:
            yield prologue + op
        else:
            ref = op[op.upper().index("GRAPH") + len("GRAPH"):].strip()
            if not view.query(f"{prologue}ASK {{ GRAPH {ref} {{ ?s ?p ?o }} }}", use_default_graph_as_union=True):
                raise StoreError(404, f"the graph {ref} does not exist (SILENT ignores that)")
            yield f"{prologue}{verb} SILENT GRAPH {ref}"


__all__ = ["operations", "segments"]
