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
from .parts import Link

PACKAGED = Path(__file__).parent / "templates"


@functools.lru_cache(maxsize=4)
def environment(folder: str) -> Environment:
    """The templates of ``folder`` (a deployer's, may be "") over the packaged ones."""
    loaders = [FileSystemLoader(folder)] if folder else []
    env = Environment(loader=ChoiceLoader([*loaders, FileSystemLoader(PACKAGED)]),
                      autoescape=True, undefined=StrictUndefined, keep_trailing_newline=False)
    env.tests["link"] = lambda value: isinstance(value, Link)
    return env


def _env() -> Environment:
    return environment(str(config.get("templates") or ""))


def render(name: str, base: str | None = None, **values) -> Markup:
    """A whole page or fragment from the template ``name``, as markup (a template may
    place it in another unescaped); links to IRIs minted under ``base`` (None: the
    ``base`` setting) go to this server."""
    return Markup(_env().get_template(name).render(base=base or iris.base(), **values))


def page(title: str, body: Markup, alternates_of: str | None = None) -> Markup:
    """A whole page around ``body`` (markup a template made; plain text is escaped);
    ``alternates_of`` (a path) adds <link rel=alternate> to its RDF."""
    links = [(u, m) for u, m in alternates(alternates_of) if m != "text/html"] \
        if alternates_of else []
    return render("page.html", title=title, body=body, alternates=links)
