"""Stories on BASIL: does `framing analyze` group the same event's articles, and what do stories give?

Usage::

    python bench/stories.py [--noise 600] [--splits 10] [--draws 2000] [--seed 0] [--keep]

Reads the BASIL development split (../shared/data/basil: 80 events, each
told by Fox, the New York Times and HuffPost; the event of each article is
its ``triplet-uuid``) and, as unrelated articles, statemedia_2022
(../shared/data/statemedia_2022/*.jsonl: the 2022 Russia-Ukraine war). When
BASIL is missing the script says so and exits with status 0 (without
statemedia_2022, part 2 alone is skipped). Nothing is copied into the
project: the corpora are written at run time to a temporary folder under
bench/out/ (ignored by git) and removed at the end (``--keep`` keeps them).

An article's text is its ``body-paragraphs``: each sentence stripped
(empty ones dropped), the sentences of a paragraph joined with one space,
paragraphs with a blank line; the title is the ``title`` field, the date
``date``, the outlet ``source`` in lower case (four files spell it in upper
case), the source type ``unknown``. Ids are ``basil-<uuid>_<n>`` (and the
statemedia ids for the unrelated articles).

The runs are ``framing.analyze`` in this process (the built-in lexicons,
read once and passed in; the CLI reads the same ones each time), except
part 3 and one check of part 1, which run the real command line:
``python -m framing analyze CORPUS --manifest M --id-column id --out DIR
--no-charts --no-html --quiet [...]``. About 180 analyses in all: some
three to four minutes on two busy cores.

What it prints (a markdown-ready report):

1. **Story grouping, held out.** ARI = ``sklearn.metrics.adjusted_rand_score``
   of report.csv's ``story_id`` against the true event (1: the stories are
   exactly the events; 0: chance agreement). The 80 events are split 40/40
   by rank of sha1(triplet-uuid): even ranks tune, odd ranks are held out
   (ranks, not sha1 mod 2: the held-out quarter of the data set was taken
   by sha1 mod 4, which leaves the parities unbalanced). The tuning half is
   analysed alone at story thresholds 0.10, 0.12, ..., 0.34 (window 3
   days); the threshold of the highest ARI is "tuned" (ties, which are
   common: the middle of the tied thresholds, the lower of two middles,
   which leans neither towards nor away from the default). The held-out half is analysed alone at
   0.2 (through the CLI too, which must agree) and at the tuned threshold.
   Then ``--splits`` random 40/40 splits (seeded): tune on one half, ARI of
   the other half at its tuned threshold, and at 0.2; mean +- sd. Last, the
   ARI of all 80 events analysed together at 0.2, and at windows of 1 to 7
   days. Besides ARI: events found exactly (a story of all three of its
   articles and nothing else), articles left alone, and each event not
   found exactly with how its articles fell.
2. **Unrelated articles never pulled in.** ``--noise`` statemedia_2022
   articles (seeded sample) are mixed into the held-out half, (a) with
   their own 2022 dates, (b) each given a date drawn at random from the
   held-out BASIL articles' dates (the hard case: only the words separate
   them). Printed: ARI over the BASIL articles alone; "pulled in" = noise
   articles whose story holds a BASIL article (target 0); and noise articles
   in stories of two or more noise articles only (these may be real
   same-event war stories, not errors). Then BASIL against itself: every
   article of the held-out half (and of all 80 events) given one date, so
   that only the words keep apart events of the same domain (US politics);
   ARI and the events that share a story with another event, at 0.2, the
   tuned threshold and 0.3.
3. **Within-story comparison.** All 240 articles through the CLI with
   ``--group-by outlet`` (a manifest with the outlet column): within_story.csv's
   rows of the ``frames`` and ``news_frames`` lexicons (``--all-rows``:
   every lexicon), one line each: pair, category, plain difference (plain
   significant), within-story difference [95 % interval], agreement, and
   the clusters of its interval. Then counts over every row: significant in
   the plain comparison, within stories, and per agreement label; and the
   ARI of this run's stories (which must equal part 1's on all 80 events).
4. **"Only this article says" against BASIL's informational bias.** For
   each true event (the true triplets: this measures the sentence step, not
   the grouping) ``framing.stats.versions.only_sentences`` on its three texts.
   Each annotated span is placed in the BASIL sentence with
   ``sentence[start:end] == txt`` (the first, if several), hence at a
   character of the text, hence in one of framing's sentences. P(only) =
   share of sentences with a content word that have no counterpart at the
   cosine ``c``; P(only | inf) = share of informational-bias spans whose
   sentence is "only" (each span counted once, at its sentence); lift = the
   ratio (1: "only" sentences hold informational bias no more often than any
   sentence). Also "share of only sentences holding an inf span" against the
   share of all sentences holding one. At c = 0.05, 0.1 (the default), 0.15,
   0.2, 0.3; at 0.1 a 95 % bootstrap interval of the lift (events resampled,
   ``--draws`` draws, seeded), the same for lexical-bias spans as a
   contrast, and a length-matched chance lift (each span's sentence given
   the P(only) of the sentences of its own length fifth, by content words:
   longer sentences are both likelier to hold a span and likelier to find
   a counterpart), and the lift over that chance.
"""

