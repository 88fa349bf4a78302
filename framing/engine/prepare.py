"""What every run of the engine starts with: its options checked, the lexicons compiled, a stage clock."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..analysis.match import CompiledLexicons, compile_lexicons
from ..errors import InputError
from ..lexicon.model import Lexicon
from ..stats.classify import Trained
from ..types import Progress

__all__ = ["Clock", "prepare"]



@dataclass
class Clock:
    """The run's stage timings (seconds, for run.json) and its progress callback."""

    progress: Progress | None = None
    timings: dict[str, float] = field(default_factory=dict)
    _last: float = field(default_factory=time.perf_counter)
    at_lap: Callable[[], None] | None = None  # run at the end of each stage (a runner's memory clean-up)

    def lap(self, stage: str) -> None:
        """Add the seconds since the last lap to ``stage``."""
        if self.at_lap is not None:
            self.at_lap()
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._last
        self._last = now

    def tell(self, stage: str, done: int, total: int | None) -> None:
        """Report progress, if anyone listens."""
        if self.progress is not None:
            self.progress(stage, done, total)


def prepare(
    lexicons: Sequence[Lexicon], chunk_articles: int, model: Trained | None, progress: Progress | None,
    counting: str = "framing",
) -> tuple[CompiledLexicons, Clock]:
    """Check the run's options, compile the lexicons and start the clock.

    ``counting``: how matches count (``framing.analysis.match.COUNTING_MODES``).
    Raises ``InputError`` for no lexicons, an unknown counting, two lexicons of one name, chunks
    of fewer than one article, or a saved model trained on other lexicon
    categories than these.
    """
    if not lexicons:
        raise InputError("lexicons: none given", argument="lexicons")
    names = [lx.name for lx in lexicons]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError(f"two lexicons are both named {dup[0]!r}; give one a different 'name'")
    if chunk_articles < 1:
        raise InputError(f"chunk_articles must be at least 1, got {chunk_articles}", argument="chunk_articles")
    clock = Clock(progress)
    lex = compile_lexicons(lexicons, counting=counting)
    if model is not None and list(model.rate_names) != lex.columns:
        raise InputError(
            f"the model was trained with other lexicons ({len(model.rate_names)} categories, e.g. "
            f"{', '.join(model.rate_names[:3])}); give the same lexicons as when it was trained"
        )
    return lex, clock
