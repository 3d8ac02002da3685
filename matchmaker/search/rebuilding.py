"""A rebuild's documents built in worker processes (issue 12: indexing 100k makers in 30 s).

Reading the rows, building each document, validating it and analysing its text (folding, stopwords,
two stemmers) is Python, about 90 % of a rebuild's CPU, and the one writer would leave the other cores
idle. So for a large table :class:`Workers` hands id ranges to worker processes; each reads its range on
its own database connection and returns the engine's prepared batch
(:func:`indexing.tantivy_backend.prepare_batch`: one JSON string per document). The calling process only
adds them, in id order, through the index's one writer (:meth:`rebuild_prepared`), which keeps the alias
swap and the versioned physical index as they are. Documents are those of
:data:`~matchmaker.search.documents.DOCUMENTS`, the very functions the outbox drain uses.

A worker is ``python -m matchmaker.search.rebuild_worker``, a fresh interpreter talking pickles over its
stdin and stdout, not a ``multiprocessing`` child: ``spawn`` and ``forkserver`` re-import the caller's
``__main__`` in the child, so a script calling :func:`.rebuild.rebuild_all` at top level would run a second rebuild
in every worker (and wait forever on the build lock), and ``fork`` would copy a process holding the index's
threads and the database pool. The worker opens its own engine from the database URL. A worker that
raises or dies fails the rebuild with :class:`RebuildFailed` naming the cause; the unfinished physical
index is removed, the alias still names the old one, and every worker is killed and reaped.
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from flask import Flask
from sqlalchemy.orm import Session

from indexing import IndexSpec

from .documents import id_ranges

#: Rows a worker reads and prepares per task.
RANGE = 2000
#: Tasks queued per worker ahead of the one it works on (bounds the prepared batches held in memory).
AHEAD = 2
#: Tables smaller than this are rebuilt in the calling process (starting a worker costs ≈ 1.3 s of CPU).
PARALLEL_MIN = 20_000


class RebuildFailed(RuntimeError):
    """A rebuild worker raised or died; the index the alias names is still the previous one."""


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def workers(app: Flask) -> int:
    """Worker processes a rebuild uses (``SEARCH_REBUILD_WORKERS``; default one per usable core, none on
    one core); 0 builds in the calling process."""
    configured = app.config.get("SEARCH_REBUILD_WORKERS")
    if configured is not None:
        return max(0, int(configured))
    cores = usable_cores()
    return cores if cores > 1 else 0


def parallel_min(app: Flask) -> int:
    """Smallest table whose documents workers build (``SEARCH_REBUILD_PARALLEL_MIN``)."""
    return int(app.config.get("SEARCH_REBUILD_PARALLEL_MIN", PARALLEL_MIN))


class Workers:
    """``count`` worker processes for one rebuild; a context manager that always reaps them."""

    def __init__(self, database_url: str, specs: dict[str, IndexSpec], count: int) -> None:
        root = str(Path(__file__).resolve().parents[2])  # the tree holding matchmaker/ and indexing/
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p))
        self.procs: list[subprocess.Popen] = []
        try:
            for _ in range(count):
                proc = subprocess.Popen([sys.executable, "-m", "matchmaker.search.rebuild_worker"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
                self.procs.append(proc)
                self._send(proc, (database_url, specs))
        except BaseException:
            self.close(kill=True)
            raise

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, exc_type, *_) -> None:
        self.close(kill=exc_type is not None)

    def _send(self, proc: subprocess.Popen, message) -> None:
        try:
            pickle.dump(message, proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise self._died(proc, "while taking work") from exc

    def _receive(self, proc: subprocess.Popen, task) -> tuple[int, list[str]]:
        try:
            answer = pickle.load(proc.stdout)
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            raise self._died(proc, f"on {task[0]} ids {task[1]}..{task[2] or 'end'}") from exc
        if answer[0] == "error":
            raise RebuildFailed(f"search rebuild worker failed on {task[0]} ids {task[1]}..{task[2] or 'end'}: "
                                f"{answer[1]}")
        return answer[1], answer[2]

    def _died(self, proc: subprocess.Popen, when: str) -> RebuildFailed:
        try:
            code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        return RebuildFailed(f"search rebuild worker {proc.pid} died {when} (exit status {code})")

    def prepared_batches(self, session: Session, name: str) -> Iterator[tuple[int, list[str]]]:
        """(documents read, prepared batch) of the whole table of ``name``, in id order: range i goes to
        worker i mod n, and each worker answers its tasks in the order given, so the answers are read
        back in range order."""
        ranges = id_ranges(session, name, RANGE)
        session.rollback()  # end the read transaction: the workers read on their own connections
        pending: deque[tuple[subprocess.Popen, tuple]] = deque()
        for i, (lo, hi) in enumerate(ranges):
            task = (name, lo, hi)
            proc = self.procs[i % len(self.procs)]
            self._send(proc, task)
            pending.append((proc, task))
            if len(pending) > AHEAD * len(self.procs):
                yield self._receive(*pending.popleft())
        while pending:
            yield self._receive(*pending.popleft())

    def close(self, kill: bool = False) -> None:
        """End every worker: closing its stdin ends it (at once with ``kill``), then reap it."""
        for proc in self.procs:
            if kill:
                proc.kill()
            for stream in (proc.stdin, proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs = []
