"""Reading many files ahead of writing them: a watch archive is thousands of small files.

`read_ahead` reads each file's records whole, in a pool of worker processes when there are
many files (one per core), while the caller writes the files already read, one transaction
each, in order. Only a bounded number of files' records are held at once. A large file is
left to the caller (it has its own second process, `import_worker`), and so is any file a
worker could not read for a reason other than the file's content (the caller then reads it
itself and says what is wrong, as for a single file).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

# From this many files on, a pool of processes reads them; below, this process does (a
# worker takes some 0.1 s to start).
PARALLEL_FROM_FILES = 24
BATCH = 8  # files a worker reads per task (fewer round trips)
AHEAD = 2  # tasks in flight per worker: at most AHEAD * workers * BATCH files held


def read_ahead(items: list[tuple[str, str]], fmt: str, *, mood_map: Mapping[str, int] | None,
               units: str) -> Iterator[tuple[str, list | None | tuple[str, str, str | None]]]:
    """For each (name, path) in order: (name, its records as a list), or (name, None) when
    the caller should read it the usual way (a file of PARALLEL_FROM_BYTES or more, or one
    that could not be read here), or (name, (error class name, message, hint)) when
    `interchange.read` refuses it. Closing the iterator, or Ctrl-C, stops the workers."""
    mood_map = dict(mood_map or {})
    workers = os.cpu_count() or 1
    if len(items) < PARALLEL_FROM_FILES or workers < 2:
        for name, path in items:
            yield name, read_one(path, fmt, mood_map, units)
        return
    yield from _in_pool(items, fmt, mood_map, units, workers)


def read_one(path: str, fmt: str, mood_map: dict, units: str):
    """One file's records (a list), a refusal (class name, message, hint), or None."""
    from ..errors import RunlogError
    from .importer import PARALLEL_FROM_BYTES, read_records

    try:
        if os.path.getsize(path) >= PARALLEL_FROM_BYTES:
            return None
        return list(read_records(path, fmt, mood_map=mood_map, units=units))
    except RunlogError as error:
        return type(error).__name__, error.message, error.hint
    except Exception:  # noqa: BLE001 - the disk, or a reader's surprise: the caller reads
        return None  # it the usual way, which says what is wrong in its own words


def _read_batch(paths: list[str], fmt: str, mood_map: dict, units: str) -> list:
    return [read_one(path, fmt, mood_map, units) for path in paths]


def _quiet_worker(parent: int | None = None) -> None:
    """Ctrl-C is the parent's to handle: a worker finishes its task and is shut down. On
    Linux a worker also ends when its parent does, however it ends (SIGKILL, the OOM
    killer): none is left reading for no one."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown must do
        return
    if parent is not None and os.getppid() != parent:  # the parent died before prctl
        os._exit(1)


@contextmanager
def _sigint_ignored():
    """Ignore Ctrl-C in this process while workers start, so that they inherit it from their
    first instruction (before their initializer runs). Only the main thread can."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _in_pool(items, fmt, mood_map, units, workers):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    batches = [items[at:at + BATCH] for at in range(0, len(items), BATCH)]
    try:
        # spawn: a fresh interpreter, safe beside the threads a progress bar runs
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_quiet_worker,
                                   initargs=(os.getpid(),),
                                   mp_context=multiprocessing.get_context("spawn"))
    except (OSError, ValueError, ImportError, NotImplementedError):
        for name, path in items:  # no processes here: read in this one
            yield name, read_one(path, fmt, mood_map, units)
        return
    pending: deque = deque()
    following = iter(batches)
    broken = False

    def submit() -> None:
        batch = next(following, None)
        if batch is not None:
            paths = [path for _, path in batch]
            try:
                future = None if broken else pool.submit(_read_batch, paths, fmt, mood_map,
                                                          units)
            except (BrokenProcessPool, RuntimeError, OSError):
                future = None
            pending.append((batch, future))

    try:
        with _sigint_ignored():  # workers start now: born ignoring Ctrl-C, the parent's
            for _ in range(AHEAD * workers):
                submit()
        while pending:
            batch, future = pending.popleft()
            results = None
            if future is not None:
                try:
                    results = future.result()
                except (BrokenProcessPool, OSError, EOFError):
                    broken = True  # a worker died (killed, out of memory): read here
            submit()
            for index, (name, _) in enumerate(batch):
                yield name, results[index] if results is not None else None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
