"""Work on a large file's batches in a second process while this one stores them (4-4).

Reading a lookup log line by line — decoding, splitting, the subject's keyed hash and the line's
key — costs Python about as much as storing the rows costs the database. In one process the two
take turns (the interpreter runs one thread at a time); with the reading in a second process
they overlap, and a large file is imported in little more than the longer of the two.

The second process is forked, so it starts at once with everything the reading needs (the
mapping, the terminals and IDs, the subject's key) and is given only the batches' raw lines;
only the results come back, as `marshal` data (plain values only: a third of pickle's time
for a batch's rows). It never touches the database connection it inherits, and ends
with the import. It is forked from the process that imports: `itaku lgwan import`, or a web
worker taking an upload (gunicorn's sync workers, `itaku serve`, run one request at a time on
one thread, so no other thread holds a lock the child would inherit). Where `fork` does not
exist, or for a small file (a second process would cost more than it saves), the batches are
read in this process, with the same results.
"""

import marshal
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

# Batches read ahead of the one being stored: the second process is never idle, and memory
# stays flat (a few batches in flight whatever the file's size).
AHEAD = 2

_work: Callable[[Any], Any] | None = None


def _adopt(work: Callable[[Any], Any]) -> None:
    """In the second process: the work it does (inherited by the fork, never pickled)."""
    global _work  # noqa: PLW0603 - one per process, set once when it starts
    _work = work


def _run(item: Any) -> bytes:
    if _work is None:  # pragma: no cover - the pool always runs _adopt first
        raise RuntimeError("the second process has no work")
    return marshal.dumps(_work(item))


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def each(
    work: Callable[[Any], Any], items: Iterable[Any], *, apart: bool
) -> Iterator[tuple[Any, Any]]:
    """Each item with `work(item)`, in order: in a second process when `apart` (and the
    system can fork), else here. An error in the work is raised here, at its item."""
    if not (apart and can_fork()):
        for item in items:
            yield item, work(item)
        return
    pool = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_adopt,
        initargs=(work,),
    )
    pending: deque[tuple[Any, Future[bytes]]] = deque()
    try:
        for item in items:
            pending.append((item, pool.submit(_run, item)))
            if len(pending) > AHEAD:
                yield _done(*pending.popleft())
        while pending:
            yield _done(*pending.popleft())
    finally:
        pool.shutdown(cancel_futures=True)


def _done(item: Any, result: "Future[bytes]") -> tuple[Any, Any]:
    # Written by the process this one forked, through the pool's own pipe (as its pickles are).
    return item, marshal.loads(result.result())  # noqa: S302
