"""The shared graphs every article links into: ontology, reference data (from the gazetteer) and shapes."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

import kg
from kg import gazetteer as gz
from kg.config import ONTOLOGY_DIR, SHAPES_DIR
from kg.graph import ORG_CLASSES
from kg.iris import Minter
from kg.namespaces import DCTERMS, DIP, GEONAMES, ORG, OWL, RDF, RDFS, SCHEMA, SKOS, TIME, WD


def _turtle_dir(directory: Path) -> Graph:
    g = Graph()
    for path in sorted(directory.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def ontology_graph() -> Graph:
    return _turtle_dir(ONTOLOGY_DIR)


def shapes_graph() -> Graph:
    return _turtle_dir(SHAPES_DIR)


def holder_of(minter: Minter, gaz: gz.Gazetteer, of: str) -> URIRef:
    """An office belongs to a country (ISO3 code) or an organization (gazetteer key)."""
    return minter.country(of) if of in gaz.countries else minter.organization(of)


def reference_graph(minter: Minter, gaz: gz.Gazetteer) -> Graph:
    g = Graph()
    add = g.add
    for c in gaz.countries.values():
        iri = minter.country(c.iso3)
        add((iri, RDF.type, DIP.Country))
        add((iri, SCHEMA.name, Literal(c.name)))
        add((iri, RDFS.label, Literal(c.name, lang="en")))
        add((iri, DIP.isoAlpha2, Literal(c.iso2)))
        add((iri, DIP.isoAlpha3, Literal(c.iso3)))
        for alias in c.aliases:
            add((iri, SKOS.altLabel, Literal(alias, lang="en")))
        if c.wikidata:
            add((iri, OWL.sameAs, WD[c.wikidata]))
        if c.geonames:
            add((iri, OWL.sameAs, GEONAMES[f"{c.geonames}/"]))
    for o in gaz.organizations.values():
        iri = minter.organization(o.key)
        add((iri, RDF.type, ORG_CLASSES.get(o.kind, DIP.Organization)))
        add((iri, SCHEMA.name, Literal(o.name)))
        add((iri, RDFS.label, Literal(o.name, lang="en")))
        if o.acronym:
            add((iri, DIP.acronym, Literal(o.acronym)))
        for alias in o.aliases:
            add((iri, SKOS.altLabel, Literal(alias, lang="en")))
        if o.country:
            add((iri, DIP.inCountry, minter.country(o.country)))
        if o.wikidata:
            add((iri, OWL.sameAs, WD[o.wikidata]))
    for p in gaz.places:
        iri = minter.place(p.name, p.country)
        add((iri, RDF.type, DIP.Place))
        add((iri, SCHEMA.name, Literal(p.name)))
        add((iri, RDFS.label, Literal(p.name, lang="en")))
        add((iri, DIP.inCountry, minter.country(p.country)))
        for alias in p.aliases:
            add((iri, SKOS.altLabel, Literal(alias, lang="en")))
        if p.geonames:
            add((iri, OWL.sameAs, GEONAMES[f"{p.geonames}/"]))
        if p.wikidata:
            add((iri, OWL.sameAs, WD[p.wikidata]))
    for t in gaz.office_terms:
        _office_term(g, minter, gaz, t)
    agent = minter.software(kg.EXTRACTOR_NAME)
    add((agent, RDF.type, DIP.Extractor))
    add((agent, SCHEMA.name, Literal(kg.EXTRACTOR_NAME)))
    return g


def _office_term(g: Graph, minter: Minter, gaz: gz.Gazetteer, t: gz.OfficeTerm) -> None:
    add = g.add
    person = minter.person(t.person)
    add((person, RDF.type, DIP.Person))
    add((person, SCHEMA.name, Literal(t.person)))
    add((person, RDFS.label, Literal(t.person, lang="en")))
    for alias in t.aliases:
        add((person, SKOS.altLabel, Literal(alias, lang="en")))
    if t.wikidata:
        add((person, OWL.sameAs, WD[t.wikidata]))
    of = holder_of(minter, gaz, t.of)
    of_name = gaz.countries[t.of].name if t.of in gaz.countries else (
        gaz.organizations[t.of].name if t.of in gaz.organizations else t.of)
    post = minter.post(t.office, t.of)
    add((post, RDF.type, DIP.Post))
    add((post, DIP.officeTitle, Literal(t.office)))
    add((post, RDFS.label, Literal(f"{t.office} of {of_name}", lang="en")))
    add((post, ORG.postIn, of))
    add((post, ORG.holder, person))
    term = minter.membership(t.person, t.office, t.of, t.start.isoformat())
    add((term, RDF.type, DIP.OfficeHolding))
    add((term, ORG.member, person))
    add((term, ORG.organization, of))
    add((term, DIP.post, post))
    add((term, DIP.roleLabel, Literal(t.office)))
    add((term, SCHEMA.startDate, Literal(t.start)))
    interval, start = URIRef(f"{term}#term"), URIRef(f"{term}#start")
    add((term, ORG.memberDuring, interval))
    add((interval, RDF.type, TIME.Interval))
    add((interval, TIME.hasBeginning, start))
    add((start, RDF.type, TIME.Instant))
    add((start, TIME.inXSDDate, Literal(t.start)))
    if t.end is not None:
        end = URIRef(f"{term}#end")
        add((term, SCHEMA.endDate, Literal(t.end)))
        add((interval, TIME.hasEnd, end))
        add((end, RDF.type, TIME.Instant))
        add((end, TIME.inXSDDate, Literal(t.end)))
    if t.source:
        add((term, DCTERMS.source, Literal(t.source)))


class ReferenceIndex:
    """The reference triples an article graph needs about the things it links to (types, codes, names, offices)."""

    NEEDED = frozenset({RDF.type, DIP.isoAlpha3, DIP.isoAlpha2, SCHEMA.name, ORG.postIn, DIP.officeTitle, DIP.inCountry})

    def __init__(self, reference: Graph) -> None:
        self.by_subject: dict[Node, list[tuple[Node, Node, Node]]] = {}
        for s, p, o in reference:
            if p in self.NEEDED:
                self.by_subject.setdefault(s, []).append((s, p, o))

    def closure(self, linked: Iterable[Node]) -> list[tuple[Node, Node, Node]]:
        out: list[tuple[Node, Node, Node]] = []
        todo = [n for n in linked if n in self.by_subject]
        seen: set[Node] = set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for t in self.by_subject[node]:
                out.append(t)
                if t[1] != RDF.type and t[2] in self.by_subject and t[2] not in seen:
                    todo.append(t[2])
        return out

    def for_graph(self, graph: Graph) -> Graph:
        g = Graph(bind_namespaces="none")
        for t in self.closure({o for _, _, o in graph if isinstance(o, URIRef)} | {s for s, _, _ in graph}):
            g.add(t)
        return g


def reference_graphs(minter: Minter, gazetteer: gz.Gazetteer | None = None) -> dict[URIRef, Graph]:
    gaz = gazetteer if gazetteer is not None else gz.load()
    return {
        minter.ontology_graph: ontology_graph(),
        minter.reference_graph: reference_graph(minter, gaz),
        minter.graph("shapes"): shapes_graph(),
    }
