"""Validation compiled to SPARQL: shapes → queries (compile.py), run in the store
(engine.py), findings worded and located alike by both engines (findings.py), and
reports kept in the store only for documents that changed (stored.py).  The pySHACL
reference engine and the public entry points are in kg/validate.py."""
