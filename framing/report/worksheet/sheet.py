"""worksheet.html, for students: the articles A, B, C ... with their source hidden, and the tasks under each.

Every text a student sees (titles, article texts, the example words of the
labels) goes through ``hide`` first and shows ``[…]`` where it hid something.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...english import plural
from ...types import LABELLED_TYPES, PLAIN_TYPE_LABELS, TYPE_DESCRIPTIONS
from ..html.escape import html_text
from .evidence import Frame, Referent
from .mask import MASK, Hide, mask_text, masked_html
from .pages import page, paragraphs, write_lines
from .select import Choice

__all__ = ["WRITE_LINES", "worksheet_page"]

WRITE_LINES = {"attribution": 3, "loaded": 2, "why": 3}  # ruled lines per task: room for the answer expected
FRAME_ROWS = 2  # frames a student names with its words: the one or two strongest, not every tick


def worksheet_page(
    choice: Choice,
    hide: Hide,
    present: Sequence[Referent],
    examples: Mapping[tuple[str, str], Sequence[str]],
    marked: Sequence[Frame] = (),
) -> bytes:
    """The students' page: the introduction, then each article (masked) with its tasks.

    ``present``: the contested things the shown articles name;
    ``examples``: up to two words (already masked) the articles use for each label;
    ``marked``: the frames students choose from (none: no frame task).
    """
    body = _introduction(choice, present, examples, marked)
    for letter, article in choice.lettered:
        title = " ".join(article.title.split())
        title = mask_text(title, hide(title))
        heading = f"Article {letter}" + (f": {masked_html(title)}" if title.strip() else "")
        body.append(f'<section class="article" id="{letter}">\n<h2>{heading}</h2>\n<div class="text">\n')
        body += [f"<p>{masked_html(p)}</p>\n" for p in paragraphs(mask_text(article.text, hide(article.text)))]
        body.append("</div>\n")
        body += _tasks(letter, present, marked)
        body.append("</section>\n")
    body.append(f"<footer>Worksheet made with framing (seed {choice.seed}); the teacher has the answer key.</footer>\n")
    return page("Worksheet: who wrote this?", body)


def _introduction(
    choice: Choice,
    present: Sequence[Referent],
    examples: Mapping[tuple[str, str], Sequence[str]],
    marked: Sequence[Frame],
) -> list[str]:
    """What was hidden and why, the kinds of source, and what to look for."""
    n = len(choice.letters)
    span = f"{choice.letters[0]} to {choice.letters[-1]}" if n > 1 else choice.letters[0]
    body = [
        "<header>\n<h1>Who wrote this, and how can you tell?</h1>\n",
        '<div class="intro">\n',
        (f"<p>You have {plural(n, 'news article')}, labelled {span}. They come from different kinds of "
        f"sources. We removed the clues that would give a source away at once: the outlet's name, the "
        f"author's name, datelines such as “CITY (Agency) –”, photo credits and web links. Where we "
        f"did, you see <span class=\"hid\">{MASK}</span>. Read each article and do the tasks under it. "
        f"Write what you notice in the words themselves; there are no trick questions.</p>\n"),
        "<p><strong>Three kinds of source:</strong></p>\n<ul>\n",
        *(f"<li><strong>{PLAIN_TYPE_LABELS[t]}</strong>: {TYPE_DESCRIPTIONS[t]}</li>\n" for t in LABELLED_TYPES),
        "</ul>\n<p><strong>What to look for:</strong></p>\n<ul>\n",
        ("<li><strong>Attributions</strong>: who is quoted or named as a source (“said”, “according to”, "
        "“told reporters”).</li>\n"),
        ("<li><strong>Loaded words</strong>: words that judge or stir feelings rather than only describe "
        "(“brutal”, “historic”, “so-called”).</li>\n"),
    ]
    if present:
        body.append(
            "<li><strong>Labels</strong>: one thing can be named in different ways, and the choice often shows "
            "whose view the writer takes. These articles name the following things:\n<ul>\n"
        )
        body += [f"<li><strong>{html_text(r.name)}</strong>: {_options_html(r, examples)}</li>\n" for r in present]
        body.append("</ul></li>\n")
    if marked:
        body.append(
            "<li><strong>Frames</strong>: the angle a story takes on its subject, what it makes the story "
            "<em>about</em>. The same event can be told as a question of money, of the law, of a fight between "
            "sides or of people’s lives. Choose from these frames (an article can have more than one):\n<ul>\n"
        )
        body += [f"<li><strong>{html_text(f.label)}</strong>"
                 + (f": {html_text(f.description)}" if f.description else "") + "</li>\n" for f in marked]
        body.append("</ul></li>\n")
    body.append("</ul>\n</div>\n</header>\n")
    return body


def _options_html(ref: Referent, examples: Mapping[tuple[str, str], Sequence[str]]) -> str:
    """A contested thing's rival labels, each with the words the articles use for it."""
    parts = []
    for key, label in ref.options:
        ex = examples.get(key, ())
        shown = f' <span class="muted">(words such as {", ".join(f"“{html_text(w)}”" for w in ex)})</span>' if ex else ""
        parts.append(f"{html_text(label)}{shown}")
    return " <em>or</em> ".join(parts)


