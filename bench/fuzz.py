"""Fuzz the corpus reader and the lexicon parser for a fixed time budget.

Usage::

    python bench/fuzz.py [--seconds 60] [--seed 0]

Mutates small valid inputs (flipped, inserted, deleted and duplicated bytes,
spliced fragments) and feeds each to ``read_corpus`` (as .txt, .csv, .jsonl
and a manifest) and to ``check_lexicon``/``load_lexicon`` (as .yaml, .dic,
.csv). Every outcome must be a result or a ``FramingError``; anything else is
printed with the input that caused it and the script exits 1.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

from framing import FramingError, check_lexicon, load_lexicon, read_corpus
from framing.corpus import MAX_ARTICLE_BYTES

SEEDS = {
    ".txt": "Officials said “talks” went on.\r\nA second line — café.\n".encode(),
    ".csv": b'id,text,outlet,source_type\n1,"Trade rose, he said",AP,wire\n2,"=cmd",X,unknown\n',
    ".jsonl": b'{"id": "a", "text": "War and peace", "source_type": "wire"}\n{"id": "b", "text": "x"}\n',
    ".yaml": b"name: t\ncategories:\n  a:\n    label: A\n    terms: [war, 'sanction*', {term: peace talks, weight: 2}]\n",
    ".dic": b"%\n1\tposemo\n2\tnegemo\n%\nhappy\t1\nsad*\t2\nkind of\t1 2\n",
    "lex.csv": b"category,term,weight\nwar,war,1\npeace,truce,0.5\n",
    "manifest": b"file,outlet,source_type\na.txt,RT,state_media\n../x.txt,AP,wire\n",
}
NASTY = [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"\n", b'"', b",", b"*", b"%", b"\t", b"{", b"[", b"&a", b"*a",
         b"\xe2\x80\xa8", b"\xc3", b"nan", b"-1", b"1e999", b"../", b"\\", b"'"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(5)
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op == 1:
            b[pos:pos] = rng.choice(NASTY)
        elif op == 2 and b:
            del b[pos : pos + rng.randint(1, 8)]
        elif op == 3 and b:
            chunk = b[pos : pos + rng.randint(1, 16)]
            b[pos:pos] = chunk * rng.randint(1, 4)
        else:
            other = rng.choice(list(SEEDS.values()))
            start = rng.randrange(len(other))
            b[pos:pos] = other[start : start + rng.randint(1, 20)]
    return bytes(b)


def one(kind: str, data: bytes, folder: Path, limit: int) -> None:
    if kind in (".txt", ".csv", ".jsonl"):
        path = folder / f"x{kind}"
        path.write_bytes(data)
        read_corpus([path], max_article_bytes=limit)
    elif kind == "manifest":
        (folder / "c").mkdir(exist_ok=True)
        (folder / "c" / "a.txt").write_text("some text")
        (folder / "c" / "manifest.csv").write_bytes(data)
        read_corpus([folder / "c"])
    else:
        path = folder / ("x.csv" if kind == "lex.csv" else f"x{kind}")
        path.write_bytes(data)
        check_lexicon(path)
        load_lexicon(path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    runs, refused, deadline = 0, 0, time.monotonic() + args.seconds
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        while time.monotonic() < deadline:
            kind = rng.choice(list(SEEDS))
            data = mutate(SEEDS[kind], rng)
            runs += 1
            try:
                # A small size limit now and then, to reach the over-long-line paths.
                one(kind, data, folder, rng.choice((MAX_ARTICLE_BYTES, 64, 8)))
            except FramingError:
                refused += 1
            except Exception:
                print(f"bug: {kind} input {data!r} raised:", file=sys.stderr)
                traceback.print_exc()
                return 1
    print(f"fuzz: {runs} inputs in {args.seconds:.0f} s, {refused} refused with a FramingError, 0 other exceptions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
