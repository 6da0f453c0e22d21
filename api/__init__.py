"""The HTTP face of the knowledge graph: SPARQL 1.1, Graph Store, dumps and dereferenceable URIs."""
from __future__ import annotations
