"""The HTML report: no markup, script, event handler or dangerous URL from input survives unescaped.

Also pinned: the evidence is highlighted faithfully (flat, balanced marks
naming the right categories), the page is deterministic, and long corpora
show only ``max_articles`` full texts.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import Article, Corpus, InputError, analyze_corpus, load_lexicon
from framing.errors import LexiconError
from framing.report.html import CSP, SCRIPT, render_html
from framing.report.legend import CHART_LABELS

# Every tag the renderer may emit; anything else in the output came from input.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "nav", "section",
    "h1", "h2", "h3", "h4", "p", "br", "em", "strong", "small", "code", "ul", "li", "article",
    "table", "caption", "thead", "tbody", "tr", "th", "td", "div", "span",
    "dl", "dt", "dd", "details", "summary", "a", "mark", "figure", "figcaption", "img", "s", "q", "label", "input",
    "button", "script",
}  # fmt: skip
# The page's one script is SCRIPT itself (checked in assert_safe); any other is from input.
FORBIDDEN_TAGS = {"iframe", "svg", "object", "embed", "form", "base", "textarea", "link", "math"}
VOID = {"meta", "img", "br", "input"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR fake but signed"

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "' onmouseover='x",
    "</textarea><iframe src=javascript:alert(1)>",
    "<!--",
    "]]>",
    "&lt;",
]
SAFE_URLS = ["https://example.org/a?b=1&c=2", "HTTP://example.net/x"]
BAD_URLS = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:x",
    "data:text/html;base64,PHNjcmlwdD4=",
    "//evil.example/x",
    "vbscript:msgbox(1)",
    "https://exa mple.org/",
    "http:///no-host",
    "https://[::1",
]


class Page(HTMLParser):
    """Everything a browser would build from the page that matters here."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.attr_names: set[str] = set()
        self.data: list[str] = []
        self.stack: list[str] = []
        self.unbalanced: list[str] = []
        self.marks: list[str | None] = []  # title of the innermost open mark
        self.pieces: dict[str, list[tuple[str, str | None]]] = {}  # section id -> (text, mark title)
        self.section: str | None = None
        self.in_text = 0
        self.scripts: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        self.attr_names.update(name for name, _ in attrs)
        if tag == "section" and re.fullmatch(r"a\d+", a.get("id") or ""):
            self.section = a["id"]
            self.pieces[self.section] = []
        if tag == "div" and a.get("class") == "text":
            self.in_text = 1
        elif self.in_text and tag == "div":
            self.in_text += 1
        if tag == "mark":
            self.marks.append(a.get("title"))
        if tag == "script":
            self.in_script = True
            self.scripts.append("")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.unbalanced.append(tag)
        else:
            self.stack.pop()
        if tag == "mark" and self.marks:
            self.marks.pop()
        if tag == "div" and self.in_text:
            self.in_text -= 1
        if tag == "section":
            self.section = None
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.scripts[-1] += data
            return
        self.data.append(data)
        if self.in_text and self.section and "p" in self.stack:  # the newlines between <p>s are not text
            self.pieces[self.section].append((data, self.marks[-1] if self.marks else None))

    @property
    def text(self) -> str:
        return "".join(self.data)

    def attrs(self, name: str) -> list[str]:
        return [a[name] or "" for _, a in self.tags if name in a]


def parse(page: bytes) -> Page:
    parser = Page()
    parser.feed(page.decode("utf-8"))
    parser.close()
    return parser


def make_lexicon(tmp_path, name: str, categories: dict) -> object:
    # safe_dump quotes whatever needs quoting, so hostile labels reach the parser intact.
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"name": name, "categories": categories}, allow_unicode=True), encoding="utf-8")
    return load_lexicon(path)


