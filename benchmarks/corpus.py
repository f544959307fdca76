"""The corpus generator's command line (the generator is tests/support/corpus.py, shared
by the tests and the benchmarks):

    python benchmarks/corpus.py N OUT_DIR [--seed 1]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.corpus import generate, main, manifest, summary  # noqa: E402

__all__ = ["generate", "manifest", "summary"]

if __name__ == "__main__":
    main()