def _tasks(letter: str, present: Sequence[Referent], marked: Sequence[Frame]) -> list[str]:
    """The tasks under article ``letter``, numbered: attributions, loaded words, labels and frames (if any), source."""
    k = 1
    body = [(
        f'<div class="task"><p><strong>{k}. Attributions.</strong> Underline everyone who is quoted or '
        f"cited as a source in article {letter}. Who are they?</p>\n{write_lines(WRITE_LINES['attribution'])}</div>\n"
    )]
    k += 1
    body.append(
        f'<div class="task"><p><strong>{k}. Loaded words.</strong> Circle the words that judge or stir '
        f"feelings. Write three of them here.</p>\n{write_lines(WRITE_LINES['loaded'])}</div>\n"
    )
    if present:
        k += 1
        rows = "".join(f'<tr><td>{html_text(r.name)}</td><td class="write"></td></tr>\n' for r in present)
        body.append(
            f'<div class="task"><p><strong>{k}. Labels.</strong> Which words does article {letter} use for '
            f"these things? Write “not mentioned” if it does not name one.</p>\n"
            f"<table><thead><tr><th>Thing</th><th>The words article {letter} uses</th></tr></thead>\n"
            f"<tbody>\n{rows}</tbody></table></div>\n"
        )
    if marked:
        k += 1
        ticks = "".join(f'<span><span class="box"></span>{html_text(f.label)}</span>' for f in marked)
        rows = '<tr><td class="write"></td><td class="write"></td></tr>\n' * FRAME_ROWS
        body.append(
            f'<div class="task"><p><strong>{k}. Frames.</strong> Which frame or frames do you see in article '
            f"{letter}? Tick them (the frames are described at the top of the worksheet).</p>\n"
            f'<div class="choices">{ticks}</div>\n'
            f"<p>For the one or two strongest, quote the words that made you choose.</p>\n"
            f"<table><thead><tr><th>Frame</th><th>The words in article {letter}</th></tr></thead>\n"
            f"<tbody>\n{rows}</tbody></table></div>\n"
        )
    k += 1
    choices = "".join(f'<span><span class="box"></span>{PLAIN_TYPE_LABELS[t]}</span>' for t in LABELLED_TYPES)
    body.append(
        f'<div class="task"><p><strong>{k}. Source.</strong> What kind of source do you think published '
        f'article {letter}? Tick one.</p>\n<div class="choices">{choices}</div>\n'
        f"<p>Why? Give two clues from the text.</p>\n{write_lines(WRITE_LINES['why'])}</div>\n"
    )
    return body
