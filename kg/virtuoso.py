"""Where Virtuoso 7 departs from SPARQL 1.1 Update, and how a client's update is sent so that it does not show.

Measured on Debian's virtuoso-opensource 7.2.5, and the reason for each rule of ``operations``:

- ``DROP ALL``, ``CLEAR ALL``, ``DROP NAMED`` and ``CLEAR NAMED`` answer 200 and leave every graph in place:
  each becomes one ``DROP SILENT GRAPH`` (``CLEAR SILENT GRAPH``) per graph.
- There is no default graph apart from the named ones: an update that names no graph is refused unless the
  request says which graph is the default one, so an operation is sent with ``default-graph-uri`` set to the
  stand-in graph (kg.remoteview), and ``DROP``/``CLEAR DEFAULT`` act on that graph. Not one with USING or
  WITH: Virtuoso reads its WHERE over the USING graphs *and* the default one (SPARQL: the USING graphs
  only). Such an operation's triples outside GRAPH go, as Virtuoso has it, to its first USING graph.
- ``DROP GRAPH g`` fails for a graph that holds triples but was never made by ``CREATE GRAPH``: whether the
  graph exists is asked first, and the operation is sent as ``DROP SILENT``.
- Each operation commits on its own, so sending them one per request loses nothing.

And one of its queries: a ``CONSTRUCT`` whose pattern holds a subquery (as every set-semantics rewrite does,
kg.setquery) ignores its ``LIMIT`` and ``OFFSET`` unless it has an ``ORDER BY``: ``ordered_construct`` gives
it one, by the first variable of its pattern (any order is SPARQL's; a sort of at most ``LIMIT`` + ``OFFSET``
rows, within Virtuoso's ``MaxSortedTopRows``).

Departures that no sending can mend, and which the README lists: a typed literal is kept by value, so a
non-canonical form comes back canonical (``"1"^^xsd:boolean`` as ``"true"``; the pipeline writes canonical
forms); ``SELECT DISTINCT ?g`` over ``GRAPH ?g`` also names graphs the user may not read; ``GROUP_CONCAT`` needs
its ``separator``.

The text given has passed ``check_remote``; each text made from it is checked again when sent as a query.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from api.sparqltext import Token, depths
from kg.sparqlhttp import StoreError

if TYPE_CHECKING:
    from kg.remoteview import RemoteView

_PROLOGUE = frozenset({"PREFIX", "BASE", ""})


def segments(text: str) -> Iterator[tuple[str, str, list[Token]]]:
    """Each operation of an update as (its own prologue, the operation, the operation's tokens)."""
    start = 0
    toks: list[Token] = []
    for tok in [*depths(text), None]:
        if tok is None or (tok.depth == 0 and tok.tok.kind == "punct" and tok.tok.text == ";"):
            end = len(text) if tok is None else tok.tok.start
            first = next((t for t in toks if t.tok.kind == "word" and t.keyword not in _PROLOGUE), None)
            cut = first.tok.start if first is not None else end
            if text[start:end].strip():
                yield text[start:cut], text[cut:end], [t for t in toks if t.tok.start >= cut]
            start, toks = (end + 1 if tok is not None else end), []
            continue
        toks.append(tok)


def ordered_construct(text: str) -> str:
    """A CONSTRUCT query with LIMIT or OFFSET and no ORDER BY, GROUP BY or VALUES after its pattern, ordered by
    the pattern's first variable (see the module's description); any other text as it is."""
    toks = list(depths(text))
    closing = [i for i, t in enumerate(toks) if t.depth == 0 and t.tok.kind == "punct" and t.tok.text == "}"]
    words = {t.keyword for t in toks[closing[-1]:]} if closing else set()
    if not {"LIMIT", "OFFSET"} & words or {"ORDER", "GROUP", "HAVING", "VALUES"} & words:
        return text
    opening = max(i for i, t in enumerate(toks[:closing[-1]]) if t.depth == 0 and t.tok.text == "{")
    var = next((t.tok.text for t in toks[opening:closing[-1]] if t.tok.kind == "var"), None)
    if var is None:
        return text
    at = toks[closing[-1]].tok.end
    return f"{text[:at]} ORDER BY {var}{text[at:]}"


def operations(text: str, view: RemoteView) -> Iterator[tuple[str, bool]]:
    """The texts to send, one operation each, in order (each is produced once the ones before it are sent), and
    whether to send it with the stand-in default graph as ``default-graph-uri``."""
    prologue = ""
    for head, op, toks in segments(text):
        prologue += head
        words = [t for t in toks if t.tok.kind == "word"]
        verb = words[0].keyword if words else ""
        if verb not in ("DROP", "CLEAR") or len(words) < 2:
            scoped = any(t.depth == 0 and t.keyword in ("USING", "WITH") for t in words)
            yield prologue + op, not scoped
            continue
        silent = words[1].keyword == "SILENT"
        target = words[2 if silent else 1] if len(words) > (2 if silent else 1) else None
        kind = target.keyword if target is not None else "GRAPH"
        if kind in ("ALL", "NAMED"):
            graphs = list(view.named_graphs())
            for g in [*graphs, *([view.default] if kind == "ALL" else [])]:
                yield f"{verb} SILENT GRAPH {g}", False
        elif kind == "DEFAULT":
            yield f"{verb} SILENT GRAPH {view.default}", False
        elif silent:
            yield prologue + op, False
        else:
            ref = op[op.upper().index("GRAPH") + len("GRAPH"):].strip()
            if not view.query(f"{prologue}ASK {{ GRAPH {ref} {{ ?s ?p ?o }} }}", use_default_graph_as_union=True):
                raise StoreError(404, f"the graph {ref} does not exist (SILENT ignores that)")
            yield f"{prologue}{verb} SILENT GRAPH {ref}", False


__all__ = ["operations", "segments"]
