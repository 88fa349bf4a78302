"""answer_key.html, for the teacher: per letter, the outlet, what was hidden, the tool's evidence, the classifier's view.

The key names the outlets; it opens with what these figures cannot support,
so that the tool's guess is read as a discussion point, not as an answer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from ...english import plural
from ...result import AnalysisResult
from ...types import Article, type_label
from ..html.escape import html_attr, html_text, safe_url
from ..html.why import undetermined_reason
from ..validity import Validity, validity_by_column
from .evidence import FRAME, TASKS, Frame, Referent, Words, referents, task_categories, top_frames
from .mask import Hide, hidden_passages
from .pages import page
from .select import Choice

__all__ = ["MAX_HIDDEN", "MAX_WORDS", "TOP_OTHER", "key_page"]

MAX_WORDS = 12  # matched words listed per category in the key; the rest are counted
TOP_OTHER = 5  # further categories listed per article in the key
MAX_HIDDEN = 12  # hidden passages quoted per article in the key

Counted = Mapping[str, Mapping[tuple[str, str], Words]]  # article id -> (lexicon, category) -> its words


def key_page(
    result: AnalysisResult,
    choice: Choice,
    hide: Hide,
    present: Sequence[Referent],
    counted: Counted,
    marked: Sequence[Frame] = (),
) -> bytes:
    """The teacher's page for the worksheet of ``choice``.

    ``hide``: what the worksheet hid (the key lists it per article);
    ``present``: the contested things the shown articles name; ``counted``:
    the counted matches of the shown articles; ``marked``: the frames of the
    task "Frames" (none: the key says no category was marked).
    """
    rows = _score_rows(result)
    trained = result.evaluation_summary.get("trained", True) is not False
    body = ["<header>\n<h1>Answer key (for the teacher)</h1>\n", '<div class="key">\n',
            ("<p><strong>Keep this page from students: it names the outlets.</strong> "
            "It goes with the worksheet of the same seed.</p>\n")]
    body += _lineup(choice, rows)
    body += _caveats(result, trained, bool(marked))
    body.append("</ul>\n</div>\n</header>\n")
    tasks = task_categories(result)
    # Categories the tasks already show are not repeated under "Also counted".
    shown_keys = {key for keys in tasks.values() for key, _ in keys}
    shown_keys |= {key for r in referents(result) for key, _ in r.options}
    validity = validity_by_column(result.lexicons)
    for letter, a in choice.lettered:
        row = rows.get(a.id, {})
        found = counted.get(a.id, {})
        top = top_frames(row, marked)
        body.append(f'<section class="article" id="{letter}">\n<h2>Article {letter}</h2>\n<dl class="meta">\n')
        body += [f"<dt>{k}</dt><dd>{v}</dd>\n" for k, v in _facts(a, row, hide)]
        body.append("</dl>\n")
        # The frames of the frame table are not repeated under "Also counted"; the article's other frames may be.
        body += _evidence_table(found, tasks, present, shown_keys | {f.key for f, _ in top})
        body += _frames_table(top, found, validity, bool(marked), bool(row))
        body += _classifier_view(result, row, trained)
        body.append("</section>\n")
    body.append(f"<footer>Answer key made with framing (seed {choice.seed}).</footer>\n")
    return page("Answer key (for the teacher)", body)


def _score_rows(result: AnalysisResult) -> dict[str, Mapping[str, object]]:
    """Each article's row of ``scores``, by id."""
    scores = result.scores
    if not len(scores):
        return {}
    return {str(r["article_id"]): r for r in scores.to_dict("records")}


def _lineup(choice: Choice, rows: Mapping[str, Mapping[str, object]]) -> list[str]:
    """Which articles the worksheet shows, and the table of letters, outlets, types and guesses."""
    n, seed = len(choice.articles), choice.seed
    if n < choice.n_candidates:
        body = [(f"<p>The worksheet shows {n:,} of the {choice.n_candidates:,} articles with text in the corpus: "
                 f"the first {n:,} of the shuffle with seed {seed}. Another seed draws others.</p>\n")]
    else:
        body = [(f"<p>The worksheet shows all {plural(n, 'article')} with text in the corpus, "
                 f"in the order of the shuffle with seed {seed}.</p>\n")]
    if choice.n_blank:
        body.append(f"<p>{plural(choice.n_blank, 'article')} without text {'was' if choice.n_blank == 1 else 'were'} "
                    f"left out.</p>\n")
    body.append('<table><thead><tr><th>Letter</th><th>Outlet</th><th>Source type</th><th>The tool’s guess</th>'
                "<th>Article id</th></tr></thead>\n<tbody>\n")
    for letter, a in choice.lettered:
        row = rows.get(a.id, {})
        body.append(f"<tr><td>{letter}</td><td>{html_text(a.outlet) or '—'}</td><td>{html_text(type_label(a.source_type))}"
                    f"</td><td>{html_text(type_label(row.get('predicted_source_type', '')) or '—')}</td>"
                    f"<td>{html_text(a.id)}</td></tr>\n")
    body.append("</tbody></table>\n")
    return body


