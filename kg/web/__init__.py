"""The HTTP layer: SPARQL 1.1 Protocol endpoint and named queries (FastAPI)."""
