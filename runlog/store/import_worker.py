"""The reading half of a large import, in a second process.

`prepared_elsewhere` starts `python -m runlog.store.import_worker`, hands it what to read on
its standard input, and yields the `Prepared` chunks it sends back while this process writes
them: reading, checking and writing a million rows then use two cores. The worker never
opens the database, and it answers every failure with a message, never a traceback.

Messages on the worker's standard output are pickles, one after another:
("chunk", Prepared's fields in a marshal), then ("end", None) or ("error", (error class
name, message, hint)). A chunk's rows are plain tuples of text, numbers and None, which
marshal writes and reads in half pickle's time (a tenth of a large import's reading).
"""

from __future__ import annotations

import marshal
import pickle
import subprocess
import sys
from collections.abc import Iterator

from .. import errors
from .importer import Prepared


class Unavailable(Exception):
    """The worker could not start, or ended before its first word: the caller can still
    read the file itself, as nothing was read from the worker."""


def prepared_elsewhere(path: str, fmt: str, *, mood_map, units: str, vocabulary,
                       created: str, now=None) -> Iterator[Prepared]:
    """The chunks of `path`, prepared by a worker process. Raises Unavailable at the first
    chunk when there is no working worker, or when `path` is no regular file that another
    process can open by name; a worker that stops later is a RunlogError. Closing the
    generator (or Ctrl-C) stops the worker."""
    import os

    import runlog

    request = {"path": _by_name(path), "fmt": fmt, "mood_map": dict(mood_map or {}),
               "units": units, "vocabulary": dict(vocabulary), "created": created,
               "now": now}
    # `-m` looks first in the folder it starts in: start it where this runlog was found,
    # so that it runs the same code, not a `runlog` folder that happens to be here.
    home = os.path.dirname(os.path.dirname(os.path.abspath(runlog.__file__)))
    try:
        worker = subprocess.Popen(
            [sys.executable, "-m", "runlog.store.import_worker"], cwd=home, bufsize=1 << 16,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        raise Unavailable from None
    _deepen(worker.stdout)
    heard = False
    try:
        try:
            pickle.dump(request, worker.stdin)
            worker.stdin.close()
        except BrokenPipeError:
            pass  # it ended already; what it said, if anything, is read below
        while True:
            try:
                kind, value = pickle.load(worker.stdout)
            except (EOFError, pickle.UnpicklingError, ValueError):
                if not heard:
                    raise Unavailable from None
                raise errors.RunlogError(
                    f"the process reading {path} stopped unexpectedly "
                    f"(exit code {worker.wait()})",
                    "try again; if it happens again, please report it") from None
            heard = True
            if kind == "chunk":
                yield Prepared(*marshal.loads(value)) if isinstance(value, bytes) else value
            elif kind == "end":
                return
            else:
                name, message, hint = value
                raise getattr(errors, name, errors.RunlogError)(message, hint)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait()
        for pipe in (worker.stdin, worker.stdout):
            try:
                pipe.close()
            except OSError:
                pass


def _by_name(path) -> str:
    """`path` as another process can open it: its real path, which must be the same regular
    file. `/dev/stdin`, `/dev/fd/N` or `/proc/self/fd/N` would be another file in the
    worker (its own standard input), and a pipe can be read only once: Unavailable."""
    import os
    import stat

    real = os.path.realpath(path)
    try:
        found, there = os.stat(path), os.stat(real)
    except FileNotFoundError:
        return real  # the worker says the file is gone, as reading it here would
    except (OSError, ValueError):
        raise Unavailable from None
    if not stat.S_ISREG(found.st_mode) or (found.st_dev, found.st_ino) != (
            there.st_dev, there.st_ino):
        raise Unavailable
    return real


def _deepen(pipe) -> None:
    """Let the worker run a few chunks ahead (a pipe holds 64 KiB, a chunk some 250 KiB),
    so neither process waits for the other at every chunk. Linux only; elsewhere the
    pipe stays as it is."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass


# Prepared's fields in the order its constructor takes them.
_FIELDS = tuple(Prepared.__dataclass_fields__)


def main() -> int:
    """The worker's process: read the request, send the chunks; returns the exit code."""
    from .importer import collector_paused, prepare, read_records

    out = sys.stdout.buffer
    try:
        request = pickle.load(sys.stdin.buffer)
        records = read_records(request["path"], request["fmt"], mood_map=request["mood_map"],
                               units=request["units"])
        with collector_paused():
            for chunk in prepare(records, request["vocabulary"], request["created"],
                                 request.get("now")):
                try:
                    sent = marshal.dumps(tuple([getattr(chunk, name) for name in _FIELDS]))
                except ValueError:  # a value marshal does not write (a reader's own type)
                    sent = chunk
                pickle.dump(("chunk", sent), out, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(("end", None), out)
    except errors.RunlogError as error:
        pickle.dump(("error", (type(error).__name__, error.message, error.hint)), out)
    except (KeyboardInterrupt, BrokenPipeError):
        return 130  # the writing process is stopping too
    except Exception as error:  # noqa: BLE001 - reading and preparing guard themselves;
        # this is the last line of defence: still one line, never a traceback
        pickle.dump(("error", ("InputError", f"the file can't be read ({type(error).__name__}: "
                               f"{' '.join(str(error).split())[:200]}); nothing imported "
                               "from this file", "please report this")), out)
    out.flush()
    return 0


if __name__ == "__main__":  # the process `prepared_elsewhere` starts
    sys.exit(main())
