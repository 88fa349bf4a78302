"""Merging the parts' reads on the client: the corpus's warnings and skips, and the parts to read again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import InputError
from ...types import Article
from ..decode import shown
from ..lines import decoding_warnings
from ..reader import checked_type, nothing_readable, unique_id
from ..walk import table_label
from .plan import Plan
from .read import PartRead

__all__ = ["Merged", "merge_reads"]


@dataclass
class Merged:
    """The whole corpus's warnings and skips, and the parts to read again (``read_part(part, options, **kwargs)``)."""

    warnings: list[str]
    skipped: int
    rerun: dict[int, dict[str, object]] = field(default_factory=dict)
    articles: int = 0  # articles in the corpus


@dataclass
class _FileState:
    """A split file, as the merge goes through its parts."""

    records: int = 0
    legacy: tuple[int, int] = (0, 0)
    replaced: tuple[int, int] = (0, 0)
    done: bool = False  # the rest of the file was read, or is gone: its later parts give nothing


def _added(total: tuple[int, int], more: tuple[int, int]) -> tuple[int, int]:
    """Decoding counts ``(lines, first line)`` of two pieces of a file, in file order."""
    return total[0] + more[0], total[1] if total[0] else more[1]


def merge_reads(plan: Plan, reads: Iterable[PartRead]) -> Merged:
    """The corpus's warnings and skips from every part's read (summaries will do), and the parts to rerun.

    Replays, over the parts' notes in corpus order, what the reader decides
    from the whole corpus: manifest rows, source-type warnings, duplicate
    ids, a split file's decoding warnings, the manifest rows with no article.
    Raises the first part's ``InputError`` in corpus order, and
    ``InputError`` when the corpus has no readable article, as the reader does.
    """
    by_index = {r.index: r for r in reads}
    if sorted(by_index) != list(range(len(plan.parts))):
        raise ValueError("merge_reads needs the read of every part of the plan")
    options = plan.options
    manifest = options.manifest.copy() if options.manifest is not None else None
    warnings = list(plan.warnings)
    skipped = count = 0
    seen: dict[str, int] = {}
    bad: set[str] = set()
    rerun: dict[int, dict[str, object]] = {}
    files: dict[int, _FileState] = {}  # by the index of the file's first part
    for part in plan.parts:
        read = by_index[part.index]
        state = files.setdefault(part.index - part.piece, _FileState()) if part.span is not None else None
        if state is not None and state.done:
            if read.notes:
                rerun[part.index] = {"empty": True}
            continue
        if read.error is not None:
            raise InputError(read.error)
        # Records without an id are numbered on from the records before the part, which its count only guessed.
        offset = state.records - part.span.record if state is not None and part.span is not None else 0
        label = table_label(part.path if part.in_folder else None, part.file) if part.file else ""
        folder = Path(part.path) if part.kind == "folder" else None
        mark = 0
        finals: list[str] = []
        lines: list[int] = []
        for note in read.notes:
            warnings.extend(read.warnings[mark:note.mark])  # read before this article
            mark = note.mark
            ident = note.id if note.record is None or not offset else f"{label}:{note.record + offset}"
            a = Article(id=ident, text="", source=note.source, source_type=note.source_type)
            if manifest is not None:
                relative = None
                if folder is not None:
                    if note.relative is not False:
                        relative = lambda key=note.relative: key
                    else:  # the part found its row without resolving the path; here it must
                        relative = lambda f=folder, i=ident: manifest.relative_key(f, i)
                row = manifest.take(ident, relative)
                a = manifest.apply(a, row, warnings)
                lines.append(row.line if row is not None else 0)
            a = checked_type(a, bad, warnings)
            a = unique_id(a, seen, warnings)
            finals.append(a.id)
        warnings.extend(read.warnings[mark:])
        skipped += read.skipped
        count += len(read.notes)
        if state is not None and read.found is not None:
            found = read.found
            state.records += found.records
            state.legacy = _added(state.legacy, found.legacy)
            state.replaced = _added(state.replaced, found.replaced)
            if found.failed or found.whole or part.piece == part.pieces - 1:
                # The reader writes these when the file's lines run out.
                warnings.extend(decoding_warnings(shown(str(Path(part.file))), state.legacy, state.replaced))
                state.done = True
        wrong_ids = any(f != n.final_id for f, n in zip(finals, read.notes))
        wrong_rows = any(line != n.row for line, n in zip(lines, read.notes))
        if wrong_ids or wrong_rows:
            kwargs: dict[str, object] = {"renames": {j: f for j, (f, n) in enumerate(zip(finals, read.notes)) if f != n.id}}
            if wrong_rows:
                kwargs["rows"] = tuple(lines)
            rerun[part.index] = kwargs
    if manifest is not None:
        manifest.finish(warnings)
    if not count:
        raise nothing_readable(options.paths, warnings, skipped)
    return Merged(warnings=warnings, skipped=skipped, rerun=rerun, articles=count)
