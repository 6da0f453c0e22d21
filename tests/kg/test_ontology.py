"""The ontology (ontology/diplomacy.ttl), the topic scheme (ontology/topics.ttl) and the shapes file as
published artefacts: documented headers, documented terms, and in step with what the pipeline emits."""
from __future__ import annotations

import re
from datetime import date

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg import gazetteer as gz
from kg.config import ONTOLOGY_DIR, SHAPES_DIR
from kg.graph import AGREEMENT_CLASSES, ORG_CLASSES
from kg.graph import EVENT_CLASSES as EVENT_CLASSES_BUILT
from kg.iris import Minter
from kg.namespaces import (
    CAMEO,
    DCTERMS,
    DIP,
    DIPSH,
    NIF,
    ONTOLOGY_IRI,
    OWL,
    PLOVER,
    PREFIXES,
    RDF,
    RDFS,
    SEM,
    SH,
    SHAPES_IRI,
    SKOS,
    TOPIC,
    TOPICS_IRI,
)
from kg.pipeline import Built
from kg.rdf import Triple, value_of
from kg.reference import reference_graph

ONTOLOGY = URIRef(ONTOLOGY_IRI)
TOPICS = URIRef(TOPICS_IRI)
SHAPES = URIRef(SHAPES_IRI)
EVENT_CLASSES = ("Visit", "Meeting", "PhoneCall", "Summit", "AgreementSigning", "JointStatement", "Statement",
                 "CooperationCommitment", "Sanction", "Protest")
# The closed list of topic ids of the summary JSON (shared/eval/README.md).
SUMMARY_TOPICS = ("Defence", "Security", "CounterTerrorism", "Cybersecurity", "Crime", "ArmsControl", "Trade", "Energy",
                  "Climate", "Technology", "Health", "Migration", "Maritime", "Agriculture", "Infrastructure",
                  "Education", "Culture", "HumanRights", "Humanitarian")
STANDARD = ("schema", "prov", "org", "skos", "sem", "nif", "itsrdf", "dcterms", "rdf", "rdfs", "owl", "time")
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "diplomacy.ttl", format="turtle")


@pytest.fixture(scope="module")
def cameo() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "cameo.ttl", format="turtle")


@pytest.fixture(scope="module")
def topics() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "topics.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes_file() -> Graph:
    return Graph().parse(SHAPES_DIR / "diplomacy-shapes.ttl", format="turtle")


@pytest.fixture(scope="module")
def reference(minter: Minter) -> list[Triple]:
    return reference_graph(minter, gz.load())


@pytest.fixture()
def pipeline_graphs(seed_built: Built, seed_graph: list[Triple]) -> list[Triple]:
    """What the pipeline emits for the seed article: the extractor's graph and the hand-built findings' graph."""
    return [*seed_built.triples, *seed_graph]


def _english(g: Graph, s: Node, p: URIRef) -> list[Literal]:
    return [o for o in g.objects(s, p) if isinstance(o, Literal) and o.language == "en" and str(o).strip()]


def _dip_terms(g: Graph, types: tuple[URIRef, ...]) -> set[URIRef]:
    return {s for t in types for s in g.subjects(RDF.type, t) if isinstance(s, URIRef) and s.startswith(str(DIP))}


def _list(g: Graph, head: Node) -> list[Node]:
    return list(Collection(g, head))


# -- the ontology -----------------------------------------------------------------------------------

def test_ontology_file_has_a_complete_owl_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    version = ontology.value(ONTOLOGY, OWL.versionInfo)
    version_iri = ontology.value(ONTOLOGY, OWL.versionIRI)
    assert isinstance(version_iri, URIRef) and version is not None
    assert str(version_iri) == f"{ONTOLOGY_IRI}/{version}"
    assert _english(ontology, ONTOLOGY, DCTERMS.title)
    assert _english(ontology, ONTOLOGY, DCTERMS.description)
    assert isinstance(ontology.value(ONTOLOGY, DCTERMS.license), URIRef)
    created, modified = ontology.value(ONTOLOGY, DCTERMS.created), ontology.value(ONTOLOGY, DCTERMS.modified)
    assert isinstance(created, Literal) and isinstance(modified, Literal)
    assert isinstance(created.toPython(), date) and isinstance(modified.toPython(), date)
    assert created.toPython() <= modified.toPython()


def test_every_dip_class_and_property_has_label_definition_and_is_defined_by(ontology: Graph) -> None:
    terms = _dip_terms(ontology, (OWL.Class, *PROPERTY_TYPES))
    assert len(terms) >= 60
    missing = [(str(t), p.n3(ontology.namespace_manager)) for t in sorted(terms)
               for p in (RDFS.label, SKOS.definition) if not _english(ontology, t, p)]
    missing += [(str(t), "rdfs:isDefinedBy") for t in sorted(terms) if ontology.value(t, RDFS.isDefinedBy) != ONTOLOGY]
    assert missing == []