def assert_safe(page: Page, safe_urls=()) -> None:
    names = {tag for tag, _ in page.tags}
    assert names <= ALLOWED_TAGS, names - ALLOWED_TAGS
    assert not names & FORBIDDEN_TAGS
    assert not [n for n in page.attr_names if n.lower().startswith("on")]
    assert page.unbalanced == [] and page.stack == []
    ids = set(page.attrs("id"))
    assert all(re.fullmatch(r"[a-z]+\d*", i) for i in ids), ids
    for href in page.attrs("href"):
        if href.startswith("#"):
            assert href[1:] in ids  # internal links only to index-based anchors
        else:
            assert href in safe_urls
            assert re.match(r"https?://", href, re.IGNORECASE)
    assert all(src.startswith("data:image/png;base64,") for src in page.attrs("src"))
    for tag, a in page.tags:
        if tag == "a" and not a["href"].startswith("#"):
            assert a.get("rel") == "noopener noreferrer nofollow"
    csp = [a for tag, a in page.tags if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
    assert [a["content"] for a in csp] == [CSP]
    assert page.scripts == [SCRIPT]  # exactly the one script the CSP hash allows
    assert [tag for tag, _ in page.tags].count("script") == 1
    assert ("meta", {"name": "referrer", "content": "no-referrer"}) in page.tags


@pytest.fixture
def hostile_result(tmp_path):
    lexicon = make_lexicon(
        tmp_path,
        "hostile",
        {
            "cat_a": {"label": HOSTILE[2], "description": HOSTILE[4], "terms": [HOSTILE[0], HOSTILE[1]]},
            "cat_b": {"label": HOSTILE[3], "description": HOSTILE[5] + HOSTILE[6], "terms": ["alert", "trade"]},
        },
    )
    articles = []
    for i, url in enumerate(SAFE_URLS + BAD_URLS):
        h = HOSTILE[i % len(HOSTILE)]
        articles.append(
            Article(
                id=f"{i:02d}{h}",
                text=f"Trade talks.\n\n{' '.join(HOSTILE)} said the minister.\nSecond line {h}",
                outlet=f"Outlet {h}",
                source_type=("wire", "state_media", "independent_commentary")[i % 3],
                title=f"Title {h}",
                date=f"2024 {h}",
                url=url,
            )
        )
    corpus = Corpus(articles=articles, warnings=[f"warning {h}" for h in HOSTILE], skipped=2)
    return analyze_corpus(corpus, [lexicon])


def test_hostile_input_never_becomes_markup_and_stays_visible(hostile_result):
    charts = {"rates_by_source_type": PNG, '"><script>alert(1)</script>': PNG, "similarity": b"<svg onload=alert(1)>"}
    out = render_html(hostile_result, charts=charts)
    page = parse(out)
    assert_safe(page, SAFE_URLS)
    assert out.lower().count(b"<script") == 1 and b"<svg" not in out.lower() and b"<iframe" not in out.lower()
    assert b"url(" not in out and b"@import" not in out  # no external loads from CSS either

    text = page.text
    for h in HOSTILE:
        assert h in text  # shown exactly as typed, e.g. "&lt;" stays "&lt;"
        assert f"Title {h}" in text and f"Outlet {h}" in text and f"2024 {h}" in text
        assert f"warning {h}" in text
    assert "Few articles." in text  # 3 or 4 articles per source type
    assert all(a.id in text for a in hostile_result.articles)
    # Lexicon labels and descriptions are text too, in the legend.
    assert HOSTILE[2] in text and HOSTILE[4] in text and HOSTILE[5] + HOSTILE[6] in text
    # A good link is a link, with & kept; every bad URL is plain text, never an href.
    assert sorted(set(page.attrs("href")) - {h for h in page.attrs("href") if h.startswith("#")}) == sorted(SAFE_URLS)
    for url in BAD_URLS:
        assert url in text
    # The chart with a hostile name is embedded under its escaped name; the non-PNG one is left out.
    assert len(page.attrs("src")) == 2
    assert '"><script>alert(1)</script>' in text
    alts = sorted(page.attrs("alt"))  # a fixed label, then a reading of the data (escaped)
    assert alts[0] == "Chart" and alts[1].startswith(CHART_LABELS["rates_by_source_type"])
    assert "left out: it is not a PNG image" in text
    # Matches in the hostile lexicon were highlighted, and their titles name the term as text.
    titles = [a.get("title") or "" for tag, a in page.tags if tag == "mark"]
    assert any("hostile.cat_a" in t and HOSTILE[0] in t for t in titles)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.lists(
        st.one_of(
            st.text(st.characters(exclude_categories=())),
            st.sampled_from(["trade", "free trade zone", "\n\n", "\r\n", "\x00", "\ud800", "\udfff", "\x85", "\ufffe", "<b>"]),
        ),
        max_size=12,
    ).map("".join),
    title=st.text(st.one_of(st.characters(), st.sampled_from(["\ud83d", "\x07", "<", "&"]))),
    outlet=st.text(),
)
def test_arbitrary_text_renders_safely(tmp_path, text, title, outlet):
    lexicon = make_lexicon(tmp_path, "lx", {"phrase": {"terms": ["free trade zone"]}, "word": {"terms": ["trade"]}})
    articles = [
        Article(id="a", text=text, title=title, outlet=outlet, source_type="wire"),
        Article(id="b", text="trade " + text[::-1], title=outlet, outlet=title, source_type="state_media"),
    ]
    out = render_html(analyze_corpus(articles, [lexicon]))
    decoded = out.decode("utf-8")  # strict: no lone surrogate got through
    assert not re.search("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", decoded)
    assert_safe(parse(out))


