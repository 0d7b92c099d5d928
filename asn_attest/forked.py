"""Work spread over forked worker processes, with results back in order.

Reading a spreadsheet is pure Python past the unzip, so one process uses one core:
a roster export and a form export read side by side take the time of the larger,
not of both. A worker is a ``fork`` of the running process: it has the loaded
plugins and the options already, and nothing needs to be imported or set up again.
It does one item, sends the result back through a pipe and exits.

Only where ``fork`` is safe to use this way, Linux: elsewhere (Windows has no
``fork``; macOS system libraries do not survive one) and with one worker, the items
are done in this process, one after another, with the same results.

Errors travel back as the exception the item raised, with its class, message and
attributes, and the worker's traceback as its cause. Results are taken in the order
of the items, so the error raised is that of the first item (in the given order)
that failed, whatever the timing, and the workers still running are then stopped.
A worker that dies (killed, out of memory) is an error naming its item.
"""

from __future__ import annotations

import copyreg
import gc
import io
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from .errors import ConfigError

WORKERS_ENV = "ASN_ATTEST_WORKERS"
#: More workers than this rarely help: the parent rebuilds every result it is sent.
MAX_DEFAULT_WORKERS = 4

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def worker_count(environ: Mapping[str, str] | None = None) -> int:
    """Workers to use: ``ASN_ATTEST_WORKERS`` if set (1 turns them off), else one per
    core up to :data:`MAX_DEFAULT_WORKERS`; always 1 where workers cannot be forked."""
    env = os.environ if environ is None else environ
    raw = env.get(WORKERS_ENV, "").strip()
    if raw:
        try:
            count = int(raw)
        except ValueError:
            raise ConfigError(f"{WORKERS_ENV}={raw!r} is not a whole number") from None
        if count < 1:
            raise ConfigError(f"{WORKERS_ENV} must be 1 or more, got {count}")
    else:
        count = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
                    MAX_DEFAULT_WORKERS)
    return count if can_fork() else 1


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker, as text (its ``__cause__``)."""

    def __str__(self) -> str:
        return str(self.args[0])


class WorkerDied(Exception):
    """A worker ended without sending its result (killed by a signal, out of memory);
    ``item`` is what it was working on."""

    def __init__(self, message: str, item: Any) -> None:
        super().__init__(message)
        self.item = item


def fork_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int,
    on_start: Callable[[T], None] | None = None,
    dispatch_table: Mapping[type, Callable[[Any], Any]] | None = None,
    describe: Callable[[T], str] = str,
    here: int | None = None,
) -> list[R]:
    """``[fn(item) for item in items]``, the items shared among ``workers`` forked processes.

    ``on_start(item)`` is called in this process as each item is started, in order.
    ``dispatch_table`` gives cheap pickling reductions for the classes of the results
    (see :mod:`copyreg`); results share equal objects as pickle's memo finds them.
    ``here`` is the index of an item this process does itself, as one of the
    ``workers``, while the others run: give it the largest item, whose result then
    needs no pickling and no copy (what makes a large result cost is pickling it in
    the worker and rebuilding it here, both on the way to the answer).
    With one worker, or one item, or where :func:`can_fork` is false, the items are
    done here in order and the first exception propagates at once.
    """
    if workers <= 1 or len(items) <= 1 or not can_fork():
        out = []
        for item in items:
            if on_start is not None:
                on_start(item)
            out.append(fn(item))
        return out
    if here is not None and not 0 <= here < len(items):
        raise IndexError(f"here={here} is not an index of the {len(items)} items")
    return _Pool(fn, items, workers, on_start, dispatch_table, describe, here).run()


_OK, _RAISED = 0, 1


class _Pool:
    """Items started in order, at most ``workers`` at a time; results read in order.

    Each result is unpickled straight from its worker's pipe as the worker writes
    it, so a result is never held twice (as bytes and as objects), and a worker
    that finished early waits, blocked on its pipe, until its turn.
    """

    def __init__(
        self,
        fn: Callable[[Any], Any],
        items: Sequence[Any],
        workers: int,
        on_start: Callable[[Any], None] | None,
        dispatch_table: Mapping[type, Callable[[Any], Any]] | None,
        describe: Callable[[Any], str],
        here: int | None = None,
    ) -> None:
        self.fn = fn
        self.here = here
        self.items = items
        self.workers = workers
        self.on_start = on_start
        self.table = {**copyreg.dispatch_table, **(dispatch_table or {})}
        self.describe = describe
        #: item index -> (pid, read end), for the workers started and not yet read
        self.running: dict[int, tuple[int, int]] = {}

    def run(self) -> list[Any]:
        results: list[Any] = []
        here = self.here
        own: tuple[bool, Any] = (False, None)
        self.following = 0
        try:
            if here is not None:
                # the others start first, on the other cores; then this process does its item
                self._fill(self.workers - 1)
                if self.on_start is not None:
                    self.on_start(self.items[here])
                try:
                    own = (True, self.fn(self.items[here]))
                except Exception as exc:  # raised in its turn: an earlier item's error comes first
                    own = (False, exc)
            for index in range(len(self.items)):
                if index == here:
                    done, value = own
                    if not done:
                        raise value
                    results.append(value)
                    continue
                self._fill(self.workers)
                pid, fd = self.running.pop(index)
                results.append(self._receive(index, pid, fd))
        finally:
            self._stop_all()
        return results

    def _fill(self, limit: int) -> None:
        """Start the next items in order (all but ``here``) until ``limit`` workers run."""
        while self.following < len(self.items) and len(self.running) < limit:
            if self.following != self.here:
                self.running[self.following] = self._start(self.following)
            self.following += 1

    def _start(self, index: int) -> tuple[int, int]:
        item = self.items[index]
        if self.on_start is not None:
            self.on_start(item)
        read_end, write_end = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            os.close(read_end)
            self._work(item, write_end)
        os.close(write_end)
        return pid, read_end

    def _work(self, item: Any, fd: int) -> None:
        status = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent reports it
            for _, other in self.running.values():  # the pipes of the workers started before
                os.close(other)
            try:
                payload = (_OK, self.fn(item))
            except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
                payload = (_RAISED, _exception_state(exc))
            buffer = io.BytesIO()
            pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dispatch_table = self.table
            try:
                pickler.dump(payload)
            except Exception as exc:  # noqa: BLE001 - a result that cannot travel
                unsent = RuntimeError(f"the worker could not send its result back: {type(exc).__name__}: {exc}")
                buffer = io.BytesIO()
                pickle.dump((_RAISED, _exception_state(unsent)), buffer, protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(buffer.getbuffer())
            while view:
                view = view[os.write(fd, view):]
            status = 0
        finally:
            os._exit(status)

    def _receive(self, index: int, pid: int, fd: int) -> Any:
        """The result of item ``index``, or its error raised."""
        enabled = gc.isenabled()
        gc.disable()  # the result is a few hundred thousand objects that all live on
        try:
            with os.fdopen(fd, "rb", buffering=1 << 20) as pipe:
                kind, value = pickle.load(pipe)
        except (EOFError, pickle.UnpicklingError):
            kind = value = None
        finally:
            if enabled:
                gc.enable()
        _, wait_status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(wait_status)
        if kind is None or code != 0:
            how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
            item = self.items[index]
            raise WorkerDied(f"the worker for {self.describe(item)} {how} before it finished", item)
        if kind != _OK:
            raise _rebuild(value)
        return value

    def _stop_all(self) -> None:
        """After an error (or Ctrl-C): the workers still running are not needed."""
        for pid, fd in self.running.values():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.close(fd)
            os.waitpid(pid, 0)
        self.running.clear()


def _exception_state(exc: BaseException) -> tuple[Any, ...]:
    """What rebuilds ``exc`` in the parent: class, args and attributes, when they
    pickle; else a RuntimeError with its text. The traceback goes along as text."""
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    state = (type(exc), exc.args, dict(getattr(exc, "__dict__", {})), trace)
    try:
        pickle.loads(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - an exception with state that cannot travel
        return (RuntimeError, (f"{type(exc).__name__}: {exc}",), {}, trace)
    return state


def _rebuild(state: tuple[Any, ...]) -> BaseException:
    cls, args, attributes, trace = state
    exc = cls.__new__(cls, *args)
    BaseException.__init__(exc, *args)
    exc.__dict__.update(attributes)
    exc.__cause__ = RemoteTraceback(trace)
    return exc
