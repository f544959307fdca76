"""Amounts: the printed text and unit kept, the value in 万元 and in yuan (with the
multiplier), so SPARQL can sum money across tables whatever unit was printed."""
from __future__ import annotations

from decimal import Decimal

from pyoxigraph import NamedNode

from ..domain.amounts import Amount
from ..records import Span
from .provenance import derived
from .terms import BP, SCHEMA, A, Quads, dec, plain, zh

MULTIPLIERS = {"万元": Decimal(10000), "元": Decimal(1), "亿元": Decimal(100000000),
               "千元": Decimal(1000)}
CNY = plain("CNY")


def amount_node(q: Quads, iri: str, amount: Amount, doc_id: str, span: Span | None,
                base: str) -> NamedNode:
    node = NamedNode(iri)
    q.add(node, A, BP.Amount)
    q.add(node, BP.printedText, zh(amount.printed))
    q.add(node, BP.printedUnit, zh(amount.unit) if amount.unit else None)
    q.add(node, SCHEMA.currency, CNY)
    if amount.unit in MULTIPLIERS:
        q.add(node, BP.unitMultiplier, dec(MULTIPLIERS[amount.unit]))
    if amount.value is not None:
        q.add(node, BP.amountWanYuan, dec(amount.value))
        q.add(node, SCHEMA.value, dec(amount.value * MULTIPLIERS["万元"]))
    derived(q, node, doc_id, span, base)
    return node