def test_overlapping_matches_are_flat_marks_naming_every_category(tmp_path):
    phrases = make_lexicon(
        tmp_path, "phr", {"trade_phrase": {"terms": ["free trade zone"]}, "deal": {"terms": ["zone agreement"]}}
    )
    words = make_lexicon(tmp_path, "wrd", {"trade_word": {"terms": ["trade"]}})
    text = "A free trade zone agreement was signed; trade grew. Nothing else here."
    result = analyze_corpus([Article(id="x", text=text, source_type="wire")], [phrases, words])
    page = parse(render_html(result))
    assert page.unbalanced == [] and page.stack == []
    assert not any(tag == "mark" and a.get("title") is None for tag, a in page.tags)

    pieces = page.pieces["a1"]
    assert "".join(p for p, _ in pieces) == text  # the full text, in order, nothing lost
    covered: list[str | None] = []
    for piece, title in pieces:
        covered += [title] * len(piece)
    ledger = result.matches
    assert set(zip(ledger["lexicon"], ledger["category"], ledger["text"])) == {
        ("phr", "trade_phrase", "free trade zone"),
        ("phr", "deal", "zone agreement"),
        ("wrd", "trade_word", "trade"),
    }
    in_match = [False] * len(text)
    for start, end, lex, cat in zip(ledger["start"], ledger["end"], ledger["lexicon"], ledger["category"]):
        for pos in range(start, end):
            in_match[pos] = True
            assert covered[pos] is not None and f"{lex}.{cat}" in covered[pos]
    for pos, title in enumerate(covered):
        assert (title is not None) == in_match[pos], (pos, text[pos])
    # "trade" inside the phrase is covered by both; "zone" by the phrase and the crossing "zone agreement".
    assert {"phr.trade_phrase", "wrd.trade_word"} <= set(re.findall(r"\w+\.\w+", covered[text.index("trade")]))
    assert {"phr.trade_phrase", "phr.deal"} <= set(re.findall(r"\w+\.\w+", covered[text.index("zone")]))
    assert "Nothing else here." in "".join(p for p, t in pieces if t is None)


def test_paragraphs_and_line_breaks_are_kept(tmp_path):
    lexicon = make_lexicon(tmp_path, "lx", {"word": {"terms": ["trade"]}})
    text = "First paragraph about trade.\nSame paragraph, new line.\n\n  \nSecond paragraph."
    out = render_html(analyze_corpus([Article(id="x", text=text)], [lexicon])).decode("utf-8")
    body = out[out.index('<div class="text">') :]
    assert body.count("<p>") == 2
    assert "Same paragraph" in body and "trade</mark>.\nSame paragraph, new line.</p>\n<p>Second paragraph.</p>" in body


