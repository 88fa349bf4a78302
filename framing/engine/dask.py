"""The Dask engine: pass 1 (tokenize, match, count) on the workers of a Dask cluster.

::

    this machine   read articles -> chunks of 500 ----submit----> workers: score_chunk
                   merge ChunkRows in input order <---result----
                   passes 2-4 (TF-IDF, similarities, classifier) here, as the local engine

Only pass 1 is distributed: each chunk is one task
``score_chunk(chunk, lex, masker)``, the pure function the local engine runs
in its process pool, so a chunk gives the same ``ChunkRows`` on either engine
and the merge (``framing.engine.local``) sees them in the same order: the
same bytes. The compiled lexicons and the masker are scattered to every
worker once (``broadcast=True``); a task names them by their futures, so no
task carries them. The corpus text is read here and streams through this
machine to the workers; at most ``in_flight`` chunks are out at a time.

Dask is imported only when this engine is used (``pip install "framing[dask]"``).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..analysis.chunk import ChunkRows, score_chunk
from ..analysis.mask import Masker
from ..analysis.match import CompiledLexicons
from ..errors import InputError
from ..types import Article

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["CONNECT_TIMEOUT", "DISTRIBUTED", "connect", "describe", "in_flight_for", "score_chunks_dask"]

CONNECT_TIMEOUT = 5  # seconds to reach a scheduler (and for it to have a worker) before giving up
RETRIES = 2  # re-runs of a task that raised; a task whose worker died is rescheduled by Dask anyway
DISTRIBUTED = ("pass 1: tokenize, match, count",)  # what runs on the workers; the rest runs here

_INSTALL = 'the dask engine needs Dask on this machine and on the workers: pip install "framing[dask]"'


def _distributed() -> Any:
    """The ``distributed`` module, or a one-line error saying how to install it."""
    try:
        import distributed
    except ImportError as exc:
        raise InputError(f"{_INSTALL} ({exc})") from None
    return distributed


def connect(scheduler: str | None, *, timeout: float = CONNECT_TIMEOUT) -> tuple[Client, Callable[[], None]]:
    """A Dask client and the function that closes it (and the cluster it started).

    ``scheduler``: an address (``tcp://host:8786``) connects to that
    scheduler, which must have at least one worker within ``timeout``
    seconds. ``None`` starts a ``LocalCluster`` on this machine, one
    single-threaded worker process per core, closed by the returned function.
    Unreachable or worker-less schedulers raise ``InputError``.
    """
    distributed = _distributed()
    if scheduler is None:
        cluster = distributed.LocalCluster(
            n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(cluster)

        def close_local() -> None:
            client.close()
            cluster.close()

        return client, close_local
    try:
        client = distributed.Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler} within {timeout:g} s ({exc})") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise InputError(f"the Dask scheduler at {scheduler} has no worker after {timeout:g} s ({exc})") from None
    return client, client.close


def in_flight_for(client: Client) -> int:
    """Chunks to keep out at a time: two per worker thread, so no thread waits for the next one."""
    return max(2, 2 * sum(client.nthreads().values()))


def describe(client: Client, scheduler: str | None) -> dict[str, object]:
    """The engine's entry of ``run.json``: where pass 1 ran, and that passes 2-4 ran here."""
    nthreads = client.nthreads()
    return {
        "name": "dask",
        "scheduler": scheduler if scheduler is not None else "a LocalCluster started for this run",
        "workers": len(nthreads),
        "threads": sum(nthreads.values()),
        "distributed": list(DISTRIBUTED),
    }


def score_chunks_dask(
    chunks: Iterable[list[Article]],
    lex: CompiledLexicons,
    masker: Masker | None,
    client: Client,
    *,
    in_flight: int,
    after_result: Callable[[int, Sequence[str]], None] | None = None,
) -> Iterator[ChunkRows]:
    """``score_chunk`` of every chunk on the Dask workers, yielded in input order.

    Like ``framing.engine.local.score_chunks``: at most ``in_flight`` tasks
    are pending, and this process holds no more chunks than those. A worker
    that dies takes its tasks with it; the scheduler reruns them elsewhere
    (up to its ``allowed-failures``), and the results are the same.
    ``after_result(n, pending_keys)`` is called after the ``n``-th result
    arrives (a hook for the tests, which kill a worker there).
    """
    if in_flight < 1:
        raise InputError(f"in_flight must be at least 1, got {in_flight}")
    distributed = _distributed()
    # Scattered once to every worker; tasks refer to the futures. (Passing the
    # objects to submit would pickle them into every task.)
    lex_f, masker_f = client.scatter([lex, masker], broadcast=True, hash=True)
    pending: deque[Any] = deque()
    received = 0

    def next_result() -> ChunkRows:
        nonlocal received
        future = pending.popleft()
        try:
            rows = future.result()
        except distributed.KilledWorker as exc:
            raise InputError(f"the Dask workers died while scoring a chunk, more often than the scheduler "
                             f"allows ({exc})") from None
        future.release()  # its result leaves the worker's memory
        received += 1
        if after_result is not None:
            after_result(received, [f.key for f in pending])
        return rows

    try:
        for chunk in chunks:
            # pure=False: no hashing of the chunk's text for a key; every chunk is its own task.
            pending.append(client.submit(score_chunk, chunk, lex_f, masker_f, pure=False, retries=RETRIES))
            del chunk
            if len(pending) >= in_flight:
                yield next_result()
        while pending:
            yield next_result()
    finally:
        for future in pending:  # an error or an abandoned iterator: cancel what is still out
            future.cancel()
        lex_f.release()
        masker_f.release()
