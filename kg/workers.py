"""Worker processes for CPU-bound work, ended with this process even when it is
killed: forked for reading and mapping documents in a build and for pySHACL in ``kg
validate`` (they share what this process loaded before: shapes, ontology); started
fresh for work that opens the store (the compiled validator's queries)."""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.pool import Pool
from typing import Any, TypeVar

T = TypeVar("T")

#: fewer jobs than this run in this process: forking workers would cost more
SERIAL_BELOW = 8
#: jobs in flight per worker (``in_order``): in a build, about a batch (setting
#: batch_quads) of documents, so the workers run on while one is written
WINDOW_PER_WORKER = 16


def _die_with_parent() -> None:
    """This process gets SIGTERM when its parent dies, even of SIGKILL (Linux)."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker_init(parent: int) -> None:
    """A worker ends with the build, even a build killed with SIGKILL (Linux)."""
    _die_with_parent()
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)


def _fresh_init(initializer: Callable[..., Any], args: tuple) -> None:
    _die_with_parent()  # its parent is the fork server, which ends with this process
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
    initializer(*args)


def worker_pool(workers: int) -> Pool:
    """A pool of ``workers`` forked processes that end with this one."""
    ctx = multiprocessing.get_context("fork")
    return ctx.Pool(workers, _worker_init, (os.getpid(),))


def fresh_pool(workers: int, initializer: Callable[..., Any], args: tuple,
               preload: list[str]) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes forked from a clean server process
    (``forkserver``, which imports ``preload`` once), each running ``initializer(*args)``
    first.  Not forked from this one: a fork would inherit the open store half-copied
    (RocksDB's threads and locks).  A worker that dies breaks the pool
    (``BrokenProcessPool``) rather than leaving its job waiting forever."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(preload)
    pool = ProcessPoolExecutor(workers, ctx, _fresh_init, (initializer, args))
    try:
        with main_script_hidden():  # every worker started now (one per job handed
            for _ in range(workers):  # out while none is idle), none importing the script
                pool.submit(os.getpid)
    except BaseException:
        stop_workers(pool)
        raise
    return pool


def start_fork_server(preload: list[str]) -> None:
    """Start the server ``fresh_pool`` forks its workers from, now, without waiting
    for it: its start (a new interpreter importing ``preload``) then overlaps what the
    caller does before it asks for the pool."""
    from multiprocessing import forkserver
    multiprocessing.get_context("forkserver").set_forkserver_preload(preload)
    with main_script_hidden():
        forkserver.ensure_running()


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """End a pool now: its jobs not started dropped, its workers killed (the query
    one runs cannot be stopped otherwise; Python 3.14 has ``kill_workers``)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    for process in processes:
        process.join(timeout=5)


_MAIN_LOCK = threading.Lock()


@contextmanager
def main_script_hidden() -> Iterator[None]:
    """A process started fresh imports the caller's main script again, as
    multiprocessing does, unless it cannot find it: a script calling the validator or
    serving the app without an ``if __name__ == "__main__":`` guard would otherwise
    start it again in each worker, which fails."""
    with _MAIN_LOCK:  # two runs at once would restore each other's blanks
        main = sys.modules["__main__"]
        saved: dict[str, Any] = {k: main.__dict__[k] for k in ("__file__", "__spec__")
                                 if k in main.__dict__}
        main.__dict__.pop("__file__", None)
        main.__spec__ = None
        try:
            yield
        finally:
            main.__dict__.update(saved)
            if "__spec__" not in saved:
                del main.__spec__


def in_order(function: Callable[..., T], jobs: list[tuple], workers: int) -> Iterator[T]:
    """``function(*job)`` for each job, yielded in the jobs' order; in worker
    processes when it pays (``function`` must be importable by name).

    A sliding window of ``workers * 16`` jobs is in flight: a new one is handed out
    as each result is taken, so the workers keep going while the caller uses a
    result (a build writes a batch to the store), and at most a window of results
    waits in memory.  (Windows taken one after the other left the workers idle
    during every store write.)"""
    if workers <= 1 or len(jobs) < SERIAL_BELOW:
        yield from (function(*job) for job in jobs)
        return
    pending = iter(jobs)
    window = workers * WINDOW_PER_WORKER
    with worker_pool(workers) as pool:
        waiting = deque(pool.apply_async(function, job)
                        for job in (next(pending) for _ in range(min(window, len(jobs)))))
        while waiting:
            result = waiting.popleft().get()
            job = next(pending, None)
            if job is not None:
                waiting.append(pool.apply_async(function, job))
            yield result
