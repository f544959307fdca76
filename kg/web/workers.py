"""Queries run where they can be stopped: worker processes that are killed at the
deadline.  pyoxigraph cannot cancel a running query, so a query run in a thread
keeps its CPU and memory after its client got a 503; a process can be killed.

Two lanes of worker processes, each opening the store read-only:

- the quick lane (setting ``quick_workers``): every query starts here, with
  ``quick_query_seconds`` to finish; one that does not is stopped (its worker
  killed and replaced) and moves to
- the heavy lane (``query_workers``, run at a lower CPU priority): it runs there
  until the query's deadline (``query_timeout``), then its worker is killed and the
  client gets a 503.  At most ``query_queue`` queries wait for a heavy worker; past
  that the answer is 503 with ``Retry-After`` at once.

A text once found heavy goes straight to the heavy lane next time, so cheap
queries (``ASK {}``, one document's indicators) keep a free quick worker while the
heavy lane is full.  A worker that dies (a crash in the engine) is replaced and
the client gets a 500 problem, never a dead server.

Only a store on disk can be opened by other processes; an in-memory store, a
server store and a writable store (its writer holds the files) run queries in
threads instead (`ThreadLanes`: capped and queued the same way, but a query past
its deadline finishes in the background).
"""
from __future__ import annotations

import asyncio
import hashlib
import math
import multiprocessing
import os
import sys
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

from ..store import Store
from ..workers import main_script_hidden
from . import errors
from .parts import store_folder

_HEAVY_NICE = 10  # the heavy lane yields the CPU to quick queries and pages


def _worker_main(path: str, conn, nice: int) -> None:
    """A worker process: open the store read-only, then run (function, args) jobs
    sent over ``conn``; each function takes the store first."""
    from ..store import EmbeddedStore
    if nice:
        os.nice(nice)
    try:
        store = EmbeddedStore(path, read_only=True)
    except Exception as e:  # reported to the parent with the first job's answer
        conn.send(("error", "OSError", f"the query worker cannot open the store: {e}"))
        return
    conn.send(("ready",))
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", fn(store, *args)))
        except errors.HTTPProblem as p:
            conn.send(("problem", p.status, p.title, p.detail))
        except Exception as e:
            conn.send(("error", type(e).__name__, str(e)))


_RAISED = {"SyntaxError": SyntaxError, "ValueError": ValueError, "OSError": OSError,
           "TimeoutError": TimeoutError}


def _answer(reply: tuple):
    """A worker's reply as the function's value, or the exception it raised."""
    if reply[0] == "ok":
        return reply[1]
    if reply[0] == "problem":
        raise errors.HTTPProblem(*reply[1:])
    raise _RAISED.get(reply[1], RuntimeError)(reply[2])


class _Worker:
    """One worker process and its pipe; ``start_up`` and ``call`` block (run them in
    a thread)."""

    def __init__(self, ctx, path: str, nice: int):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(path, child, nice), daemon=True,
                                name="kg-query-worker")
        with main_script_hidden():
            self.proc.start()
        child.close()
        self.failed: tuple | None = None  # why it could not start, answered to its first job

    def start_up(self) -> _Worker:
        try:
            hello = self.conn.recv()
        except (EOFError, OSError):
            hello = ("died",)
        if hello[0] != "ready":
            self.failed = hello
        return self

    def call(self, fn, args) -> tuple:
        if self.failed:
            return self.failed
        try:
            self.conn.send((fn, args))
            return self.conn.recv()
        except (EOFError, OSError):
            return ("died",)

    def kill(self) -> None:
        self.proc.kill()
        self.conn.close()
        threading.Thread(target=self.proc.join, daemon=True).start()  # reap it


LATE, SLOW = ("late",), ("slow",)  # no worker came in time; the query ran out of time


class _Lane:
    """Workers of one kind, a bounded queue in front of them.  A worker joins the
    idle queue only once it has opened the store, so its start-up is nobody's wait."""

    def __init__(self, start, size: int, queue: int):
        self.start, self.size, self.queue = start, size, queue
        self.idle: asyncio.Queue | None = None
        self.first: list[asyncio.Future] = []  # the first workers' start-ups
        self.waiting = 0
        self.executor = ThreadPoolExecutor(2 * size, thread_name_prefix="kg-query-wait")
        self.workers: list[_Worker] = []

    def _queue(self) -> asyncio.Queue:
        """The idle workers' queue, made on first use inside the server's event loop."""
        if self.idle is None:
            self.idle = asyncio.Queue()
            self.first = [self._replace(None) for _ in range(self.size)]
        return self.idle

    def starting(self) -> list[asyncio.Future]:
        """The first workers' start-ups: each done once its worker has opened the
        store (or failed to, which its first job is told)."""
        self._queue()
        return self.first

    def _replace(self, dead: _Worker | None) -> asyncio.Future:
        if dead is not None:
            dead.kill()
            self.workers.remove(dead)
        worker = self.start()
        self.workers.append(worker)
        ready = asyncio.get_running_loop().run_in_executor(self.executor, worker.start_up)
        idle = self._queue()
        ready.add_done_callback(lambda f: idle.put_nowait(f.result()))
        return ready

    async def run(self, fn, args, end: float, seconds: float, busy: errors.HTTPProblem,
                  skip=lambda: False):
        """The worker's reply; LATE if no worker was free by ``end`` (the event loop's
        time), SLOW if the query did not finish within ``seconds`` or by ``end`` (its
        worker is killed); SLOW also, without running it, if ``skip()`` says so once a
        worker is free (the text was found heavy meanwhile)."""
        idle = self._queue()
        loop = asyncio.get_running_loop()
        if self.waiting >= self.queue and idle.empty():
            raise busy
        self.waiting += 1
        try:
            worker = await asyncio.wait_for(idle.get(), max(end - loop.time(), 0.001))
        except TimeoutError:
            return LATE
        finally:
            self.waiting -= 1
        if skip():
            idle.put_nowait(worker)
            return SLOW
        done = False
        try:
            job = loop.run_in_executor(self.executor, worker.call, fn, args)
            reply = await asyncio.wait_for(job, max(min(seconds, end - loop.time()), 0.001))
            done = reply[0] in ("ok", "problem") or (reply[0] == "error" and worker.proc.is_alive())
            return reply
        except TimeoutError:
            return SLOW
        finally:  # a worker past its time, dead, or whose client left is replaced
            if done:
                idle.put_nowait(worker)
            else:
                self._replace(worker)

    def close(self) -> None:
        for w in self.workers:
            w.kill()
        self.workers = []
        self.executor.shutdown(wait=False)