def _caveats(result: AnalysisResult, trained: bool, frames: bool) -> list[str]:
    """"What these figures cannot support": the guess, the lexicons, the masking, the classifier's notes."""
    body = ['<h2 id="caveats">What these figures cannot support</h2>\n']
    if not trained:
        body.append(
            "<p class=\"caution\"><strong>The tool’s guess is a similarity guess.</strong> The classifier "
            "was not trained on this corpus (too few labelled articles), so the guess is the source type "
            "whose articles this one most resembles, in its words and in how often it uses the style words, "
            "among the few articles here. Treat it as a discussion point, not as an answer.</p>\n")
    body.append("<ul>\n")
    if trained:
        body.append(
            "<li>The tool’s guess comes from a classifier trained on this corpus’s labelled articles. For a "
            "labelled article it is the guess of a model that never saw that article; it is still a "
            "resemblance to the articles of a type, not proof of who wrote it.</li>\n")
    body.append(
        "<li>Lexicons count words, not meaning: a word counts whether the article endorses, quotes or "
        "rejects it (“in quotes” says how many of its matches stand inside quoted speech). Students "
        "will find attributions and loaded words the lists do not hold; that is a good discussion too.</li>\n"
        "<li>Masking hides the names in framing’s list of agencies and state media and these articles’ "
        "own outlet names, datelines, credits, captions and links. A name the lists do not hold (a "
        "reporter, a sister outlet, a slogan) stays: read the worksheet before handing it out.</li>\n")
    if frames:
        body.append(
            "<li>Frames: the tool’s reading is a starting point for discussion, not the answer. A frame is a "
            "reader’s judgement of what a story is about; the tool only counts each frame’s vocabulary. A "
            "story can talk in a frame’s words without taking its angle (a price mentioned in passing counts "
            "for “Economic”), and take an angle in words the list does not hold. Where students and the tool "
            "disagree, ask both sides for the words.</li>\n")
    # Only the classifier's notes concern the key; the others are about tables the worksheet does not use.
    body += [f"<li>The classifier: {html_text(line)}</li>\n" for line in result.notes.get("evaluation.csv", [])]
    return body


def _facts(a: Article, row: Mapping[str, object], hide: Hide) -> list[tuple[str, str]]:
    """(term, HTML) of the article's description list, ending with what the worksheet hid."""
    meta = [("Outlet", html_text(a.outlet) or "—"), ("Source type", html_text(type_label(a.source_type))),
            ("Article id", html_text(a.id)), ("Title", html_text(a.title) or "—")]
    if a.url:
        safe = safe_url(a.url)
        meta.append(("URL", f'<a href="{html_attr(safe)}" rel="noopener noreferrer nofollow">{html_text(safe)}</a>'
                     if safe is not None else html_text(a.url)))
    if a.date:
        meta.append(("Date", html_text(a.date)))
    if row.get("n_tokens") is not None:
        meta.append(("Words", html_text(f"{int(row['n_tokens']):,}")))
    hidden = hidden_passages(a, hide)
    if hidden:
        shown = ", ".join(f"“{html_text(t)}”" + (f" ×{c}" if c > 1 else "") for t, c in hidden[:MAX_HIDDEN])
        more = len(hidden) - MAX_HIDDEN
        shown += f" and {plural(more, 'more')}" if more > 0 else ""
    else:
        shown = '<span class="muted">nothing</span>'
    meta.append(("Hidden in the worksheet", shown))
    return meta


def _evidence_table(
    found: Mapping[tuple[str, str], Words],
    tasks: Mapping[str, Sequence[tuple[tuple[str, str], str]]],
    present: Sequence[Referent],
    shown_keys: set[tuple[str, str]],
) -> list[str]:
    """The tool's evidence for each task in one article, then the categories with the most other matches."""
    body = [("<h3>The tool’s evidence</h3>\n<table><thead><tr><th>Task: category</th>"
             "<th class=\"n\">Matches</th><th>Words counted</th></tr></thead>\n<tbody>\n")]
    for task, name in TASKS.items():
        if not tasks[task]:
            body.append(f"<tr><td><strong>{name}</strong></td><td colspan=\"2\" class=\"muted\">no category "
                        f"marked <code>classroom: {task}</code> in this run’s lexicons</td></tr>\n")
        for key, label in tasks[task]:
            w = found.get(key)
            body.append(f"<tr><td><strong>{name}</strong>: {html_text(label)}</td>"
                        f"<td class=\"n\">{w.total if w else 0:,}</td><td>{_words_html(w)}</td></tr>\n")
    for r in present:
        hits = [(k, short) for k, short in r.options if k in found]
        if not hits:
            body.append(f"<tr><td><strong>Labels</strong>: {html_text(r.name)}</td><td class=\"n\">0</td>"
                        "<td class=\"muted\">not named with the lexicon’s words</td></tr>\n")
        for k, short in hits:
            w = found[k]
            body.append(f"<tr><td><strong>Labels</strong>: {html_text(r.name)}: {html_text(short)}</td>"
                        f"<td class=\"n\">{w.total:,}</td><td>{_words_html(w)}</td></tr>\n")
    others = sorted(((k, w) for k, w in found.items() if k not in shown_keys), key=lambda kw: (-kw[1].total, kw[0]))
    for k, w in others[:TOP_OTHER]:
        body.append(f"<tr><td><span class=\"muted\">Also counted</span>: {html_text(w.label)}</td>"
                    f"<td class=\"n\">{w.total:,}</td><td>{_words_html(w)}</td></tr>\n")
    body.append("</tbody></table>\n")
    return body


