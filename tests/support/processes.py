"""The processes under this one, read from /proc (Linux): which workers a run
started, what they hold open, how much CPU they used; and scripts run in a fresh
process of their own."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
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


def pool_workers(seen: dict[int, int], before: frozenset[int] | set[int] = frozenset()
                 ) -> set[int]:
    """The worker processes among ``seen`` (processes under this one during a run,
    with their parents as they were then, `descendants`) that were not there
    ``before`` (another test's server or pool): the fork server's children, whose
    parent is under this process too."""
    return {pid for pid, parent in seen.items() if parent in seen} - set(before)


def cpu_seconds(pid: int, besides: set[int] | frozenset[int] = frozenset()) -> float:
    """CPU time used so far by ``pid`` and every living process under it but those
    ``besides`` (another test's servers, started earlier in the same test process)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in [pid, *(set(descendants(pid)) - set(besides))]:
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


ROOT = Path(__file__).resolve().parents[2]


def run_script(folder: Path, text: str, *args: str, env: dict | None = None,
               slow_workers: float = 0, timeout: float = 120) -> str:
    """Run ``text`` as a script of its own in ``folder`` (a fresh process: no fork
    server started yet, as under ``kg`` commands), with this repository importable;
    its output, once it ended well, without a traceback.  With ``slow_workers`` each
    process a fork server starts sleeps that many seconds first, as on a loaded
    machine.  On a timeout the script and everything it started are killed."""
    script = folder / "script.py"
    script.write_text(text, encoding="utf-8")
    path = [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if slow_workers:
        (folder / "sitecustomize.py").write_text(
            "import os, time\n"
            "with open('/proc/self/cmdline', 'rb') as f:\n"
            "    if b'forkserver' in f.read():\n"
            f"        os.register_at_fork(after_in_child=lambda: time.sleep({slow_workers}))\n",
            encoding="utf-8")
        path.insert(0, str(folder))
    proc = subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env=os.environ | (env or {}) | {"PYTHONPATH": os.pathsep.join(path)})
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    assert proc.returncode == 0, err[-2000:]
    assert "Traceback" not in err, err[-2000:]
    return out
