"""Named queries: ``queries/*.rq`` files with a metadata header, run by name with
parameters bound as values (pyoxigraph substitutions), never pasted into the text.

pyoxigraph substitutes only variables that the query projects, so a parameter is
always one of the result's columns too (it echoes what was asked).

Header lines (``# key: value``; a line starting with ``#   `` continues the previous
value)::

    # name: directive-lineage
    # title: …
    # description: …
    # param: number string  a document number in any spelling
    # columns: directive number project …
    # snapshot: yes   (a whole-graph report: its answer is kept with each version of
    #                  the embedded store, see kg/store/snapshots.py)
    # snapshot: by number   (a lineage query: its answer for every value of the
    #                  parameter is kept, grouped by value; the parameter must be a
    #                  projected variable that every row binds)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Variable

from . import iris
from .domain.docnumbers import parse_document_number
from .domain.names import MIN_SHARED_TEXT, shared_text_key
from .errors import KgError
from .ontology import QUERIES_DIR

XSD = "http://www.w3.org/2001/XMLSchema#"


class QueryError(KgError):
    """A named query that does not exist, a bad parameter, or a malformed query."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # string | zh (Chinese text, bound @zh) | integer | iri | docnumber | goaltext
    help: str


@dataclass
class NamedQuery:
    name: str
    title: str
    description: str
    columns: list[str]
    params: list[Param]
    text: str
    path: Path
    meta: dict = field(default_factory=dict)

    @property
    def snapshot(self) -> bool:
        """A whole-graph report whose answer `kg build` materialises."""
        return not self.params and (self.meta.get("snapshot") or ["no"])[0] == "yes"

    @property
    def partition(self) -> str | None:
        """The parameter a lineage query's answer is kept grouped by (``# snapshot: by
        NAME``), or None."""
        words = (self.meta.get("snapshot") or ["no"])[0].split()
        if len(words) == 2 and words[0] == "by" and words[1] in {p.name for p in self.params}:
            return words[1]
        return None

    def bindings(self, values: dict[str, str], base: str | None = None) -> dict:
        """Parameter values → pyoxigraph substitutions, typed as the header says;
        ``base`` is the base IRI the store's data was minted under (a goal text's IRI
        is made under it), the setting's when None."""
        known = {p.name: p for p in self.params}
        out: dict[Variable, Literal | NamedNode] = {}
        for key, value in values.items():
            if key not in known:
                raise QueryError(f"query {self.name!r} has no parameter {key!r}; "
                                 f"expected one of: {', '.join(known) or 'none'}")
            p = known[key]
            if p.type == "integer":
                if not re.fullmatch(r"-?\d+", value):
                    raise QueryError(f"parameter {key!r} must be an integer, got {value!r}")
                out[Variable(key)] = Literal(value, datatype=NamedNode(XSD + "integer"))
            elif p.type == "iri":
                try:
                    out[Variable(key)] = NamedNode(value)
                except ValueError as e:
                    raise QueryError(f"parameter {key!r} must be an absolute IRI, got {value!r} "
                                     f"({e})") from None
            elif p.type == "docnumber":  # any spelling → the canonical form the graph keeps
                number = parse_document_number(value)
                if number is None:
                    raise QueryError(f"parameter {key!r} must be a document number such as "
                                     f"保财社〔2025〕87号, got {value!r}")
                out[Variable(key)] = Literal(number.canonical, language="zh")
            elif p.type == "goaltext":  # a goal as printed → the one resource for its text
                out[Variable(key)] = _goal_text(key, value, base)
            elif p.type == "zh":  # printed Chinese text, as the graph keeps it
                out[Variable(key)] = Literal(value.strip(), language="zh")
            else:
                out[Variable(key)] = Literal(value)
        return out


def _goal_text(key: str, value: str, base: str | None) -> NamedNode:
    """A goal text IRI as given, or the one the mapper makes for a printed goal (the
    same normalising: kg/domain/names.py, ``shared_text_key``)."""
    value = value.strip()
    if value.startswith(("http://", "https://")):
        return NamedNode(value)
    normalised = shared_text_key(value)
    if normalised is None:
        raise QueryError(f"parameter {key!r} must be a goal as printed (at least "
                         f"{MIN_SHARED_TEXT} characters once normalised) or a text IRI, "
                         f"got {value!r}")
    return NamedNode(iris.shared_text(normalised, base))


def parse_header(text: str) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = re.match(r"# ?([a-z]+):\s*(.*)$", line)
        if last and line.startswith("#   "):  # a wrapped line, even one like "word: …"
            meta[last][-1] += " " + line[1:].strip()
        elif m:
            last = m.group(1)
            meta.setdefault(last, []).append(m.group(2).strip())
    return meta


def load(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    meta = parse_header(text)
    params = []
    for spec in meta.get("param", []):
        name, type_, *rest = spec.split(None, 2) + [""]
        params.append(Param(name, type_, " ".join(rest).strip()))
    return NamedQuery(
        name=(meta.get("name") or [path.stem])[0], title=(meta.get("title") or [""])[0],
        description=(meta.get("description") or [""])[0],
        columns=(meta.get("columns") or [""])[0].split(), params=params, text=text,
        path=path, meta=meta)


def catalog(folder: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named query, by name."""
    return {q.name: q for q in map(load, sorted(folder.glob("*.rq")))}


def resolve(query: str, folder: Path = QUERIES_DIR) -> NamedQuery | None:
    """A named query by name or path; None if ``query`` is SPARQL text."""
    named = catalog(folder)
    if query in named:
        return named[query]
    p = Path(query)
    if p.suffix == ".rq" and p.is_file():
        return load(p)
    if re.fullmatch(r"[\w.-]+", query):
        raise QueryError(f"no named query {query!r}; known: {', '.join(sorted(named))}")
    return None