def test_every_dip_individual_has_label_and_definition(ontology: Graph) -> None:
    individuals = _dip_terms(ontology, (OWL.NamedIndividual,))
    assert {DIP.HostRole, DIP.DayPrecision, DIP.Unattributed} <= individuals
    assert [str(i) for i in sorted(individuals)
            if not (_english(ontology, i, RDFS.label) and _english(ontology, i, SKOS.definition))] == []


def test_diplomatic_event_is_a_sem_event(ontology: Graph) -> None:
    assert (DIP.DiplomaticEvent, RDFS.subClassOf, SEM.Event) in ontology


@pytest.mark.parametrize("name", EVENT_CLASSES)
def test_event_class_is_a_diplomatic_event_with_a_cameo_code(name: str, ontology: Graph) -> None:
    cls = DIP[name]
    assert (cls, RDF.type, OWL.Class) in ontology
    assert DIP.DiplomaticEvent in set(ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}
    codes = list(ontology.objects(cls, DIP.cameoCode))
    assert codes and all(str(c).startswith(str(CAMEO)) and re.fullmatch(r"\d{2,4}", str(c)[len(str(CAMEO)):])
                         for c in codes), codes


@pytest.mark.parametrize("name", EVENT_CLASSES)
def test_event_class_cameo_codes_are_concepts_of_the_cameo_scheme(name: str, ontology: Graph, cameo: Graph) -> None:
    for code in ontology.objects(DIP[name], DIP.cameoCode):
        assert (code, RDF.type, SKOS.Concept) in cameo
        assert (code, SKOS.inScheme, URIRef(str(CAMEO).rstrip("/"))) in cameo
        assert str(cameo.value(code, SKOS.notation)) == str(code)[len(str(CAMEO)):]
        assert _english(cameo, code, SKOS.prefLabel)


def _cameo_root(cameo: Graph, code: Node) -> Node:
    return cameo.value(code, SKOS.broader) or code


@pytest.mark.parametrize("name", EVENT_CLASSES)
def test_cameo_codes_lead_to_the_plover_categories_of_their_class(name: str, ontology: Graph, cameo: Graph) -> None:
    categories = set(ontology.objects(DIP[name], DIP.ploverCategory))
    reached = set()
    for code in ontology.objects(DIP[name], DIP.cameoCode):
        root = _cameo_root(cameo, code)
        assert set(cameo.objects(code, SKOS.broadMatch)) == (set() if root == code else
                                                               set(cameo.objects(root, SKOS.closeMatch)))
        reached |= set(cameo.objects(root, SKOS.closeMatch))
    assert reached == categories


# PLOVER has no category for CAMEO 01 (make public statement): the ontology says so in a skos:note.
NO_PLOVER_CATEGORY = {"Statement", "JointStatement"}


@pytest.mark.parametrize("name", EVENT_CLASSES)
def test_event_class_carries_a_plover_category_defined_in_the_ontology(name: str, ontology: Graph) -> None:
    cls = DIP[name]
    categories = list(ontology.objects(cls, DIP.ploverCategory))
    if name in NO_PLOVER_CATEGORY:
        assert categories == []
        assert all(str(c).startswith(str(CAMEO) + "01") for c in ontology.objects(cls, DIP.cameoCode))
        assert any("PLOVER" in str(n) for n in ontology.objects(cls, SKOS.note))
        return
    assert categories
    for c in categories:
        assert str(c).startswith(str(PLOVER)) and re.fullmatch(r"[A-Z]+", str(c)[len(str(PLOVER)):])
        assert (c, RDF.type, SKOS.Concept) in ontology and _english(ontology, c, SKOS.definition)


def test_every_class_and_predicate_in_use_is_defined_or_standard(ontology: Graph, pipeline_graphs: list[Triple],
                                                                 reference: list[Triple]) -> None:
    standard = tuple(str(PREFIXES[p]) for p in STANDARD)
    classes, properties = _dip_terms(ontology, (OWL.Class,)), _dip_terms(ontology, PROPERTY_TYPES)
    used_classes = {value_of(o) for _, p, o in [*pipeline_graphs, *reference] if p == f"<{RDF.type}>"}
    used_predicates = {value_of(p) for _, p, _ in [*pipeline_graphs, *reference]}
    assert {str(DIP.Visit), str(DIP.Country)} <= used_classes and str(DIP.participation) in used_predicates
    undefined = sorted(c for c in used_classes if URIRef(c) not in classes and not c.startswith(standard))
    undefined += sorted(p for p in used_predicates if URIRef(p) not in properties and not p.startswith(standard))
    assert undefined == []


# -- the topic scheme -------------------------------------------------------------------------------

def test_topic_scheme_has_the_nineteen_summary_topics_as_top_concepts(topics: Graph) -> None:
    top = set(topics.objects(TOPICS, SKOS.hasTopConcept))
    assert top == {TOPIC[t] for t in SUMMARY_TOPICS}
    assert len(top) == 19
    assert set(topics.subjects(SKOS.topConceptOf, TOPICS)) == top


@pytest.mark.parametrize("topic", SUMMARY_TOPICS)
def test_topic_concept_has_label_definition_and_scheme(topic: str, topics: Graph) -> None:
    concept = TOPIC[topic]
    assert (concept, RDF.type, SKOS.Concept) in topics
    assert len(_english(topics, concept, SKOS.prefLabel)) == 1
    assert _english(topics, concept, SKOS.definition)
    assert (concept, SKOS.inScheme, TOPICS) in topics


