"""Set semantics for a merged default graph: a SPARQL query rewriter.

A default graph made of several graphs (the union of all graphs, or FROM g1 FROM g2) is their RDF merge, one
graph, a set of triples: a triple stated in two graphs is one triple of it. pyoxigraph 0.5 matches every graph's
copy, so such a triple matches a pattern twice. ``distinct_matches(query)`` makes each match count once: every
basic graph pattern evaluated against the default graph becomes ``{ SELECT DISTINCT * WHERE { pattern } }``.
A solution of a basic graph pattern fixes the triples it matched, so its distinct solutions are its matches
against the set. The pattern's blank nodes and the hidden nodes of its property paths (the middle of a
sequence, the predicate of a negated set) become fresh variables first, kept in
the DISTINCT and then projected away, so two different matches still give two solutions. (An alternative
path gives one solution per pair of nodes, as pyoxigraph evaluates it.) A pattern with no
variable of its own matches at most once.

Patterns inside GRAPH are left alone (a named graph is a set already), and so is CONSTRUCT WHERE (CONSTRUCT
answers are sets). A text this reader cannot follow is returned unchanged: the engine then parses it, and
reports its errors, as it would have.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.sparqllex import Tok, tokens, unescape

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDF_FIRST = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#first>"
RDF_REST = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>"
RDF_NIL = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>"

_TERM_KINDS = frozenset({"var", "iri", "pname", "string", "num", "bnode"})


class Unreadable(ValueError):
    """The text is not a query this reader can follow."""


# Property paths: ("link", text) | ("inv", p) | ("seq", [p...]) | ("alt", [p...]) | ("mod", p, "*"|"+"|"?")
# | ("nps", [forward texts], [inverse texts]).
Path = tuple


def path_text(p: Path) -> str:
    kind = p[0]
    if kind == "link":
        return str(p[1])
    if kind == "inv":
        return "^" + path_text(p[1])
    if kind in ("seq", "alt"):
        return "(" + ("/" if kind == "seq" else "|").join(path_text(x) for x in p[1]) + ")"
    if kind == "mod":
        return f"({path_text(p[1])}){p[2]}"
    return "!(" + "|".join([*p[1], *("^" + x for x in p[2])]) + ")"


def _needs_expansion(p: Path) -> bool:
    """Whether matching the path has hidden nodes that DISTINCT would merge. A '*', '+' or '?' path has none (its
    solutions are distinct pairs by definition), and neither has an alternative as the engine evaluates it (one
    solution per pair, whichever branches lead there)."""
    kind = p[0]
    if kind in ("link", "mod", "alt"):
        return False
    if kind == "inv":
        return _needs_expansion(p[1])
    return True


@dataclass
class Unit:
    """Consecutive triples blocks of one group (only FILTERs between them), rewritten as one pattern."""
    blocks: list[tuple[int, int]] = field(default_factory=list)         # token index ranges
    patterns: list[tuple[str, Path, str]] = field(default_factory=list)
    expand: bool = False


class Rewriter:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = tokens(text)
        self.i = 0
        self.edits: list[tuple[int, int, str]] = []
        names = {t.text[1:] for t in self.toks if t.kind == "var"}
        self.prefix = next(p for p in (f"_s{n}_" for n in range(len(names) + 1))
                           if not any(name.startswith(p) for name in names))
        self.fresh_count = 0
        self.labels: dict[str, str] = {}

    # -- tokens ------------------------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> Tok:
        j = self.i + ahead
        if j >= len(self.toks):
            raise Unreadable("unexpected end of the query")
        return self.toks[j]

    def at(self, text: str, ahead: int = 0) -> bool:
        j = self.i + ahead
        return j < len(self.toks) and self.toks[j].kind == "punct" and self.toks[j].text == text

    def at_word(self, *words: str) -> bool:
        return self.i < len(self.toks) and self.toks[self.i].word in words

    def take(self, text: str | None = None) -> Tok:
        tok = self.peek()
        if text is not None and not (tok.text == text or tok.word == text):
            raise Unreadable(f"expected {text}, found {tok.text!r}")
        self.i += 1
        return tok

    def fresh(self) -> str:
        self.fresh_count += 1
        return f"?{self.prefix}{self.fresh_count}"

    # -- query structure ---------------------------------------------------------------------------

    def query(self) -> None:
        while self.at_word("BASE", "PREFIX"):
            self.take()
            if self.peek().kind == "pname":
                self.take()
            self.take()
        form = self.take().word
        if form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            raise Unreadable("not a query")
        if form == "CONSTRUCT":
            if self.at_word("WHERE"):
                return                          # the template is the pattern; CONSTRUCT answers are sets
            self.skip_braces()
        if self.until_group():
            self.group()
        self.rest()

    def until_group(self) -> bool:
        """Skips to the query's pattern (the first '{' outside parentheses); EXISTS in expressions on the way
        are rewritten. False if the query has none (DESCRIBE <x>)."""
        depth = 0
        while self.i < len(self.toks):
            tok = self.peek()
            if tok.text == "{" and depth == 0:
                return True
            if tok.word == "EXISTS":
                self.take()
                self.group()
                continue
            if tok.text == "{":
                raise Unreadable("a group inside an expression")
            depth += tok.text == "("
            depth -= tok.text == ")"
            self.i += 1
        return False

    def rest(self, closer: str | None = None) -> None:
        """Solution modifiers and VALUES after a pattern, up to ``closer`` (a sub-select's '}') or the end."""
        while self.i < len(self.toks) and not (closer and self.at(closer)):
            if self.at_word("EXISTS"):
                self.take()
                self.group()
            elif self.at_word("VALUES"):
                self.take()
                self.skip_values()
            elif self.at("{"):
                raise Unreadable("a group after the pattern")
            else:
                self.i += 1

    def skip_braces(self) -> None:
        self.take("{")
        depth = 1
        while depth:
            tok = self.take()
            if tok.kind == "punct":
                depth += (tok.text == "{") - (tok.text == "}")

    def skip_values(self) -> None:
        while not self.at("{"):
            self.take()
        self.skip_braces()

    def group(self) -> None:
        """A group graph pattern evaluated against the default graph: its triples blocks are rewritten."""
        self.take("{")
        if self.at_word("SELECT"):
            self.take()
            if not self.until_group():
                raise Unreadable("a sub-select without a pattern")
            self.group()
            self.rest("}")
            self.take("}")
            return
        unit = Unit()
        while not self.at("}"):
            tok = self.peek()
            if tok.word == "FILTER":
                self.take()
                self.constraint()
                continue
            if tok.text == ".":
                self.take()
                continue
            if self.starts_triples():
                self.triples_block(unit)
                continue
            self.flush(unit)
            unit = Unit()
            if tok.text == "{":
                self.group()
                while self.at_word("UNION"):
                    self.take()
                    self.group()
            elif tok.word in ("OPTIONAL", "MINUS"):
                self.take()
                self.group()
            elif tok.word in ("GRAPH", "SERVICE"):
                self.take()
                if self.at_word("SILENT"):
                    self.take()
                self.take()
                self.skip_braces()
            elif tok.word == "BIND":
                self.take()
                self.parenthesized()
            elif tok.word == "VALUES":
                self.take()
                self.skip_values()
            else:
                raise Unreadable(f"unexpected {tok.text!r} in a group")
        self.flush(unit)
        self.take("}")

    def constraint(self) -> None:
        if self.at_word("NOT"):
            self.take()
        if self.at_word("EXISTS"):
            self.take()
            self.group()
            return
        if not self.at("("):
            self.take()                         # a function name: regex(...), <iri>(...), ex:f(...)
        self.parenthesized()

    def parenthesized(self) -> None:
        self.take("(")
        depth = 1
        while depth:
            tok = self.peek()
            if tok.word == "EXISTS":
                self.take()
                self.group()
                continue
            if tok.text in ("{", "}"):
                raise Unreadable("a group inside an expression")
            depth += (tok.text == "(") - (tok.text == ")")
            self.take()

    # -- triples -----------------------------------------------------------------------------------

    def starts_triples(self) -> bool:
        tok = self.peek()
        return tok.kind in _TERM_KINDS or tok.text in ("[", "(") or tok.word in ("TRUE", "FALSE")

    def triples_block(self, unit: Unit) -> None:
        start = self.i
        while True:
            self.triples_same_subject(unit)
            if not self.at("."):
                break
            self.take()
            if not self.starts_triples():
                break
        unit.blocks.append((start, self.i))

    def triples_same_subject(self, unit: Unit) -> None:
        if self.at("[") and not self.at("]", 1):
            subject = self.blank_property_list(unit)
        elif self.at("(") and not self.at(")", 1):
            subject = self.collection(unit)
        else:
            self.property_list(self.term(unit), unit)
            return
        if self.starts_verb():            # after [ ... ] or ( ... ) the property list is optional
            self.property_list(subject, unit)

    def starts_verb(self) -> bool:
        tok = self.peek()
        return tok.kind in ("var", "iri", "pname") or tok.text in ("^", "!", "(") or tok.word == "A"

    def property_list(self, subject: str, unit: Unit) -> None:
        while True:
            verb: Path = ("link", self.take().text) if self.peek().kind == "var" else self.path()
            if verb[0] == "link" and verb[1].startswith("$"):
                verb = ("link", "?" + verb[1][1:])
            unit.expand = unit.expand or _needs_expansion(verb)
            while True:
                unit.patterns.append((subject, verb, self.graph_node(unit)))
                if not self.at(","):
                    break
                self.take()
            if not self.at(";"):
                return
            while self.at(";"):
                self.take()
            if not self.starts_verb():
                return

    def graph_node(self, unit: Unit) -> str:
        if self.at("[") and not self.at("]", 1):
            return self.blank_property_list(unit)
        if self.at("(") and not self.at(")", 1):
            return self.collection(unit)
        return self.term(unit)

    def blank_property_list(self, unit: Unit) -> str:
        self.take("[")
        node = self.fresh()
        unit.expand = True
        self.property_list(node, unit)
        self.take("]")
        return node

    def collection(self, unit: Unit) -> str:
        self.take("(")
        unit.expand = True
        items = []
        while not self.at(")"):
            items.append(self.graph_node(unit))
        self.take(")")
        head = node = self.fresh()
        for n, item in enumerate(items):
            rest = RDF_NIL if n == len(items) - 1 else self.fresh()
            unit.patterns.append((node, ("link", RDF_FIRST), item))
            unit.patterns.append((node, ("link", RDF_REST), rest))
            node = rest
        return head

    def term(self, unit: Unit) -> str:
        tok = self.take()
        if tok.kind == "var":
            return "?" + tok.text[1:]
        if tok.kind in ("iri", "pname", "num") or tok.word in ("TRUE", "FALSE"):
            return tok.text
        if tok.kind == "bnode":
            unit.expand = True
            return self.labels.setdefault(tok.text, self.fresh())
        if tok.text in ("[", "("):
            closer = self.take()
            if closer.text != {"[": "]", "(": ")"}[tok.text]:
                raise Unreadable("unexpected term")
            if tok.text == "(":
                return RDF_NIL
            unit.expand = True
            return self.fresh()
        if tok.kind == "string":
            text = tok.text
            if self.peek().kind == "lang":
                text += self.take().text
            elif self.peek().kind == "dt":
                self.take()
                text += "^^" + self.take().text
            return text
        raise Unreadable(f"unexpected term {tok.text!r}")

    def path(self) -> Path:
        branches = [self.path_sequence()]
        while self.at("|"):
            self.take()
            branches.append(self.path_sequence())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def path_sequence(self) -> Path:
        steps = [self.path_step()]
        while self.at("/"):
            self.take()
            steps.append(self.path_step())
        return steps[0] if len(steps) == 1 else ("seq", steps)

    def path_step(self) -> Path:
        if self.at("^"):
            self.take()
            return ("inv", self.path_step())
        tok = self.take()
        if tok.kind in ("iri", "pname") or tok.word == "A":
            p: Path = ("link", RDF_TYPE if tok.word == "A" else tok.text)
        elif tok.text == "(":
            p = self.path()
            self.take(")")
        elif tok.text == "!":
            p = self.negated_set()
        else:
            raise Unreadable(f"unexpected {tok.text!r} in a path")
        if self.peek().kind == "punct" and self.peek().text in ("*", "+", "?"):
            return ("mod", p, self.take().text)
        return p

    def negated_set(self) -> Path:
        forward: list[str] = []
        inverse: list[str] = []

        def one() -> None:
            target = inverse if self.at("^") else forward
            if self.at("^"):
                self.take()
            tok = self.take()
            if not (tok.kind in ("iri", "pname") or tok.word == "A"):
                raise Unreadable("unexpected term in a negated property set")
            target.append(RDF_TYPE if tok.word == "A" else tok.text)

        if not self.at("("):
            one()
            return ("nps", forward, inverse)
        self.take("(")
        if not self.at(")"):
            one()
            while self.at("|"):
                self.take()
                one()
        self.take(")")
        return ("nps", forward, inverse)

    # -- rewriting ---------------------------------------------------------------------------------

    def flush(self, unit: Unit) -> None:
        if not unit.blocks:
            return
        texts = []
        for start, end in unit.blocks:
            chunk = self.text[self.toks[start].start:self.toks[end - 1].end].rstrip()
            texts.append(chunk if chunk.endswith(".") else chunk + " .")
        user = sorted({"?" + t.text[1:] for start, end in unit.blocks for t in self.toks[start:end] if t.kind == "var"},
                      key=lambda v: (len(v), v))
        if unit.expand and user:
            body = " ".join(self.expand(s, p, o) for s, p, o in unit.patterns)
            pattern = f"{{ SELECT {' '.join(user)} WHERE {{ {{ SELECT DISTINCT * WHERE {{ {body} }} }} }} }}"
        else:
            pattern = f"{{ SELECT DISTINCT * WHERE {{ {' '.join(texts)} }} }}"
        (first, first_end), *others = unit.blocks
        self.edits.append((self.toks[first].start, self.toks[first_end - 1].end, pattern))
        for start, end in others:
            self.edits.append((self.toks[start].start, self.toks[end - 1].end, ""))

    def expand(self, s: str, p: Path, o: str) -> str:
        kind = p[0]
        if kind == "link":
            return f"{s} {p[1]} {o} ."
        if kind in ("mod", "alt"):
            return f"{s} {path_text(p)} {o} ."
        if kind == "inv":
            return self.expand(o, p[1], s)
        if kind == "seq":
            nodes = [s, *(self.fresh() for _ in p[1][1:]), o]
            return " ".join(self.expand(nodes[n], step, nodes[n + 1]) for n, step in enumerate(p[1]))
        forward, inverse = p[1], p[2]
        branches = []
        if forward or not inverse:
            var = self.fresh()
            test = f" FILTER({var} NOT IN ({', '.join(forward)}))" if forward else ""
            branches.append(f"{s} {var} {o} .{test}")
        if inverse:
            var = self.fresh()
            branches.append(f"{o} {var} {s} . FILTER({var} NOT IN ({', '.join(inverse)}))")
        return branches[0] if len(branches) == 1 else self.union(branches)

    def union(self, branches: list[str]) -> str:
        """Branches joined by UNION, each marked so that DISTINCT keeps a match found by two branches twice."""
        mark = self.fresh()
        return " UNION ".join(f"{{ {b} BIND({n} AS {mark}) }}" for n, b in enumerate(branches, 1))

    def result(self) -> str:
        out, at = [], 0
        for start, end, replacement in sorted(self.edits):
            out.append(self.text[at:start])
            out.append(replacement)
            at = end
        out.append(self.text[at:])
        return "".join(out)


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue (None if there is none)."""
    toks = tokens(query)
    i = 0
    while i < len(toks) and toks[i].word in ("BASE", "PREFIX"):
        i += 3 if toks[i].word == "PREFIX" else 2
    form = toks[i].word if i < len(toks) else ""
    return form if form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") else None


def distinct_matches(query: str) -> str:
    """The query with every pattern on the default graph matching each triple of the merge once; the query
    itself when it has none, or when it cannot be read (see the module's description)."""
    text = unescape(query) if "\\u" in query or "\\U" in query else query
    try:
        r = Rewriter(text)
        r.query()
    except (Unreadable, RecursionError):
        return query
    return r.result() if r.edits else query
