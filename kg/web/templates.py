"""The HTML templates (Jinja2, autoescaped: a value from the data is text, never
markup, unless it is a `Link` or markup a template made).  A deployer overrides any
of them with a file of the same name in the folder of the ``templates`` setting,
searched before the packaged folder ``kg/web/templates/``."""
from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import config, iris
from .media import alternates
from .parts import Link, local_href

PACKAGED = Path(__file__).parent / "templates"


@functools.lru_cache(maxsize=4)
def environment(folder: str) -> Environment:
    """The templates of ``folder`` (a deployer's, may be "") over the packaged ones."""
    loaders = [FileSystemLoader(folder)] if folder else []
    env = Environment(loader=ChoiceLoader([*loaders, FileSystemLoader(PACKAGED)]),
                      autoescape=True, undefined=StrictUndefined, keep_trailing_newline=False)
    env.tests["link"] = lambda value: isinstance(value, Link)
    env.globals["local_href"] = local_href
    return env


def _env() -> Environment:
    return environment(str(config.get("templates") or ""))


def render(name: str, base: str | None = None, **values) -> str:
    """A whole page or fragment from the template ``name``; links to IRIs minted under
    ``base`` (None: the ``base`` setting) go to this server."""
    return _env().get_template(name).render(base=base or iris.base(), **values)


def macro(name: str, base: str | None, *args) -> Markup:
    """One macro of ``macros.html`` (a table, a link) as markup."""
    module = _env().get_template("macros.html").make_module({"base": base or iris.base()})
    return Markup(getattr(module, name)(*args))


def a(iri: str, text: str, base: str | None = None) -> Markup:
    """A link to the IRI, or its text alone when it may not be a link (see
    ``parts.href``)."""
    return macro("link", base, Link(iri, text))


def table(headers: list[str], rows: list[list], id: str = "", base: str | None = None) -> str:
    """A table: each cell is text (escaped), a `Link`, or `Markup` a template made."""
    return str(macro("table", base, headers, rows, id))


def page(title: str, body: Markup | str, alternates_of: str | None = None) -> str:
    """A whole page; ``alternates_of`` (a path) adds <link rel=alternate> to its RDF.
    ``body`` is markup made by the templates and the page modules."""
    links = [(u, m) for u, m in alternates(alternates_of) if m != "text/html"] \
        if alternates_of else []
    return render("page.html", title=title, body=Markup(body), alternates=links)
