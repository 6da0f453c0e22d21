"""What a page says first about an actor: the offices it held, the events it took part in, what it said.

The generic description lists triples; a reader of a person's page wants these three joined across the
reference graph and every article graph, newest first.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.namespaces import DIP, ORG, PROV, RDFS, SCHEMA, SEM

LIMIT = 100


@dataclass
class Office:
    title: str
    of: str | None
    of_iri: str | None
    start: str | None
    end: str | None


@dataclass
class Event:
    iri: str
    kind: str
    date: str | None
    role: str | None
    article: str
    headline: str


@dataclass
class Quote:
    text: str
    article: str
    headline: str
    published: str | None


@dataclass
class Profile:
    offices: list[Office] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


def _v(row: ox.QuerySolution, name: str) -> str | None:
    term = row[name]
    return None if term is None else term.value


def profile(store: ox.Store, value: str) -> Profile:
    # The event types are looked up first and listed (VALUES): Virtuoso 7.2 loses rows when the subclass path is
    # joined with the rest. MAX, not SAMPLE, picks one of several values: SAMPLE picks differently from store
    # to store (and MIN, on Virtuoso, an unbound value over a bound one). No OPTIONAL inside a UNION branch,
    # which Virtuoso drops.
    node = f"<{value}>"
    p = Profile()
    for row in store.query(f"""
        SELECT ?title ?of ?ofName ?start ?end WHERE {{
          ?m <{ORG.member}> {node} ; a <{DIP.OfficeHolding}> .
          OPTIONAL {{ ?m <{DIP.roleLabel}> ?role }}
          OPTIONAL {{ ?m <{DIP.post}> ?post . ?post <{RDFS.label}> ?postLabel }}
          OPTIONAL {{ ?m <{ORG.organization}> ?of . OPTIONAL {{ ?of <{SCHEMA.name}> ?ofName }} }}
          OPTIONAL {{ ?m <{SCHEMA.startDate}> ?start }}
          OPTIONAL {{ ?m <{SCHEMA.endDate}> ?end }}
          BIND(COALESCE(?role, ?postLabel, "office") AS ?title)
          FILTER NOT EXISTS {{ ?m <{PROV.wasDerivedFrom}> ?article }}
        }} ORDER BY DESC(?start) LIMIT {LIMIT}""", use_default_graph_as_union=True):
        p.offices.append(Office(_v(row, "title") or "", _v(row, "ofName"), _v(row, "of"), _v(row, "start"),
                                _v(row, "end")))
    kinds = {row["type"]: row["label"].value for row in store.query(f"""
        SELECT ?type (MAX(?l) AS ?label) WHERE {{
          ?type <{RDFS.subClassOf}>* <{DIP.DiplomaticEvent}> ; <{RDFS.label}> ?l
        }} GROUP BY ?type""", use_default_graph_as_union=True)}
    for row in store.query(f"""
        SELECT ?e (MAX(?type) AS ?t) (MAX(?date) AS ?d) (MAX(?roleLabel) AS ?role) ?article (MAX(?h) AS ?headline)
        WHERE {{
          {{ ?e <{SEM.hasActor}> {node} }} UNION {{ ?e <{DIP.participation}>/<{DIP.participant}> {node} }}
          ?e a ?type ; <{PROV.wasDerivedFrom}> ?article .
          VALUES ?type {{ {" ".join(str(k) for k in kinds)} }}
          OPTIONAL {{ ?e <{DIP.participation}> ?pt . ?pt <{DIP.participant}> {node} ;
                                                         <{DIP.role}>/<{RDFS.label}> ?roleLabel }}
          OPTIONAL {{ ?e <{DIP.eventDate}> ?date }}
          OPTIONAL {{ ?article <{SCHEMA.headline}> ?h }}
        }} GROUP BY ?e ?article ORDER BY DESC(?d) LIMIT {LIMIT}""", use_default_graph_as_union=True):
        p.events.append(Event(row["e"].value, kinds.get(row["t"], "event"), _v(row, "d"), _v(row, "role"),
                              row["article"].value, _v(row, "headline") or row["article"].value))
    for row in store.query(f"""
        SELECT ?text ?article (MAX(?h) AS ?headline) (MAX(?published) AS ?date) WHERE {{
          ?q <{DIP.speaker}> {node} ; <{DIP.quoteText}> ?text ; <{PROV.wasDerivedFrom}> ?article .
          OPTIONAL {{ ?article <{SCHEMA.headline}> ?h }}
          OPTIONAL {{ ?article <{SCHEMA.datePublished}> ?published }}
        }} GROUP BY ?text ?article ORDER BY DESC(?date) LIMIT {LIMIT}""", use_default_graph_as_union=True):
        p.quotes.append(Quote(row["text"].value, row["article"].value, _v(row, "headline") or row["article"].value,
                              _v(row, "date")))
    return p