from __future__ import annotations

import argparse
import csv
import glob
import hashlib
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import OUT, ROOT, loadavg, machine

DATA = ROOT.parent / "shared" / "data"
BASIL = DATA / "basil"
NOISE = DATA / "statemedia_2022"
DEFAULT = 0.2
WINDOW = 3
THRESHOLDS = [round(0.10 + 0.02 * k, 2) for k in range(13)]  # 0.10 .. 0.34
WINDOWS = (1, 2, 3, 4, 5, 7)
COUNTERPARTS = (0.05, 0.1, 0.15, 0.2, 0.3)
SHOWN_LEXICONS = ("frames", "news_frames")


# --- the articles -------------------------------------------------------------------


@dataclass
class Span:
    bias: str  # "inf" or "lex"
    at: int  # character offset of the span's start in the article's text


@dataclass
class Article:
    id: str
    event: str
    outlet: str
    title: str
    date: str
    text: str
    main_event: str = ""  # the annotators' one-line name of the event
    spans: list[Span] = field(default_factory=list)


def read_basil() -> tuple[list[Article], Counter]:
    """Every BASIL article with its text built as the docstring says, and its annotated spans placed in it."""
    articles, placed = [], Counter()
    for path in sorted((BASIL / "articles").glob("*/*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        pieces, offsets, pos = [], [], 0  # offsets: (sentence as given, where its stripped text starts)
        for paragraph in raw["body-paragraphs"]:
            kept = [s for s in paragraph if s.strip()]
            if not kept:
                continue
            if pieces:
                pieces.append("\n\n")
                pos += 2
            for i, s in enumerate(kept):
                if i:
                    pieces.append(" ")
                    pos += 1
                offsets.append((s, pos - (len(s) - len(s.lstrip()))))
                pieces.append(s.strip())
                pos += len(s.strip())
        text = "".join(pieces)
        a = Article(f"basil-{path.stem}", raw["triplet-uuid"], raw["source"].lower(), raw.get("title", ""),
                    raw["date"][:10], text, raw.get("main-event", ""))
        ann = BASIL / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        if ann.is_file():
            for sp in json.loads(ann.read_text(encoding="utf-8")).get("phrase-level-annotations", []):
                txt, start, end = sp["txt"], int(sp["start"]), int(sp["end"])
                where = [base for s, base in offsets if s[start:end] == txt]
                if not where or text[where[0] + start : where[0] + end] != txt:
                    placed["not found"] += 1
                    continue
                placed["found"] += 1
                placed["ambiguous"] += len(where) > 1
                a.spans.append(Span(sp["bias"], where[0] + start))
        articles.append(a)
    return articles, placed


def read_noise(n: int, seed: int) -> list[dict]:
    """``n`` statemedia_2022 records (seeded sample of all of them, in file and line order before sampling)."""
    records = []
    for path in sorted(glob.glob(str(NOISE / "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            records.extend(json.loads(line) for line in f if line.strip())
    return random.Random(seed).sample(records, min(n, len(records)))


def write_corpus(folder: Path, name: str, basil: list[Article], noise: list[dict] = ()) -> tuple[Path, Path]:
    """A JSONL corpus (id, text, title, date, outlet, source_type) and its manifest; returns both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"id": a.id, "text": a.text, "title": a.title, "date": a.date, "outlet": a.outlet,
             "source_type": "unknown"} for a in basil]
    rows += [{"id": r["id"], "text": r["text"], "title": r.get("title", ""), "date": r["date"],
              "outlet": r["outlet"].lower(), "source_type": "unknown"} for r in noise]
    corpus, manifest = folder / f"{name}.jsonl", folder / f"{name}-manifest.csv"
    with corpus.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with manifest.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "outlet", "source_type", "title", "date"])
        for r in rows:
            w.writerow([r["id"], r["outlet"], r["source_type"], r["title"], r["date"]])
    return corpus, manifest


# --- running framing -----------------------------------------------------------------


class Runner:
    """``framing.analyze`` in this process with the built-in lexicons read once; or the CLI."""

    def __init__(self, folder: Path) -> None:
        import framing
        from framing.lexicon.io import load_lexicons

        self.framing, self.lexicons, self.folder = framing, load_lexicons(None), folder
        self.runs, self.seconds = 0, 0.0

    def stories(self, corpus: Path, manifest: Path, threshold: float, window: int = WINDOW) -> dict[str, str]:
        """Article id -> story id, from the library."""
        t0 = time.perf_counter()
        r = self.framing.analyze(corpus, manifest=manifest, id_column="id", lexicons=self.lexicons, jobs=1,
                                 stories="auto", story_threshold=threshold, story_window=window)
        self.runs += 1
        self.seconds += time.perf_counter() - t0
        return dict(zip(r.scores["article_id"].astype(str), r.scores["story_id"].astype(str)))

    def cli(self, corpus: Path, manifest: Path, out: str, *extra: str) -> Path:
        """Run ``python -m framing analyze``; return its --out folder."""
        folder = self.folder / out
        cmd = [sys.executable, "-m", "framing", "analyze", str(corpus), "--manifest", str(manifest), "--id-column",
               "id", "--out", str(folder), "--no-charts", "--no-html", "--quiet", *extra]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT)
        self.runs += 1
        self.seconds += time.perf_counter() - t0
        return folder


def cli_stories(folder: Path) -> dict[str, str]:
    report = pd.read_csv(folder / "report.csv", usecols=["article_id", "story_id"], dtype=str)
    return dict(zip(report["article_id"], report["story_id"]))


# --- scoring a grouping ----------------------------------------------------------------


@dataclass
class Score:
    ari: float
    exact: int  # stories that are exactly one event's articles
    events: int
    alone: int  # articles in a story of one


def score(story_of: dict[str, str], articles: list[Article]) -> Score:
    from sklearn.metrics import adjusted_rand_score

    truth = [a.event for a in articles]
    found = [story_of[a.id] for a in articles]
    members: dict[str, set] = defaultdict(set)
    for a in articles:
        members[a.event].add(a.id)
    size = Counter(story_of.values())  # over the whole run (noise included)
    by_story: dict[str, set] = defaultdict(set)
    for aid, s in story_of.items():
        by_story[s].add(aid)
    exact = sum(1 for ids in members.values() if by_story[story_of[next(iter(ids))]] == ids)
    return Score(adjusted_rand_score(truth, found), exact, len(members), sum(1 for s in found if size[s] == 1))


def misses(story_of: dict[str, str], articles: list[Article]) -> list[str]:
    """Each event not found exactly: its name, and how its articles fell (outlets per story; + others: not its own)."""
    by_story: dict[str, set] = defaultdict(set)
    for aid, st in story_of.items():
        by_story[st].add(aid)
    events: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        events[a.event].append(a)
    out = []
    for event, arts in sorted(events.items(), key=lambda kv: kv[1][0].date):
        ids = {a.id for a in arts}
        if by_story[story_of[arts[0].id]] == ids:
            continue
        parts = defaultdict(list)
        for a in sorted(arts, key=lambda a: a.outlet):
            parts[story_of[a.id]].append(a.outlet)
        shown = []
        for st, outlets in parts.items():
            others = len(by_story[st] - ids)
            shown.append("+".join(outlets) + (f" with {others} other{'s' if others > 1 else ''}" if others else ""))
        out.append(f"{arts[0].main_event or event} ({arts[0].date}): {' | '.join(shown)}")
    return out


def print_misses(story_of: dict[str, str], articles: list[Article], what: str) -> None:
    found = misses(story_of, articles)
    if found:
        print(f"Events not found exactly ({what}):\n")
        for line in found:
            print(f"* {line}")
        print()


def tune(runner: Runner, folder: Path, name: str, arts: list[Article]) -> tuple[dict[float, Score], float]:
    """ARI per threshold on these articles alone, and the tuned threshold: the best ARI's (ties: the middle one).

    Ties are common (a run of thresholds that all find every event); their
    middle (the lower of two middles) is neutral about the default, which a
    tie-break towards 0.2 would not be.
    """
    corpus, manifest = write_corpus(folder, name, arts)
    scores = {t: score(runner.stories(corpus, manifest, t), arts) for t in THRESHOLDS}
    top = max(round(s.ari, 12) for s in scores.values())
    tied = [t for t in THRESHOLDS if round(scores[t].ari, 12) == top]
    return scores, tied[(len(tied) - 1) // 2]


def events_of(arts: list[Article]) -> list[str]:
    return sorted({a.event for a in arts})


def halves_by_hash(arts: list[Article]) -> tuple[list[str], list[str]]:
    ranked = sorted(events_of(arts), key=lambda e: hashlib.sha1(e.encode()).hexdigest())
    return ranked[0::2], ranked[1::2]


def only(arts: list[Article], events: list[str]) -> list[Article]:
    keep = set(events)
    return [a for a in arts if a.event in keep]


# --- part 1 ---------------------------------------------------------------------------


def part1(runner: Runner, folder: Path, arts: list[Article], splits: int, seed: int) -> dict:
    print("## 1. Story grouping, held out\n")
    tuning, held = halves_by_hash(arts)
    scores, best = tune(runner, folder, "tuning", only(arts, tuning))
    print(f"Tuning half: {len(tuning)} events ({len(only(arts, tuning))} articles), analysed alone, window "
          f"{WINDOW} days.\n")
    print("| threshold | ARI | events found exactly | articles alone |")
    print("|---:|---:|---:|---:|")
    for t in THRESHOLDS:
        s = scores[t]
        mark = " (tuned)" if t == best else (" (default)" if t == DEFAULT else "")
        print(f"| {t:.2f}{mark} | {s.ari:.3f} | {s.exact}/{s.events} | {s.alone} |")
    tied = [t for t in THRESHOLDS if round(scores[t].ari, 12) == round(scores[best].ari, 12)]
    print(f"\nThe tuning half's best ARI ({scores[best].ari:.3f}) is reached at "
          f"{', '.join(f'{t:.2f}' for t in tied)}; it picks {best:.2f} (the middle); the shipped default is "
          f"{DEFAULT}.\n")

    held_arts = only(arts, held)
    corpus, manifest = write_corpus(folder, "heldout", held_arts)
    held_story = runner.stories(corpus, manifest, DEFAULT)
    at_default = score(held_story, held_arts)
    via_cli = score(cli_stories(runner.cli(corpus, manifest, "heldout-cli")), held_arts)
    rows = [("default", DEFAULT, at_default)]
    if best != DEFAULT:
        rows.append(("tuned", best, score(runner.stories(corpus, manifest, best), held_arts)))
    print(f"Held-out half: {len(held)} events ({len(held_arts)} articles), analysed alone.\n")
    print("| threshold | ARI | events found exactly | articles alone |")
    print("|---|---:|---:|---:|")
    for label, t, s in rows:
        print(f"| {t:.2f} ({label}) | {s.ari:.3f} | {s.exact}/{s.events} | {s.alone} |")
    print(f"\n(The CLI at {DEFAULT}: ARI {via_cli.ari:.3f}, "
          f"{'the same' if abs(via_cli.ari - at_default.ari) < 1e-12 else 'DIFFERENT from the library'}.)\n")
    print_misses(held_story, held_arts, f"held-out half at {DEFAULT}")

    rng = random.Random(seed)
    ev = events_of(arts)
    tuned_ari, default_ari, picks = [], [], []
    for k in range(splits):
        a = sorted(rng.sample(ev, len(ev) // 2))
        b = [e for e in ev if e not in set(a)]
        _, t = tune(runner, folder, f"split{k}-tune", only(arts, a))
        other = only(arts, b)
        c, m = write_corpus(folder, f"split{k}-test", other)
        tuned_ari.append(score(runner.stories(c, m, t), other).ari)
        default_ari.append(tuned_ari[-1] if t == DEFAULT else score(runner.stories(c, m, DEFAULT), other).ari)
        picks.append(t)
    print(f"{splits} random 40/40 splits (seed {seed}): tune on one half, ARI on the other.\n")
    print("| threshold on the other half | ARI mean +- sd | min - max |")
    print("|---|---:|---:|")
    for label, xs in (("tuned on the first half", tuned_ari), (f"default {DEFAULT}", default_ari)):
        print(f"| {label} | {statistics.mean(xs):.3f} +- {statistics.stdev(xs):.3f} | {min(xs):.3f} - {max(xs):.3f} |")
    print(f"\nThresholds picked: {', '.join(f'{t:.2f}' for t in picks)}.\n")

    corpus, manifest = write_corpus(folder, "all", arts)
    all_story = runner.stories(corpus, manifest, DEFAULT)
    everything = score(all_story, arts)
    print(f"All {everything.events} events ({len(arts)} articles) at {DEFAULT}: ARI {everything.ari:.3f}, "
          f"{everything.exact}/{everything.events} events found exactly, {everything.alone} articles alone.\n")
    print_misses(all_story, arts, f"all 80 events at {DEFAULT}")
    spread = Counter()
    for e in events_of(arts):
        days = sorted(date.fromisoformat(a.date) for a in arts if a.event == e)
        spread[(days[-1] - days[0]).days] += 1
    print("Days between an event's first and last article: "
          + ", ".join(f"{d} days: {n} events" for d, n in sorted(spread.items())) + ".\n")
    print(f"The window, all 80 events at {DEFAULT}:\n")
    print("| window (days) | ARI | events found exactly | articles alone |")
    print("|---:|---:|---:|---:|")
    for w in WINDOWS:
        s = everything if w == WINDOW else score(runner.stories(corpus, manifest, DEFAULT, w), arts)
        print(f"| {w}{' (default)' if w == WINDOW else ''} | {s.ari:.3f} | {s.exact}/{s.events} | {s.alone} |")
    print()
    return {"held": held, "best": best, "all_ari": everything.ari}


# --- part 2 ---------------------------------------------------------------------------


def part2(runner: Runner, folder: Path, arts: list[Article], held: list[str], n_noise: int, seed: int,
          best: float) -> None:
    print("## 2. Unrelated articles never pulled in\n")
    if not glob.glob(str(NOISE / "*.jsonl")):
        print(f"{NOISE} is not here: the unrelated articles are skipped.\n")
        one_day(runner, folder, arts, held, best)
        return
    held_arts = only(arts, held)
    noise = read_noise(n_noise, seed)
    outlets = Counter(r["outlet"] for r in noise)
    rng = random.Random(seed + 1)
    dates = [a.date for a in held_arts]
    hard = [{**r, "date": rng.choice(dates)} for r in noise]
    print(f"{len(noise)} statemedia_2022 articles (seed {seed}: "
          f"{', '.join(f'{o} {c}' for o, c in outlets.most_common())}) mixed into the held-out half "
          f"({len(held_arts)} BASIL articles).\n")
    print("| noise dates | threshold | BASIL ARI | noise pulled in (BASIL stories touched) | "
          "noise in noise-only stories of 2+ (stories) |")
    print("|---|---:|---:|---:|---:|")
    basil_ids = {a.id for a in held_arts}
    missed = []
    for label, recs in (("own (2022)", noise), ("BASIL's (hard)", hard)):
        corpus, manifest = write_corpus(folder, f"noise-{label[:3]}", held_arts, recs)
        for t in sorted({DEFAULT, best}):
            story_of = runner.stories(corpus, manifest, t)
            s = score(story_of, held_arts)
            members: dict[str, list[str]] = defaultdict(list)
            for aid, st in story_of.items():
                members[st].append(aid)
            mixed = [m for m in members.values() if any(x in basil_ids for x in m) and
                     any(x not in basil_ids for x in m)]
            pulled = sum(sum(x not in basil_ids for x in m) for m in mixed)
            own = [m for m in members.values() if len(m) >= 2 and not any(x in basil_ids for x in m)]
            print(f"| {label} | {t:.2f} | {s.ari:.3f} | {pulled} ({len(mixed)}) | {sum(map(len, own))} "
                  f"({len(own)}) |")
            missed.append((story_of, f"noise dated {label}, {t:.2f}"))
    print()
    for story_of, what in missed:
        print_misses(story_of, held_arts, what)
    one_day(runner, folder, arts, held, best)


def one_day(runner: Runner, folder: Path, arts: list[Article], held: list[str], best: float) -> None:
    """BASIL's own events, every article dated the same day: only the words keep 40 (80) US-politics events apart."""
    print("BASIL's events against each other, every article given the same date (the window then separates "
          "nothing: unrelated events of the same domain, by words alone):\n")
    print("| articles | threshold | ARI | events found exactly | events sharing a story with another event |")
    print("|---|---:|---:|---:|---:|")
    for label, subset in (("held-out half (40 events)", only(arts, held)), ("all 80 events", arts)):
        same_day = [Article(a.id, a.event, a.outlet, a.title, "2015-06-15", a.text, a.main_event) for a in subset]
        corpus, manifest = write_corpus(folder, f"one-day-{len(subset)}", same_day)
        for t in sorted({DEFAULT, best, 0.3}):
            story_of = runner.stories(corpus, manifest, t)
            s = score(story_of, subset)
            events_in: dict[str, set] = defaultdict(set)
            for a in subset:
                events_in[story_of[a.id]].add(a.event)
            merged = {e for evs in events_in.values() if len(evs) > 1 for e in evs}
            print(f"| {label} | {t:.2f} | {s.ari:.3f} | {s.exact}/{s.events} | {len(merged)} |")
    print()


# --- part 3 ---------------------------------------------------------------------------


def part3(runner: Runner, folder: Path, arts: list[Article], all_rows: bool, all_ari: float) -> None:
    print("## 3. Within-story comparison by outlet (all 240 articles, CLI, `--group-by outlet`)\n")
    corpus, manifest = write_corpus(folder, "all-outlets", arts)
    out = runner.cli(corpus, manifest, "within", "--group-by", "outlet")
    w = pd.read_csv(out / "within_story.csv", keep_default_na=False, na_values=[""])
    s = score(cli_stories(out), arts)
    stories = pd.read_csv(out / "stories.csv")
    same = "" if np.isnan(all_ari) else (", the same as part 1's on all events" if abs(s.ari - all_ari) < 1e-12
                                          else f", NOT part 1's {all_ari:.3f} on all events")
    print(f"Stories of this run: ARI {s.ari:.3f}{same}, {s.exact}/{s.events} events found exactly, "
          f"{len(stories)} stories of 2+ articles, {int((stories['n_outlets'] == 3).sum())} with all three outlets.\n")
    if not len(w):
        print("within_story.csv has no rows.\n")
        return
    pairs = w.drop_duplicates(["group_a", "group_b"])
    for r in pairs.itertuples():
        print(f"* {r.group_a} - {r.group_b}: {r.n_stories} shared stories, {r.n_articles_a} + {r.n_articles_b} "
              f"articles, clusters: {r.n_clusters} {r.clusters}; caution: {r.caution or '(none)'}")
    shown = w if all_rows else w[w["lexicon"].isin(SHOWN_LEXICONS)]
    print(f"\nRows of {'every lexicon' if all_rows else ' and '.join(SHOWN_LEXICONS)} ({len(shown)} of {len(w)}); "
          "rates per 1,000 tokens, a minus b:\n")
    print("| pair | category | plain (sig.) | within stories [95 % CI] | p adj. | agreement |")
    print("|---|---|---:|---:|---:|---|")
    for r in shown.itertuples():
        ci = f"[{r.ci_low:+.2f}, {r.ci_high:+.2f}]" if pd.notna(r.ci_low) else "[no test]"
        pa = f"{r.p_adjusted:.3f}" if pd.notna(r.p_adjusted) else ""
        print(f"| {r.group_a}-{r.group_b} | {r.lexicon}.{r.category} | {r.plain_difference:+.2f} "
              f"({r.plain_significant}) | {r.difference:+.2f} {ci} | {pa} | {r.agreement} |")
    print()
    for label, rows in (("every row", w), (" and ".join(SHOWN_LEXICONS), w[w["lexicon"].isin(SHOWN_LEXICONS)])):
        agree = Counter(x if isinstance(x, str) and x else "(none)" for x in rows["agreement"])
        print(f"Over {label} ({len(rows)}): significant plainly {int((rows['plain_significant'] == 'yes').sum())}, "
              f"within stories {int((rows['significant'] == 'yes').sum())}; agreement: "
              + ", ".join(f"{k} {v}" for k, v in agree.most_common()) + ".")
    print("\n(agreement \"(none)\": categories nothing in BASIL matches, untested either way.)\n")
    sig = w[(w["significant"] == "yes") | (w["plain_significant"] == "yes")]
    if len(sig):
        print("Rows significant either way (any lexicon):\n")
        print("| pair | category | plain (sig.) | within stories [95 % CI] | p adj. | agreement |")
        print("|---|---|---:|---:|---:|---|")
        for r in sig.itertuples():
            print(f"| {r.group_a}-{r.group_b} | {r.lexicon}.{r.category} | {r.plain_difference:+.2f} "
                  f"({r.plain_significant}) | {r.difference:+.2f} [{r.ci_low:+.2f}, {r.ci_high:+.2f}] | "
                  f"{r.p_adjusted:.3f} | {r.agreement} |")
        print()


# --- part 4 ---------------------------------------------------------------------------


def part4(arts: list[Article], draws: int, seed: int) -> None:
    from framing.analysis.features import is_content_word
    from framing.stats.versions import COUNTERPART, only_sentences
    from framing.tokenize import split_words

    print("## 4. \"Only this article says\" against BASIL's informational bias (true events)\n")
    by_event: dict[str, list[Article]] = defaultdict(list)
    for a in arts:
        by_event[a.event].append(a)
    unplaced = Counter()
    sentence_rows = []  # per sentence with a content word: event, content words, best cosine, inf and lex spans
    for e, (event, versions) in enumerate(sorted(by_event.items())):
        versions.sort(key=lambda a: a.id)
        result = only_sentences([a.text for a in versions])
        for a, sents in zip(versions, result):
            holds = {"inf": Counter(), "lex": Counter()}
            for sp in a.spans:
                k = int(np.searchsorted(sents.starts, sp.at, side="right")) - 1
                if k < 0 or not sents.has_words[k]:
                    unplaced[sp.bias] += 1
                    continue
                holds[sp.bias][k] += 1
            for k in range(len(sents.starts)):
                if not sents.has_words[k]:
                    continue
                words = sum(1 for w in split_words(a.text[sents.starts[k]:sents.ends[k]]) if is_content_word(w))
                sentence_rows.append((e, words, float(sents.best[k]), holds["inf"][k], holds["lex"][k]))
    rows = np.asarray(sentence_rows, dtype=np.float64)
    ev, words, best, n_inf, n_lex = rows.T
    fifth = np.searchsorted(np.quantile(words, [0.2, 0.4, 0.6, 0.8]), words, side="right")
    n_events = len(by_event)
    print(f"{n_events} events, {len(rows):,} sentences with a content word; spans placed: "
          f"{int(n_inf.sum())} informational, {int(n_lex.sum())} lexical (not placed in a sentence with a content "
          f"word: {unplaced['inf']} inf, {unplaced['lex']} lex; not found in any BASIL sentence: see the note).\n")

    everything = np.arange(len(rows))
    print("| counterpart c | P(only) | P(only \\| inf span) | lift inf | P(only \\| lex span) | lift lex | "
          "only sentences holding inf (all sentences) | length-matched chance lift inf |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for c in COUNTERPARTS:
        s = figures(everything, best, n_inf, n_lex, fifth, c)
        mark = " (default)" if c == COUNTERPART else ""
        print(f"| {c:.2f}{mark} | {s['p_only']:.3f} | {s['p_only_inf']:.3f} | {s['lift_inf']:.2f} | "
              f"{s['p_only_lex']:.3f} | {s['lift_lex']:.2f} | {s['prec_inf']:.3f} ({s['base_inf']:.3f}) | "
              f"{s['chance_inf']:.2f} |")

    rng = np.random.default_rng(seed)
    index = [np.flatnonzero(ev == e) for e in range(n_events)]
    boot: dict[str, list[float]] = {k: [] for k in ("lift_inf", "lift_lex", "chance_inf", "adjusted_inf",
                                                     "adjusted_lex", "p_only_inf")}
    for _ in range(draws):
        drawn = rng.integers(0, n_events, n_events)
        pick = np.concatenate([index[e] for e in drawn])  # an event drawn twice counts twice
        s = figures(pick, best, n_inf, n_lex, fifth, COUNTERPART)
        for k, values in boot.items():
            values.append(s[k])
    s = figures(everything, best, n_inf, n_lex, fifth, COUNTERPART)
    print(f"\nAt c = {COUNTERPART} (default), 95 % bootstrap intervals ({draws:,} resamples of the {n_events} events, "
          f"seed {seed}):\n")
    for k, label in (("lift_inf", "lift, informational spans"), ("lift_lex", "lift, lexical spans (contrast)"),
                     ("chance_inf", "length-matched chance lift, informational"),
                     ("adjusted_inf", "lift over the length-matched chance, informational"),
                     ("adjusted_lex", "lift over the length-matched chance, lexical"),
                     ("p_only_inf", "P(only | inf span) (recall of inf spans)")):
        lo, hi = np.percentile(boot[k], [2.5, 97.5])
        print(f"* {label}: {s[k]:.2f} [{lo:.2f}, {hi:.2f}]")
    print()


def figures(pick: np.ndarray, best: np.ndarray, n_inf: np.ndarray, n_lex: np.ndarray, fifth: np.ndarray,
            c: float) -> dict[str, float]:
    """Part 4's shares on the sentences ``pick`` (indices; repeats allowed) at the counterpart cosine ``c``.

    ``best``: each sentence's best cosine with another version; ``n_inf``,
    ``n_lex``: the spans it holds; ``fifth``: its length fifth (0-4).
    """
    is_only = best[pick] < c
    p_only = is_only.mean()
    f = fifth[pick]
    p_fifth = np.asarray([is_only[f == q].mean() if (f == q).any() else 0.0 for q in range(5)])
    out = {"p_only": p_only}
    for name, n in (("inf", n_inf[pick]), ("lex", n_lex[pick])):
        out[f"p_only_{name}"] = (n * is_only).sum() / n.sum()  # each span once, at its sentence
        out[f"lift_{name}"] = out[f"p_only_{name}"] / p_only
        out[f"prec_{name}"] = ((n > 0) & is_only).sum() / max(int(is_only.sum()), 1)  # only sentences holding one
        out[f"base_{name}"] = (n > 0).mean()  # all sentences holding one
        out[f"chance_{name}"] = (n * p_fifth[f]).sum() / n.sum() / p_only  # lift if "only" went by length alone
        out[f"adjusted_{name}"] = out[f"lift_{name}"] / out[f"chance_{name}"]
    return out


# --- main ---------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--noise", type=int, default=600, help="statemedia_2022 articles mixed in (default 600)")
    ap.add_argument("--splits", type=int, default=10, help="random 40/40 splits (default 10)")
    ap.add_argument("--draws", type=int, default=2000, help="bootstrap resamples of the events (default 2000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--all-rows", action="store_true", help="part 3: print every lexicon's rows")
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpora and outputs under bench/out/")
    ap.add_argument("--only", default="1,2,3,4", help="comma-separated parts to run (default all)")
    args = ap.parse_args()
    if not (BASIL / "articles").is_dir():
        print(f"bench/stories.py: BASIL is not here ({BASIL}); this benchmark needs ../shared/data/basil next to "
              "the project. Nothing measured.")
        return 0
    parts = set(args.only.split(","))
    t0 = time.perf_counter()
    from framing.defaults import STORY_THRESHOLD, STORY_WINDOW
    from framing.stats.stories import STORY_TERMS
    from framing.stats.versions import COUNTERPART

    print(f"# Stories on BASIL\n\n{machine()}; load {loadavg()}\n")
    print(f"framing's settings: {STORY_TERMS} terms per story vector, default threshold {STORY_THRESHOLD}, "
          f"window {STORY_WINDOW} days, counterpart cosine {COUNTERPART}.\n")
    arts, placed = read_basil()
    print(f"BASIL development split: {len(arts)} articles, {len(events_of(arts))} events, outlets "
          f"{dict(sorted(Counter(a.outlet for a in arts).items()))}; annotated spans found in a sentence "
          f"{placed['found']} (ambiguous {placed['ambiguous']}: the first taken), not found {placed['not found']}.\n")
    OUT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="stories-", dir=OUT))
    runner = Runner(folder)
    try:
        found = {"held": halves_by_hash(arts)[1], "best": DEFAULT, "all_ari": float("nan")}
        if "1" in parts:
            found = part1(runner, folder, arts, args.splits, args.seed)
        if "2" in parts:
            part2(runner, folder, arts, found["held"], args.noise, args.seed, found["best"])
        if "3" in parts:
            part3(runner, folder, arts, args.all_rows, found["all_ari"])
        if "4" in parts:
            part4(arts, args.draws, args.seed)
    finally:
        if args.keep:
            print(f"(corpora and outputs kept in {folder})")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{runner.runs} analyses, {runner.seconds:.0f} s of them; {time.perf_counter() - t0:.0f} s in all.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
