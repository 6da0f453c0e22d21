"""Diplomacy news in, a validated, linked RDF knowledge graph out."""
from __future__ import annotations

__version__ = "0.1.0"
EXTRACTOR_NAME = "kg-rules"
