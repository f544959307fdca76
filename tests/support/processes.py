"""The processes under this one, read from /proc (Linux): which workers a run
started, what they hold open, how much CPU they used."""
from __future__ import annotations

import os
from pathlib import Path


def _stat(pid: str) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name; None if it ended."""
    try:
        return (Path("/proc") / pid / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def descendants(pid: int) -> dict[int, int]:
    """Every living process under ``pid``, with its parent."""
    parents = {int(p): int(f[1]) for p in os.listdir("/proc") if p.isdigit()
               if (f := _stat(p)) is not None}
    out: dict[int, int] = {}
    todo = [pid]
    while todo:
        parent = todo.pop()
        kids = {c: p for c, p in parents.items() if p == parent}
        out.update(kids)
        todo += kids
    return out


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by ``pid`` and every living process under it."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in [pid, *descendants(pid)]:
        fields = _stat(str(p))
        if fields is not None:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def holding(pids, folder: Path) -> set[int]:
    """The processes among ``pids`` with a file under ``folder`` open."""
    inside = str(folder.resolve()) + os.sep
    out = set()
    for pid in pids:
        try:
            fds = list((Path("/proc") / str(pid) / "fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(fd).startswith(inside):
                    out.add(pid)
                    break
            except OSError:
                continue
    return out
