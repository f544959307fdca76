"""Records → RDF (pure).  ``map_disclosure`` is the entry point."""
from .document import map_disclosure, mapper_version

__all__ = ["mapper_version", "map_disclosure"]