def test_shapes_allow_exactly_the_topic_scheme_for_subjects(shapes_file: Graph, topics: Graph) -> None:
    top = set(topics.objects(TOPICS, SKOS.hasTopConcept))
    for shape in (DIPSH["NewsArticle-subject"], DIPSH["Agreement-subject"]):
        assert set(_list(shapes_file, shapes_file.value(shape, SH["in"]))) == top, shape


# -- the shapes file --------------------------------------------------------------------------------

def test_shapes_file_opens_with_a_node_describing_it(shapes_file: Graph) -> None:
    text = (SHAPES_DIR / "diplomacy-shapes.ttl").read_text(encoding="utf-8")
    statements = [line for line in text.splitlines()
                  if line.strip() and not line.lstrip().startswith(("#", "@prefix", "@base", "PREFIX"))]
    assert statements[0].strip() == f"<{SHAPES_IRI}>"
    assert (SHAPES, RDF.type, OWL.Ontology) in shapes_file
    assert _english(shapes_file, SHAPES, DCTERMS.title)
    assert _english(shapes_file, SHAPES, DCTERMS.description)


def test_every_node_shape_is_named_like_a_shape(shapes_file: Graph) -> None:
    node_shapes = list(shapes_file.subjects(RDF.type, SH.NodeShape))
    assert len(node_shapes) >= 10
    assert [str(s) for s in node_shapes
            if not isinstance(s, URIRef) or not s.startswith(str(DIPSH)) or not s.endswith("Shape")] == []


def _nested(g: Graph) -> set[Node]:
    """Shapes that only exist inside another constraint: members of sh:or lists, sh:qualifiedValueShape values."""
    out: set[Node] = set(g.objects(None, SH.qualifiedValueShape))
    for head in g.objects(None, SH["or"]):
        out.update(_list(g, head))
    return out


def test_every_property_shape_has_an_iri_name_message_and_severity(shapes_file: Graph) -> None:
    g = shapes_file
    nested = _nested(g)
    assert nested and all(isinstance(n, BNode) for n in nested)
    property_shapes = ({*g.subjects(RDF.type, SH.PropertyShape), *g.objects(None, SH.property),
                        *g.subjects(SH.path, None)} - nested)
    assert len(property_shapes) >= 50
    problems = []
    for s in sorted(property_shapes, key=str):
        if not isinstance(s, URIRef):
            problems.append(f"blank node property shape on {g.value(s, SH.path)}")
            continue
        problems += [f"{s} has no {p.n3(g.namespace_manager)}" for p in (SH.name, SH.message, SH.severity)
                     if g.value(s, p) is None]
        if g.value(s, SH.severity) not in (None, SH.Violation, SH.Warning, SH.Info):
            problems.append(f"{s} has an unknown severity")
    assert problems == []


def test_every_message_is_english(shapes_file: Graph) -> None:
    messages = list(shapes_file.objects(None, SH.message))
    assert messages and all(isinstance(m, Literal) and m.language == "en" for m in messages)


# The classes kg.graph types nodes with (the event, agreement and organization tables and the fixed ones).
BUILDER_CLASSES = sorted({*(URIRef(value_of(c)) for table in (EVENT_CLASSES_BUILT, AGREEMENT_CLASSES, ORG_CLASSES)
                            for c in table.values()),
                          *(DIP[c] for c in ("NewsArticle", "NewsOutlet", "Extraction", "Extractor", "Country",
                                             "Person", "OfficeHolding", "Post", "Place", "Participation", "Quote",
                                             "DiplomaticEvent"))})


def test_the_seed_graphs_use_only_the_builder_classes(pipeline_graphs: list[Triple]) -> None:
    emitted = {URIRef(value_of(o)) for _, p, o in pipeline_graphs if p == f"<{RDF.type}>"}
    assert {DIP.Visit, DIP.Quote, DIP.OfficeHolding, DIP.MemorandumOfUnderstanding} <= emitted
    assert emitted - {NIF.Context} <= set(BUILDER_CLASSES)


def test_nif_contexts_are_news_articles_so_the_article_shape_checks_them(pipeline_graphs: list[Triple]) -> None:
    contexts = {s for s, p, o in pipeline_graphs if p == f"<{RDF.type}>" and o == f"<{NIF.Context}>"}
    assert contexts
    assert all((c, f"<{RDF.type}>", f"<{DIP.NewsArticle}>") in pipeline_graphs for c in contexts)


@pytest.mark.parametrize("cls", BUILDER_CLASSES, ids=[c.rsplit("#", 1)[-1] for c in BUILDER_CLASSES])
def test_every_class_the_pipeline_emits_is_the_target_of_a_shape(cls: URIRef, ontology: Graph,
                                                                 shapes_file: Graph) -> None:
    targets = set(shapes_file.objects(None, SH.targetClass))
    # sh:targetClass also targets the instances of subclasses.
    assert targets & set(ontology.transitive_objects(cls, RDFS.subClassOf))
