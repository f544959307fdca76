"""kg: Chinese budget-performance disclosures → typed records → knowledge graph."""

__version__ = "0.1.0"