def test_same_result_gives_the_same_bytes(hostile_result, tmp_path):
    charts = {"style_scores": PNG, "rates_by_source_type": PNG}
    first = render_html(hostile_result, charts=charts)
    assert render_html(hostile_result, charts=dict(reversed(list(charts.items())))) == first
    lexicon = make_lexicon(tmp_path, "lx", {"word": {"terms": ["trade"]}})
    articles = [Article(id=f"{i}", text=f"trade talks {i}", outlet=f"O{i % 2}", source_type="wire") for i in range(4)]
    assert render_html(analyze_corpus(articles, [lexicon])) == render_html(analyze_corpus(articles[::-1], [lexicon]))


def test_only_max_articles_full_texts_are_shown(tmp_path):
    lexicon = make_lexicon(tmp_path, "lx", {"word": {"terms": ["trade"]}})
    texts = ["trade alpha aardvark", "trade beta buffalo", "trade gamma zebra marmalade"]
    articles = [Article(id=f"id{i}", text=t, title=f"T{i}", source_type="wire") for i, t in enumerate(texts)]
    result = analyze_corpus(articles, [lexicon])
    page = parse(render_html(result, max_articles=2))
    assert set(page.pieces) == {"a1", "a2"}
    assert "alpha aardvark" in page.text and "beta buffalo" in page.text
    assert "zebra marmalade" not in page.text
    assert "2 of 3 articles shown; the full evidence is in matches.csv" in page.text
    assert "T2" in page.text  # still listed in the articles table
    assert set(page.attrs("href")) >= {"#a1", "#a2"} and "#a3" not in page.attrs("href")

    everything = parse(render_html(result))
    assert set(everything.pieces) == {"a1", "a2", "a3"} and " of 3 articles" not in everything.text
    assert parse(render_html(result, max_articles=0)).pieces == {}
    with pytest.raises(InputError, match="max_articles"):
        render_html(result, max_articles=-1)


def test_empty_and_unmatched_articles_and_missing_numbers(tmp_path):
    lexicon = make_lexicon(tmp_path, "lx", {"word": {"terms": ["trade"]}})
    articles = [
        Article(id="empty", text="", source_type="wire"),
        Article(id="plain", text="Nothing to count here.", source_type="state_media"),
    ]
    result = analyze_corpus(articles, [lexicon])
    page = parse(render_html(result))
    assert_safe(page)
    text = page.text
    assert "(The article has no text.)" in text
    assert "No lexicon term matched in this article." in text
    assert not [tag for tag, _ in page.tags if tag == "mark"]
    assert not re.search(r"\bnan\b", text, re.IGNORECASE) and not re.search(r"\binf\b", text)
    assert "\u2014" in text  # undefined style scores are an em dash
    assert "Few articles" in text  # one article per source type is said plainly


def test_a_ledger_row_that_does_not_fit_its_text_is_not_highlighted(tmp_path):
    lexicon = make_lexicon(tmp_path, "lx", {"word": {"terms": ["trade"]}})
    result = analyze_corpus([Article(id="x", text="trade and more trade")], [lexicon])
    result.matches.loc[0, ["start", "end"]] = [5, 999]  # an edited or mismatched ledger
    page = parse(render_html(result))
    marked = [p for p, t in page.pieces["a1"] if t is not None]
    assert marked == ["trade"]  # only the row that still fits


def test_the_articles_table_is_capped_for_huge_corpora(tmp_path, monkeypatch):
    import framing.report.html.sections as page_module

    lexicon = make_lexicon(tmp_path, "lx", {"word": {"terms": ["trade"]}})
    articles = [Article(id=f"id{i}", text=f"trade {i}", title=f"Title{i}", source_type="wire") for i in range(5)]
    result = analyze_corpus(articles, [lexicon])
    monkeypatch.setattr(page_module, "KEEP_ROWS", 3)
    text = parse(render_html(result, max_articles=1)).text
    assert "The table lists the first 3 articles; report.csv has them all." in text
    assert "Title2" in text and "Title3" not in text
    # Never fewer rows than full texts shown.
    assert "Title3" in parse(render_html(result, max_articles=4)).text


