"""The shared graphs every article links into: ontology, reference data (from the gazetteer) and shapes."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from rdflib import Graph

import kg
from kg import gazetteer as gz
from kg.config import ONTOLOGY_DIR, SHAPES_DIR
from kg.graph import ORG_CLASSES, _Terms
from kg.iris import Minter
from kg.namespaces import DCTERMS, DIP, GEONAMES, ORG, OWL, RDF, RDFS, SCHEMA, SKOS, TIME, WD
from kg.rdf import Triple, from_rdflib, iri, literal

_DIP, _SCHEMA, _RDFS, _SKOS, _OWL, _ORG, _RDF, _TIME, _DCTERMS = (
    _Terms(ns) for ns in (DIP, SCHEMA, RDFS, SKOS, OWL, ORG, RDF, TIME, DCTERMS))


def _turtle_dir(directory: Path) -> Graph:
    g = Graph()
    for path in sorted(directory.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@cache
def _ontology() -> Graph:
    return _turtle_dir(ONTOLOGY_DIR)


@cache
def _shapes() -> Graph:
    return _turtle_dir(SHAPES_DIR)


def ontology_graph() -> Graph:
    """The ontology and topic scheme (a fresh copy: callers may modify it)."""
    g = Graph()
    for t in _ontology():
        g.add(t)
    return g


def shapes_graph() -> Graph:
    g = Graph()
    for t in _shapes():
        g.add(t)
    return g


def holder_of(minter: Minter, gaz: gz.Gazetteer, of: str) -> str:
    """An office belongs to a country (ISO3 code) or an organization (gazetteer key)."""
    return iri(minter.country(of) if of in gaz.countries else minter.organization(of))


def reference_graph(minter: Minter, gaz: gz.Gazetteer) -> list[Triple]:
    out: dict[Triple, None] = {}

    def add(t: Triple) -> None:
        out[t] = None

    for c in gaz.countries.values():
        node = iri(minter.country(c.iso3))
        add((node, _RDF.type, _DIP.Country))
        add((node, _SCHEMA.name, literal(c.name)))
        add((node, _RDFS.label, literal(c.name, lang="en")))
        add((node, _DIP.isoAlpha2, literal(c.iso2)))
        add((node, _DIP.isoAlpha3, literal(c.iso3)))
        for alias in c.aliases:
            add((node, _SKOS.altLabel, literal(alias, lang="en")))
        if c.wikidata:
            add((node, _OWL.sameAs, iri(WD[c.wikidata])))
        if c.geonames:
            add((node, _OWL.sameAs, iri(f"{GEONAMES}{c.geonames}/")))
    for o in gaz.organizations.values():
        node = iri(minter.organization(o.key))
        add((node, _RDF.type, ORG_CLASSES.get(o.kind, ORG_CLASSES['other'])))
        add((node, _SCHEMA.name, literal(o.name)))
        add((node, _RDFS.label, literal(o.name, lang="en")))
        if o.acronym:
            add((node, _DIP.acronym, literal(o.acronym)))
        for alias in o.aliases:
            add((node, _SKOS.altLabel, literal(alias, lang="en")))
        if o.country:
            add((node, _DIP.inCountry, iri(minter.country(o.country))))
        if o.wikidata:
            add((node, _OWL.sameAs, iri(WD[o.wikidata])))
        if o.part_of:
            add((node, _ORG.subOrganizationOf, iri(minter.organization(o.part_of))))
    for p in gaz.places:
        node = iri(minter.place(p.name, p.country))
        add((node, _RDF.type, _DIP.Place))
        add((node, _SCHEMA.name, literal(p.name)))
        add((node, _RDFS.label, literal(p.name, lang="en")))
        add((node, _DIP.inCountry, iri(minter.country(p.country))))
        for alias in p.aliases:
            add((node, _SKOS.altLabel, literal(alias, lang="en")))
        if p.geonames:
            add((node, _OWL.sameAs, iri(f"{GEONAMES}{p.geonames}/")))
        if p.wikidata:
            add((node, _OWL.sameAs, iri(WD[p.wikidata])))
    for t in gaz.office_terms:
        _office_term(add, minter, gaz, t)
    agent = iri(minter.software(kg.EXTRACTOR_NAME))
    add((agent, _RDF.type, _DIP.Extractor))
    add((agent, _SCHEMA.name, literal(kg.EXTRACTOR_NAME)))
    return list(out)


def _office_term(add: Callable[[Triple], None], minter: Minter, gaz: gz.Gazetteer, t: gz.OfficeTerm) -> None:
    person = iri(minter.person(t.person))
    add((person, _RDF.type, _DIP.Person))
    add((person, _SCHEMA.name, literal(t.person)))
    add((person, _RDFS.label, literal(t.person, lang="en")))
    for alias in t.aliases:
        add((person, _SKOS.altLabel, literal(alias, lang="en")))
    if t.wikidata:
        add((person, _OWL.sameAs, iri(WD[t.wikidata])))
    of = holder_of(minter, gaz, t.of)
    of_name = gaz.countries[t.of].name if t.of in gaz.countries else (
        gaz.organizations[t.of].name if t.of in gaz.organizations else t.of)
    post = iri(minter.post(t.office, t.of))
    add((post, _RDF.type, _DIP.Post))
    add((post, _DIP.officeTitle, literal(t.office)))
    add((post, _RDFS.label, literal(f"{t.office} of {of_name}", lang="en")))
    add((post, _ORG.postIn, of))
    add((post, _ORG.heldBy, person))
    term = iri(minter.membership(t.person, t.office, t.of, t.start.isoformat()))
    add((term, _RDF.type, _DIP.OfficeHolding))
    add((term, _ORG.member, person))
    add((term, _ORG.organization, of))
    add((term, _DIP.post, post))
    add((term, _DIP.roleLabel, literal(t.title or t.office)))
    add((term, _SCHEMA.startDate, literal(t.start)))
    interval, start = f"{term[:-1]}#term>", f"{term[:-1]}#start>"
    add((term, _ORG.memberDuring, interval))
    add((interval, _RDF.type, _TIME.Interval))
    add((interval, _TIME.hasBeginning, start))
    add((start, _RDF.type, _TIME.Instant))
    add((start, _TIME.inXSDDate, literal(t.start)))
    if t.end is not None:
        end = f"{term[:-1]}#end>"
        add((term, _SCHEMA.endDate, literal(t.end)))
        add((interval, _TIME.hasEnd, end))
        add((end, _RDF.type, _TIME.Instant))
        add((end, _TIME.inXSDDate, literal(t.end)))
    if t.source:
        add((term, _DCTERMS.source, literal(t.source)))


class ReferenceIndex:
    """The reference triples an article graph needs about the things it links to (types, codes, names, offices)."""

    NEEDED = frozenset(f"<{p}>" for p in (RDF.type, DIP.isoAlpha3, DIP.isoAlpha2, SCHEMA.name, DIP.acronym, ORG.postIn,
                                           DIP.officeTitle, DIP.inCountry, ORG.subOrganizationOf))
    _TYPE = f"<{RDF.type}>"

    def __init__(self, reference: Iterable[Triple]) -> None:
        self.by_subject: dict[str, list[Triple]] = {}
        needed = self.NEEDED
        for t in reference:
            if t[1] in needed:
                self.by_subject.setdefault(t[0], []).append(t)

    def closure(self, linked: Iterable[str]) -> list[Triple]:
        out: list[Triple] = []
        by_subject = self.by_subject
        todo = [n for n in linked if n in by_subject]
        seen: set[str] = set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for t in by_subject[node]:
                out.append(t)
                if t[1] != self._TYPE and t[2] in by_subject and t[2] not in seen:
                    todo.append(t[2])
        return out

    def for_graph(self, triples: Iterable[Triple]) -> list[Triple]:
        triples = list(triples)
        return self.closure({o for _, _, o in triples if o.startswith("<")} | {s for s, _, _ in triples})


def reference_graphs(minter: Minter, gazetteer: gz.Gazetteer | None = None) -> dict[str, list[Triple]]:
    """Graph IRI -> triples of the shared graphs."""
    gaz = gazetteer if gazetteer is not None else gz.load()
    return {
        str(minter.ontology_graph): from_rdflib(_ontology()),
        str(minter.reference_graph): reference_graph(minter, gaz),
        str(minter.graph("shapes")): from_rdflib(_shapes()),
    }
