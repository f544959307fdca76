"""A named query's answer as a client reads it: the CSV the endpoint would send, parsed."""
from __future__ import annotations

import csv
import io

from kg.results import render, run


def rows(store, name: str, **params) -> list[dict[str, str]]:
    """The rows of named query ``name`` over ``store`` (its parameters as keywords), as
    dicts of CSV strings."""
    return list(csv.DictReader(io.StringIO(render(run(store, name, params), "csv").decode())))
