"""Records → RDF (pure).  ``map_disclosure`` is the entry point."""
from .document import mapper_version, map_disclosure

__all__ = ["mapper_version", "map_disclosure"]
