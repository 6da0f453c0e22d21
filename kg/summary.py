"""The summary JSON of one article (../shared/eval/README.md), computed by SPARQL over its graph.

It shows what the graph says, not what the extractor meant: every field is a query over the article's
named graph and the reference triples it links to. Organizations are the international bodies the article
mentions, an organ standing for its body (org:subOrganizationOf). An article whose graph reports no
diplomatic event and no agreement has no diplomatic content: its lists are empty.
"""
from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from kg.model import SUMMARY_EVENT_TYPES
from kg.namespaces import sparql_prefixes
from kg.rdf import Triple, to_oxigraph

AGREEMENT_KINDS = {"MemorandumOfUnderstanding": "MemorandumOfUnderstanding", "Treaty": "Treaty",
                   "Agreement": "Agreement", "JointDeclaration": "JointStatement"}

_ORDER = ("published", "publisher", "event_date", "countries", "persons", "organizations", "events", "agreements",
          "topics", "quotes")
_P = sparql_prefixes()
_VALUES_EVENTS = " ".join(f"dip:{t}" for t in SUMMARY_EVENT_TYPES)

# An actor as the summary names it: a state by its ISO code; a person or organization by their state's
# code, or by name when they act for no state.
_ACTOR_CODE = """
    OPTIONAL { ?x dip:isoAlpha3 ?iso }
    OPTIONAL { ?x dip:actsFor ?pc . ?pc dip:isoAlpha3 ?piso }
    OPTIONAL { ?x dip:inCountry ?oc . ?oc dip:isoAlpha3 ?oiso }
    OPTIONAL { ?x schema:name ?xname }
    BIND (COALESCE(?iso, ?piso, ?oiso, ?xname) AS ?code)
"""

Q_ARTICLE = _P + """
SELECT ?published ?publisher ?eventDate WHERE {
    ?a a dip:NewsArticle .
    OPTIONAL { ?a schema:datePublished ?published }
    OPTIONAL { ?a schema:publisher ?outlet . ?outlet schema:name ?publisher }
    OPTIONAL { ?a dip:mainEvent/dip:eventDate ?eventDate }
}"""
Q_EVENTS = _P + f"""
SELECT ?e ?type ?code ?place WHERE {{
    ?e a ?type . VALUES ?type {{ {_VALUES_EVENTS} }}
    ?e dip:participation/dip:participant ?x .
    OPTIONAL {{ ?e sem:hasPlace ?p . ?p schema:name ?place }}
    {_ACTOR_CODE}
}} ORDER BY ?e"""
Q_AGREEMENTS = _P + """
SELECT ?ag ?kind ?iso ?topic ?title WHERE {
    ?ag a ?kind ; prov:wasDerivedFrom ?a .
    VALUES ?kind { dip:MemorandumOfUnderstanding dip:Treaty dip:Agreement dip:JointDeclaration }
    OPTIONAL { ?ag dip:party ?c . ?c dip:isoAlpha3 ?iso }
    OPTIONAL { ?ag dip:subjectText ?topic }
    OPTIONAL { ?ag schema:name ?title }
} ORDER BY ?ag"""
Q_PERSONS = _P + """
SELECT ?p ?name ?iso ?label ?office ?job WHERE {
    ?a a dip:NewsArticle ; schema:mentions ?p .
    ?p a dip:Person ; schema:name ?name .
    OPTIONAL { ?h org:member ?p ; dip:roleLabel ?label .
               OPTIONAL { ?h dip:post ?post . ?post dip:officeTitle ?office } }
    OPTIONAL { ?p schema:jobTitle ?job }
    OPTIONAL { ?p dip:actsFor ?c . ?c dip:isoAlpha3 ?iso }
} ORDER BY ?p"""
Q_WRITTEN = _P + """
SELECT ?p ?surface WHERE { ?span itsrdf:taIdentRef ?p ; nif:anchorOf ?surface . ?p a dip:Person }"""
Q_ORGS = _P + """
SELECT ?o ?name ?acronym ?surface WHERE {
    ?a a dip:NewsArticle ; schema:mentions ?m .
    OPTIONAL { ?m org:subOrganizationOf ?body . ?body a dip:InternationalOrganization }
    BIND (COALESCE(?body, ?m) AS ?o)
    ?o a dip:InternationalOrganization ; schema:name ?name .
    OPTIONAL { ?o dip:acronym ?acronym }
    OPTIONAL { ?span itsrdf:taIdentRef ?o ; nif:anchorOf ?surface }
} ORDER BY ?name"""
Q_TOPICS = _P + """
SELECT DISTINCT ?t WHERE { ?a a dip:NewsArticle ; dcterms:subject ?t } ORDER BY ?t"""
Q_QUOTES = _P + """
SELECT ?q ?text ?s ?speaker WHERE {
    ?q a dip:Quote ; dip:quoteText ?text ; dip:evidence ?span .
    ?span nif:beginIndex ?b .
    OPTIONAL { ?q dip:speaker ?s . ?s schema:name ?speaker }
} ORDER BY ?b"""