def _frames_table(
    top: Sequence[tuple[Frame, float]],
    found: Mapping[tuple[str, str], Words],
    validity: Mapping[str, Validity],
    marked: bool,
    scored: bool,
) -> list[str]:
    """The tool's reading of the task "Frames" in one article: its top frames by rate, with words and validity."""
    body = ["<h3>Frames: the tool’s reading</h3>\n"]
    if not marked:
        return body + [f"<p class=\"muted\">No category marked <code>classroom: {FRAME}</code> in this run’s "
                       "lexicons.</p>\n"]
    if not scored:
        return body + ["<p class=\"muted\">This article’s scores are not part of the result.</p>\n"]
    if not top:
        return body + ["<p class=\"muted\">None of the frames’ words is counted in this article: the tool "
                       "has no reading; the students’ is the one to discuss.</p>\n"]
    body.append("<p class=\"muted\">A starting point for discussion: the marked frames whose words this article "
                "uses most, per 1,000 words. Frames are a reader’s judgement; the tool only counts words.</p>\n"
                "<table><thead><tr><th>Frame</th><th class=\"n\">Rate per 1,000 words</th><th>Validity</th>"
                "<th>Words counted</th></tr></thead>\n<tbody>\n")
    for f, rate in top:
        v = validity.get(f.column, Validity("unvalidated"))
        said = html_text(v.text)
        if v.doubtful:
            said += " <span class=\"muted\">(the tool’s reading of this frame is a word count, not a judgement)</span>"
        body.append(f"<tr><td>{html_text(f.label)}</td><td class=\"n\">{rate:,.1f}</td><td>{said}</td>"
                    f"<td>{_words_html(found.get(f.key))}</td></tr>\n")
    body.append("</tbody></table>\n")
    return body


def _words_html(w: Words | None) -> str:
    """The first ``MAX_WORDS`` words counted, each with its count and how many were in quotes."""
    if w is None or not w.words:
        return '<span class="muted">none counted</span>'
    items = []
    for word, n, q in w.words[:MAX_WORDS]:
        quoted = f", {q:,} in quotes" if q else ""
        items.append(f"{html_text(word)} <span class=\"muted\">×{n:,}{quoted}</span>")
    more = len(w.words) - MAX_WORDS
    tail = f" <span class=\"muted\">and {plural(more, 'more word')}</span>" if more > 0 else ""
    return ", ".join(items) + tail


def _classifier_view(result: AnalysisResult, row: Mapping[str, object], trained: bool) -> list[str]:
    """The tool's guess for one article, its score per type, and what pushed it most."""
    body = ["<h3>The classifier’s view</h3>\n"]
    if not row:
        return body + ["<p class=\"muted\">This article’s scores are not part of the result.</p>\n"]
    guess = type_label(row.get("predicted_source_type", ""))
    kind = "probability" if trained else "similarity score"
    styles = "; ".join(f"{html_text(lab)} {_score(row.get(col))}" for col, lab in result.styles.items())
    items = [f"<dt>Guess</dt><dd>{html_text(guess) or '—'}"
             + ("" if trained else " <span class=\"muted\">(a similarity guess, not a trained "
                "classifier’s)</span>") + "</dd>\n"]
    if row.get("predicted_source_type") == "undetermined":
        said = html_text(undetermined_reason(row)) or "the tool could not tell"
        items.append(f"<dt>Why undetermined</dt><dd>{said}. <span class=\"muted\">The tool declines to guess "
                     "rather than give a label it cannot back.</span></dd>\n")
    items.append(f"<dt>Scores ({kind} per type)</dt><dd>{styles or '—'} <span class=\"muted\">(“—”: "
                 "not defined for this article)</span></dd>\n")
    why = row.get("why")
    if isinstance(why, str) and why.strip():
        items.append(f"<dt>What pushed it most</dt><dd>{html_text(why)}</dd>\n")
    return body + ['<dl class="meta">\n' + "".join(items) + "</dl>\n"]


def _score(value: object) -> str:
    """A style score (``0.42``), without the thousands separator a rate gets; undefined: an em dash."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "\u2014"
    return f"{x:.2f}" if math.isfinite(x) else "\u2014"
