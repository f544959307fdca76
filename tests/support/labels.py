"""Each sample document's label as the document prints it: publisher or unit, year and
title or the vocabulary's name of its kind."""
from __future__ import annotations

import re

import rdflib

from kg import iris
from kg.ontology import ONTOLOGY_FILES
from tests.support.samples import sample_lines


def kind_name(kind: str) -> str:
    """The vocabulary's Chinese name of a disclosure kind (ontology/concepts.ttl)."""
    g = rdflib.Graph().parse(ONTOLOGY_FILES[1], format="turtle")
    (name,) = [o for o in g.objects(rdflib.URIRef(iris.BPC + "disclosure-" + kind),
                                    rdflib.SKOS.prefLabel) if o.language == "zh"]
    return str(name)


def unit_name(line: str) -> str:
    """A unit line under a table title, "303001保定…局（本级）" → "保定…局"."""
    return re.sub(r"^\d{6}|（本级）$", "", line.strip())


def expected_labels() -> dict[str, str]:
    """{document key: its label}, each part read from the line of data/ that prints it."""
    l000, l001, l002, l004 = (sample_lines(p) for p in ("000", "001", "002", "004"))
    return {
        # data/001 and data/004 open with the publisher (line 1) and the title (line 2),
        # which prints the year
        "001_4e0ae0666194d0d6": f"{l001[0].strip()} {l001[1].strip()}",
        "004_7f173a8bea485c98": f"{l004[0].strip()} {l004[1].strip()}",
        # data/000 and data/002 print no title: the unit under the first project table
        # (000 line 48, 002 line 31), the year printed in 000 line 47 ("1.2026年统计
        #调查资金绩效目标表") and 002 line 5 ("2026年我局整体绩效目标为…"), the kind's name
        "000_ebdfb260618a708a": f"{unit_name(l000[47])} {l000[46].split('.')[1][:5]} "
                                f"{kind_name('performance_targets')}",
        "002_d83939c0e0da9114": f"{unit_name(l002[30])} {l002[4][:5]} "
                                f"{kind_name('performance_targets')}",
    }