class Contract(HTMLParser):
    """Marks per article section, headings in order, toggles: what the browser tests rely on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ends: dict[str, int] = {}
        self.article: str | None = None
        self.depth = 0
        self.headings: list[int] = []
        self.toggles: list[dict[str, str | None]] = []
        self.labels_for: set[str] = set()
        self.marks: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            if "article" in (a.get("class") or "").split():
                assert re.fullmatch(r"a\d+", a["id"])
                self.article, self.depth = a["data-article"], 0
                self.ends.setdefault(self.article, 0)
            elif self.article is not None:
                self.depth += 1
        if tag == "mark":
            self.marks.append(a)
            assert re.fullmatch(r"(k\d+)( k\d+)*", a["class"]) and re.fullmatch(r"\d+", a["data-ends"])
            if self.article is not None:
                self.ends[self.article] += int(a["data-ends"])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "input":
            self.toggles.append(a)
        if tag == "label" and a.get("for"):
            self.labels_for.add(a["for"])

    def handle_endtag(self, tag):
        if tag == "section" and self.article is not None:
            if self.depth:
                self.depth -= 1
            else:
                self.article = None


@pytest.fixture(scope="module")
def seeds_result():
    from framing import analyze

    from ..conftest import ROOT

    return analyze(ROOT / "seeds")


def test_dom_contract_data_ends_sum_to_the_ledger_rows_and_toggles(seeds_result):
    out = render_html(seeds_result)
    c = Contract()
    c.feed(out.decode("utf-8"))
    rows = seeds_result.matches.groupby("article_id").size().to_dict()
    assert c.ends == {aid: int(n) for aid, n in rows.items()}  # negated rows included
    legend = sorted({int(k[1:]) for m in c.marks for k in m["class"].split()})
    assert [int(t["data-k"]) for t in c.toggles] == legend
    for t in c.toggles:
        assert t["type"] == "checkbox" and t["class"] == "toggle" and "checked" in t and t["id"] in c.labels_for
    css = out.decode("utf-8")
    for k in legend:  # off rules come before every on rule, so a mark with any category on stays highlighted
        assert css.index(f"body.off-{k} mark.k{k}{{background:transparent") < css.index("body:not(.off-1) mark.k1{")


def test_csp_hash_matches_the_one_script_and_headings_do_not_jump(seeds_result):
    import base64
    import hashlib

    out = render_html(seeds_result)
    page = parse(out)
    assert_safe(page)
    (script,) = page.scripts
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in CSP
    assert "'unsafe-inline'" not in CSP.split("script-src", 1)[1].split(";")[0]
    c = Contract()
    c.feed(out.decode("utf-8"))
    assert c.headings[0] == 1 and c.headings.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(c.headings, c.headings[1:])), c.headings
    assert '<meta name="viewport"' in out.decode("utf-8")


def test_plain_words_why_and_side_by_side(seeds_result):
    text = parse(render_html(seeds_result)).text
    assert "What this page shows" in text and "support no claim that source types write differently" in text
    assert "Four labelled articles" in text
    assert "Why this score." in text and "No classifier was trained in this run" in text
    assert "Side by side" in text and "share the most matched lexicon terms" in text
    charts = {"rates_by_source_type": PNG, "evaluation": PNG}
    page = parse(render_html(seeds_result, charts=charts))
    reading = "The source types differ most on "
    assert reading in page.text and "No classifier was trained in this run, so there is nothing to evaluate." in page.text
    alts = page.attrs("alt")
    assert alts[0].startswith(CHART_LABELS["rates_by_source_type"] + ". " + reading)  # the alt says what it shows
    ids = sorted(seeds_result.scores["article_id"])
    from framing import analyze

    from ..conftest import ROOT

    text = parse(render_html(analyze(ROOT / "seeds", compare=[ids[0], ids[2]]))).text
    assert "chosen for this run (--compare)" in text
    with pytest.raises(InputError, match="no article with id 'nope'"):
        analyze(ROOT / "seeds", compare=["nope", ids[0]])


def test_why_names_terms_rates_and_typography(tmp_path):
    from framing.report.html.why import why_this_score

    row = {"predicted_source_type": "wire", "why": "said +0.310; rate style.attribution +0.200; typography em_dash +0.120"}
    html_text = "".join(why_this_score(row, {}))
    assert "the word \u201csaid\u201d (+0.310)" in html_text
    assert "rate of <code>style.attribution</code>, +0.200" in html_text
    assert "its typography: em dashes (\u2014) (+0.120)" in html_text
    hostile = {"predicted_source_type": "wire", "why": f"{HOSTILE[0]} +1.000"}
    assert "<script>" not in "".join(why_this_score(hostile, {}))
    undecided = {**row, "predicted_source_type": "undetermined", "why_undetermined": f"weak evidence: {HOSTILE[0]}"}
    said = "".join(why_this_score(undecided, {}))
    assert "makes no call for this article: weak evidence: " in said and "<script>" not in said


def test_cli_no_html_and_compare_errors(tmp_path, capsys):
    from framing.cli import main

    from ..conftest import ROOT

    out = tmp_path / "o"
    (out).mkdir()
    (out / "report.html").write_text("old page", encoding="utf-8")
    assert main(["analyze", str(ROOT / "seeds"), "--out", str(out), "--quiet", "--no-charts", "--no-html"]) == 0
    assert not (out / "report.html").exists() and (out / "labels.csv").exists()  # an old page is not left beside new tables
    import json

    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["report_html"] == "not written (--no-html)" and record["options"]["no_html"] is True
    capsys.readouterr()
    code = main(["analyze", str(ROOT / "seeds"), "--out", str(tmp_path / "p"), "--quiet", "--no-charts",
                 "--compare", "nope", "001_8f97fee391d2d736.txt"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: no article with id 'nope'")
    assert not (tmp_path / "p" / "report.csv").exists()


def test_every_dimension_score_shows_its_validity_and_doubtful_ones_are_named(tmp_path):
    path = tmp_path / "frames.yaml"
    path.write_text(yaml.safe_dump({"name": "nf", "role": "dimensions", "categories": {
        "money": {"label": "Money talk", "validity": "good", "terms": ["money", "tax"],
                  "evidence": "AUC 0.9 on <b>held-out</b> texts", "note": "Misses barter."},
        "fight": {"label": "Fight <i>talk</i>", "validity": "weak", "terms": ["fight"]},
        "plain": {"label": "Plain", "terms": ["said"]},
    }}), encoding="utf-8")
    articles = [Article(id=f"a{i}", text="They said money and tax will fight on.", outlet=f"o{i}",
                        source_type=("wire", "state_media")[i % 2]) for i in range(4)]
    page = render_html(analyze_corpus(articles, [load_lexicon(path)])).decode("utf-8")
    summary = page[page.index('id="summary"'):page.index("</section>", page.index('id="summary"'))]
    assert summary.count('class="validity ') == 3  # one cell per dimension row
    assert '<td class="validity good">good validity</td>' in summary
    assert '<td class="validity weak">weak validity</td>' in summary
    assert '<td class="validity unvalidated">not validated</td>' in summary  # no key: said, not left blank
    caution = re.search(r'<p class="caution"><strong>Scores to read as word counts.</strong>(.*?)</p>', summary).group(1)
    assert "Fight &lt;i&gt;talk&lt;/i&gt;" in caution and "Plain" in caution and "Money" not in caution
    assert "AUC 0.9 on &lt;b&gt;held-out&lt;/b&gt; texts Misses barter." in summary  # evidence and note, escaped
    assert_safe(parse(page.encode("utf-8")))


def test_a_validity_that_is_not_a_level_is_an_error_on_its_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\ncategories:\n  a:\n    validity: excellent\n    terms: [word]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad.yaml:4.*validity.*good, fair, weak, unvalidated"):
        load_lexicon(path)
