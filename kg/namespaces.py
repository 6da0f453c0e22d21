"""Every namespace the project uses, defined once.

Other modules import these; no IRI is spelled out as a string anywhere else.
"""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

ONTOLOGY_IRI = "https://w3id.org/dipkg/ontology"
SHAPES_IRI = "https://w3id.org/dipkg/shapes"
TOPICS_IRI = "https://w3id.org/dipkg/topics"

DIP = Namespace(ONTOLOGY_IRI + "#")
DIPSH = Namespace(SHAPES_IRI + "#")
TOPIC = Namespace(TOPICS_IRI + "/")

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
OA = Namespace("http://www.w3.org/ns/oa#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
TIME = Namespace("http://www.w3.org/2006/time#")
CAMEO = Namespace("https://w3id.org/dipkg/cameo/")
PLOVER = Namespace("https://w3id.org/dipkg/plover/")
IPTC = Namespace("http://cv.iptc.org/newscodes/mediatopic/")
WD = Namespace("http://www.wikidata.org/entity/")
GEONAMES = Namespace("https://sws.geonames.org/")
DBR = Namespace("http://dbpedia.org/resource/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ISO3166 = Namespace("urn:iso:std:iso:3166:-1:")
IANA = Namespace("https://www.iana.org/assignments/media-types/")  # DCAT media types

PREFIXES: dict[str, Namespace] = {
    "dip": DIP,
    "dipsh": DIPSH,
    "topic": TOPIC,
    "schema": SCHEMA,
    "org": ORG,
    "sem": SEM,
    "nif": NIF,
    "oa": OA,
    "itsrdf": ITSRDF,
    "time": TIME,
    "prov": Namespace(str(PROV)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "sh": Namespace(str(SH)),
    "void": Namespace(str(VOID)),
    "dcat": Namespace(str(DCAT)),
    "sd": SD,
    "wd": WD,
    "gn": GEONAMES,
    "dbr": DBR,
    "cameo": CAMEO,
    "plover": PLOVER,
    "iptc": IPTC,
}


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


__all__ = [
    "CAMEO", "DBR", "DCAT", "DCTERMS", "DIP", "DIPSH", "FOAF", "FORMATS", "GEONAMES", "IANA", "IPTC", "ISO3166",
    "ITSRDF",
    "NIF", "OA", "ONTOLOGY_IRI", "ORG", "OWL", "PLOVER", "PREFIXES", "PROV", "RDF", "RDFS", "SCHEMA",
    "SD", "SEM", "SH", "SHAPES_IRI", "SKOS", "TIME", "TOPIC", "TOPICS_IRI", "VOID", "WD", "XSD",
    "sparql_prefixes",
]
