"""What the tests of the compiled validator's screens share: the constraints whose
screens pyoxigraph joins by hash, and the (graph, focus node) pairs of an answer."""
from __future__ import annotations

#: the components whose screens are sub-SELECTs joined by hash, run in chunks of graphs
JOINED = {"ClassConstraintComponent", "LessThanOrEqualsConstraintComponent",
          "OrConstraintComponent"}


def focus_pairs(answer, graphs=None) -> set[tuple[str, str]]:
    """(graph, focus) of each row, of ``graphs`` alone where given (rows of other
    graphs dropped, as the engine drops them)."""
    return {(r["g"].value, r["this"].value) for r in answer
            if graphs is None or r["g"].value in graphs}
