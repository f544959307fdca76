"""One router per protocol: SPARQL (query and update), the Graph Store, linked data,
the HTML pages and the named queries.  Each handler gets the app's parts from the
``WebDep`` dependency (kg/web/state.py)."""
