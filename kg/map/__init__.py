"""Records → RDF (pure).  ``map_disclosure`` is the entry point."""
from .document import MAPPER_VERSION, map_disclosure

__all__ = ["MAPPER_VERSION", "map_disclosure"]
