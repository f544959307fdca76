"""The installed ``kg`` command run as a user runs it: a real process, output captured."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KG = [str(Path(sys.executable).with_name("kg"))]  # the console script beside this Python


def kg(*args: str | Path, env: dict | None = None, timeout: float = 300,
       as_user: list[str] | None = None, **kw) -> subprocess.CompletedProcess:
    """``kg ARGS…`` to completion, stdout and stderr as text; ``env`` is added to this
    process's environment, ``as_user`` is a prefix such as ``["runuser", "-u", "nobody",
    "--"]``; other keywords go to ``subprocess.run``."""
    return subprocess.run((as_user or []) + KG + [str(a) for a in args], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})}, **kw)

