"""Progress on stderr: a tqdm bar on a terminal, a plain line every few seconds elsewhere.

The engine calls ``progress(stage, done, total)`` (``total`` is ``None``
while the number of articles is not known); ``--quiet`` gives a reporter
that prints nothing.
"""

from __future__ import annotations

import time
from typing import TextIO

__all__ = ["BAR_EVERY", "LINE_EVERY", "progress_for"]

LINE_EVERY = 5.0  # seconds between plain progress lines when stderr is not a terminal
BAR_EVERY = 0.2  # seconds between redraws of the bar
_LABELS = {
    "score": "reading and scoring",
    "tf-idf": "TF-IDF",
    "similarity": "similarities",
    "write": "writing report.csv",
    "matches": "writing matches.csv",
    "charts": "drawing charts",
    "html": "writing report.html",
}


class _Quiet:
    def __call__(self, stage: str, done: int, total: int | None) -> None:
        pass

    def pause(self) -> None:
        pass

    def close(self) -> None:
        pass


class _Lines(_Quiet):
    """One line per stage, then one every ``LINE_EVERY`` seconds, with articles/s."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.stage = ""
        self.started = self.last = 0.0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if stage != self.stage:
            self.stage, self.started, self.last = stage, now, now
            self.stream.write(f"{_LABELS.get(stage, stage)}...\n")
            self.stream.flush()
            return
        if now - self.last < LINE_EVERY:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-9)
        of = f"/{total:,}" if total is not None else ""
        eta = f", about {(total - done) / rate:,.0f} s left" if total is not None and rate > 0 else ""
        self.stream.write(f"{_LABELS.get(stage, stage)}: {done:,}{of} articles, {rate:,.0f} articles/s{eta}\n")
        self.stream.flush()


class _Bar(_Quiet):
    """A tqdm bar per stage (articles, articles/s, ETA when the total is known)."""

    def __init__(self, stream: TextIO) -> None:
        from tqdm import tqdm

        self._tqdm = tqdm
        self.stream = stream
        self.bar = None
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = self._tqdm(
                total=total, desc=_LABELS.get(stage, stage), unit=" articles", file=self.stream,
                dynamic_ncols=True, leave=False, mininterval=BAR_EVERY,
            )
        assert self.bar is not None
        if total is not None and self.bar.total != total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def pause(self) -> None:
        self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
            self.stage = ""


def progress_for(stream: TextIO, *, quiet: bool) -> _Quiet:
    """The progress reporter for ``stream``: nothing, a bar (terminal) or plain lines."""
    if quiet:
        return _Quiet()
    isatty = getattr(stream, "isatty", None)
    return _Bar(stream) if isatty is not None and isatty() else _Lines(stream)