def summarize(article: str, triples: list[Triple], reference: list[Triple] | None = None) -> dict[str, Any]:
    """Load the article graph (and the reference triples it links to) into a scratch store and query it."""
    store = ox.Store()
    store.extend(to_oxigraph(triples, article))
    if reference:
        store.extend(to_oxigraph(reference))
    return summarize_store(store)


def _value(term: Any) -> str | None:
    return None if term is None else term.value


def summarize_store(store: ox.Store) -> dict[str, Any]:
    """The summary of the one article in ``store`` (its default graph the union of all)."""
    row = next(iter(_q(store, Q_ARTICLE)), None)
    out: dict[str, Any] = {
        "published": _value(row["published"]) if row else None,
        "publisher": _value(row["publisher"]) if row else None,
        "event_date": _value(row["eventDate"]) if row else None,
    }
    events: dict[str, dict[str, Any]] = {}
    for r in _q(store, Q_EVENTS):
        e = events.setdefault(r["e"].value, {"type": r["type"].value.rsplit("#", 1)[-1], "participants": [],
                                             "location": _value(r["place"])})
        code = _value(r["code"])
        if code and code not in e["participants"]:
            e["participants"].append(code)
    out["events"] = list(events.values())
    agreements: dict[str, dict[str, Any]] = {}
    for r in _q(store, Q_AGREEMENTS):
        kind = r["kind"].value.rsplit("#", 1)[-1]
        a = agreements.setdefault(r["ag"].value, {"kind": AGREEMENT_KINDS[kind], "parties": [],
                                                  "topic": _value(r["topic"]) or _value(r["title"])})
        iso = _value(r["iso"])
        if iso and iso not in a["parties"]:
            a["parties"].append(iso)
    out["agreements"] = list(agreements.values())
    if not out["events"] and not out["agreements"]:
        out |= {"countries": [], "persons": [], "organizations": [], "topics": [], "quotes": []}
        return {k: out[k] for k in _ORDER}
    countries: list[str] = []
    for item in [*out["events"], *out["agreements"]]:
        for code in item.get("participants", item.get("parties", [])):
            if len(code) == 3 and code.isupper() and code not in countries:
                countries.append(code)
    out["countries"] = countries
    persons: dict[str, dict[str, Any]] = {}
    for r in _q(store, Q_PERSONS):
        p = persons.setdefault(r["p"].value, {"name": r["name"].value, "role": None, "country": _value(r["iso"])})
        label, office, job = _value(r["label"]), _value(r["office"]), _value(r["job"])
        role = label if label and label.startswith("Former ") else office or label or job
        if role and p["role"] is None:
            p["role"] = role
    written: dict[str, list[str]] = {}
    for r in _q(store, Q_WRITTEN):
        written.setdefault(r["p"].value, []).append(r["surface"].value)
    for iri, p in persons.items():
        p["name"] = as_written(p["name"], written.get(iri, []))
    out["persons"] = list(persons.values())
    orgs: dict[str, tuple[str, list[str]]] = {}
    for r in _q(store, Q_ORGS):
        acronym = _value(r["acronym"])
        numbered = acronym if acronym and re.fullmatch(r"[A-Z]+\d+", acronym) else None
        name, surfaces = orgs.setdefault(r["o"].value, (numbered or r["name"].value, []))
        if r["surface"] is not None and not numbered:
            surfaces.append(r["surface"].value)
    # As the article spells the name out, else the canonical name ("ECOWAS" -> "Economic Community of West
    # African States"). A numbered group keeps its short name ("G7", not "Group of Seven").
    out["organizations"] = [max((f for f in forms if len(f.split()) >= 2), key=len, default=name)
                            for name, forms in orgs.values()]
    out["topics"] = [r["t"].value.rsplit("/", 1)[-1] for r in _q(store, Q_TOPICS)]
    names = {iri: p["name"] for iri, p in persons.items()}
    out["quotes"] = [{"speaker": names.get(_value(r["s"]) or "", _value(r["speaker"])), "text": r["text"].value}
                     for r in _q(store, Q_QUOTES)]
    return {k: out[k] for k in _ORDER}


def as_written(name: str, surfaces: list[str]) -> str:
    """The fullest form of the name the article itself uses ("Yoon Suk-yeol"), else the canonical one; the canonical
    one also when the article's form only adds to it (a patronymic after the full name)."""
    forms = [" ".join(re.sub(r"[\"“”][^\"“”]*[\"”]", " ", f).split()) for f in surfaces]
    best = max(forms, key=len, default="")
    if best.startswith(name + " "):
        return name
    return best if len(best.split()) >= 2 or len(name.split()) < 2 and best else name


def _q(store: ox.Store, query: str) -> Any:
    return store.query(query, use_default_graph_as_union=True)
