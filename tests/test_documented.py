"""Everything a user can set, call or ask for is in the README (or docs/)."""
from __future__ import annotations

from kg import cli, config
from kg.ontology import ROOT
from kg.queries import catalog

README = "\n".join(p.read_text(encoding="utf-8")  # the README and the pages it links
                   for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def test_every_setting_is_documented():
    missing = [name for name in config.SETTINGS if f"`{name}`" not in README]
    assert not missing


def test_every_command_is_documented():
    sub = next(a for a in cli.parser()._actions if a.dest == "command")
    missing = [name for name in sub.choices if f"kg {name}" not in README]
    assert not missing


def test_every_named_query_is_documented():
    missing = [name for name in catalog() if f"`{name}`" not in README]
    assert not missing
