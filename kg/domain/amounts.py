"""Money amounts as printed in budget tables, converted to 万元.

Project tables declare ``单位：万元`` and print bare numbers ("24.31", "10.40"),
but cells and prose also print "243,100元" or "1.5亿元".  Every amount is brought
to 万元 (10,000 CNY) so amounts compare; the printed text and the printed unit stay
beside the value so a reader can check the conversion.  Where no conversion is
needed the printed scale is kept ("10.40" stays ``Decimal("10.40")``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kg.domain.text import to_halfwidth_digits

__all__ = ["Amount", "parse_amount", "EMPTY_CELLS", "UNIT_FACTORS"]

#: Cell contents that mean "nothing printed here".
EMPTY_CELLS = frozenset({"", "—", "——", "-", "--", "/", "无", "－", "―"})

#: How many 万元 one printed unit is worth.
UNIT_FACTORS = {
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "万元": Decimal(1),
    "万": Decimal(1),
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
}

_AMOUNT = re.compile(
    r"(?P<num>[+-]?(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?)\s*"
    r"(?P<unit>千元|万元|亿元|元|万|亿)?"
)


@dataclass(frozen=True)
class Amount:
    """An amount: the printed text, its value in 万元, and the unit as printed."""

    printed: str
    value: Decimal | None
    unit: str



def _plain(d: Decimal) -> Decimal:
    """Drop trailing zeros a conversion introduced, without exponent notation."""
    d = d.normalize()
    exponent = d.as_tuple().exponent  # a str only for NaN and infinities, never parsed here
    return d.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else d


def parse_amount(printed: str, default_unit: str = "万元") -> Amount | None:
    """Read an amount cell; None for an empty cell, value None for non-amounts.

    >>> parse_amount("243,100元")
    Amount(printed='243,100元', value=Decimal('24.31'), unit='元')
    >>> parse_amount(" 10.40 ").value
    Decimal('10.40')
    >>> parse_amount("——") is None
    True
    >>> parse_amount("见附件")
    Amount(printed='见附件', value=None, unit='万元')
    """
    text = re.sub(r"\s+", "", to_halfwidth_digits(printed))
    if text in EMPTY_CELLS:
        return None
    m = _AMOUNT.fullmatch(text)
    if m is None:
        return Amount(printed, None, default_unit)
    number = Decimal(re.sub(r"[,，]", "", m["num"]))
    unit = m["unit"] or default_unit
    factor = UNIT_FACTORS.get(unit)
    if factor is None:
        return Amount(printed, None, unit)
    if factor == 1:
        return Amount(printed, number, unit)
    return Amount(printed, _plain(number * factor), unit)