class QueryPool:
    """The two lanes of worker processes over a store on disk."""

    def __init__(self, path: str, quick: int, heavy: int, queue: int, quick_seconds: float,
                 start_wait: float):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["kg.web.workers", "kg.web.sparql", "kg.web.query_pages",
                                   "rdflib.plugins.sparql.parser"])
        self.quick = _Lane(lambda: _Worker(ctx, path, 0), quick, 4 * queue)
        self.heavy = _Lane(lambda: _Worker(ctx, path, _HEAVY_NICE), heavy, queue)
        self.quick_seconds = quick_seconds
        self.start_wait = start_wait  # seconds (setting worker_start_seconds)
        self.known_heavy: OrderedDict[bytes, None] = OrderedDict()

    async def run(self, fn, args: tuple, timeout: float, text: str = ""):
        """``fn(store, *args)`` in a worker: its value or its exception; 503 past
        ``timeout`` or when the heavy lane's queue is full.  ``text`` names the job
        (query, parameters, dataset) for remembering the heavy ones."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        busy = errors.busy(math.ceil(min(timeout, 10)))
        key = hashlib.sha256(text.encode("utf-8", "replace")).digest()  # texts may be long
        reply = SLOW
        if key not in self.known_heavy:
            reply = await self.quick.run(fn, args, end, self.quick_seconds, busy,
                                         skip=lambda: key in self.known_heavy)
            if reply is SLOW:
                self.known_heavy[key] = None
                while len(self.known_heavy) > 1000:
                    self.known_heavy.popitem(last=False)
        else:
            self.known_heavy.move_to_end(key)
        if reply is SLOW:
            reply = await self.heavy.run(fn, args, end, timeout, busy)
        if reply is LATE or reply is SLOW:
            raise errors.timed_out(timeout)
        if reply[0] == "died":
            raise errors.HTTPProblem(500, "query failed", "the query stopped the process "
                                     "running it (it was replaced); nothing was returned")
        return _answer(reply)

    async def start(self) -> None:
        """Start the workers with the server, and say it started once they can
        answer (or failed to start, which their first job is told), for at most
        ``start_wait`` seconds (a slower worker, a store on a slow disk, joins its
        lane when it is ready): queries sent at once would otherwise fill the queue
        in front of workers still starting, and a cheap one would be refused as busy."""
        starting = self.quick.starting() + self.heavy.starting()
        # asyncio.wait, not wait_for: a start-up cancelled would never join its lane
        if starting and (await asyncio.wait(starting, timeout=self.start_wait))[1]:
            print(f"kg serve: the query workers have not opened the store after "
                  f"{self.start_wait:g} s (setting worker_start_seconds); serving, they join "
                  "as they are ready", file=sys.stderr)

    def close(self) -> None:
        self.quick.close()
        self.heavy.close()


class ThreadLanes:
    """Queries in threads, for stores other processes cannot open: at most
    ``heavy`` + ``quick`` at once, ``queue`` more waiting, then 503."""

    def __init__(self, store, size: int, queue: int):
        self.store = store
        self.executor = ThreadPoolExecutor(size, thread_name_prefix="kg-query")
        self.slots = threading.BoundedSemaphore(size + queue)

    async def run(self, fn, args: tuple, timeout: float, text: str = ""):
        if not self.slots.acquire(blocking=False):
            raise errors.busy(math.ceil(min(timeout, 10)))
        loop = asyncio.get_running_loop()
        job = loop.run_in_executor(self.executor, fn, self.store, *args)
        job.add_done_callback(self._finished)
        try:
            return await asyncio.wait_for(asyncio.shield(job), timeout)
        except TimeoutError:
            raise errors.timed_out(timeout) from None

    def _finished(self, job) -> None:
        self.slots.release()
        if not job.cancelled():
            job.exception()  # read, so an answer nobody waited for is not reported as lost

    async def start(self) -> None:
        pass

    def close(self) -> None:
        self.executor.shutdown(wait=False)


def lanes_for(store: Store, quick: int, heavy: int, queue: int,
              quick_seconds: float, start_wait: float) -> QueryPool | ThreadLanes:
    """Worker processes for a read-only store in a folder, else threads."""
    folder = store_folder(store)
    if folder is not None and store.read_only and heavy > 0:
        return QueryPool(str(folder), quick, heavy, queue, quick_seconds, start_wait)
    return ThreadLanes(store, quick + max(heavy, 1), queue)
