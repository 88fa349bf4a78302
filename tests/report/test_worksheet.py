"""``framing worksheet``: what students see hides the source; the key tells the teacher; same seed, same bytes."""

from __future__ import annotations

import re
import shutil

import pytest

from framing.analysis.mask import ReaderMask
from framing.api import analyze
from framing.cli import worksheet as worksheet_cli
from framing.cli.common import Parser
from framing.errors import FramingError, InputError
from framing.report.worksheet import MASK, choose_articles, letters, mask_text, render_worksheet, shuffle_ids

WIRE = ("WASHINGTON (Reuters) - Officials said on Tuesday that talks on trade would resume, "
        "according to a statement. The Kremlin called the sanctions illegal.\n")
STATE = ("The Daily Beacon reports that the special military operation continues. Experts note the "
         "so-called sanctions are a brutal failure of the West, the Daily Beacon said.\n")
BLOG = ("I think the invasion of Ukraine was a catastrophe. Frankly, the Kyiv government deserves support.\n"
        "Read more at https://example.org/post and follow @thinker\n")


@pytest.fixture
def corpus(write, tmp_path):
    write("c/wire.txt", WIRE)
    write("c/state.txt", STATE)
    write("c/blog.txt", BLOG)
    write("c/manifest.csv",
          "file,outlet,source_type,title\n"
          "wire.txt,Reuters,wire,Talks to resume\n"
          "state.txt,Daily Beacon,state_media,Daily Beacon: the operation goes on\n"
          "blog.txt,Thinker's Notes,independent_commentary,My view\n")
    return tmp_path / "c"


def run(argv: list[str]) -> int:
    """The command as ``framing`` runs it: the parser, then the handler; a FramingError is one line, exit 2."""
    import sys

    parser = Parser(prog="framing")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    worksheet_cli.register(sub)
    args = parser.parse_args(argv)
    try:
        return args.handler(args, argv)
    except FramingError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2


@pytest.fixture
def no_chromium(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)


def pages(out) -> tuple[str, str]:
    return ((out / "worksheet.html").read_text(encoding="utf-8"), (out / "answer_key.html").read_text(encoding="utf-8"))


def test_outlets_and_datelines_only_in_the_key(corpus, tmp_path, no_chromium, capsys):
    out = tmp_path / "ws"
    assert run(["worksheet", str(corpus), "--out", str(out)]) == 0
    sheet, key = pages(out)
    for hidden in ("Reuters", "Daily Beacon", "Thinker", "WASHINGTON", "example.org", "@thinker"):
        assert hidden not in sheet, hidden
    assert re.search("daily beacon", sheet, re.IGNORECASE) is None  # whole words, any case
    for shown in ("Reuters", "Daily Beacon", "Thinker&#x27;s Notes", "WASHINGTON (Reuters) -"):
        assert shown in key, shown
    assert MASK in sheet and "Officials said on Tuesday" in sheet
    assert "Article A" in sheet and "Article C" in sheet and "Article D" not in sheet
    # The title naming its own outlet is shown masked.
    assert "the operation goes on" in sheet


def test_letters_map_to_the_right_articles(corpus, tmp_path, no_chromium):
    out = tmp_path / "ws"
    assert run(["worksheet", str(corpus), "--out", str(out), "--seed", "3"]) == 0
    sheet, key = pages(out)
    order = shuffle_ids(["blog.txt", "state.txt", "wire.txt"], 3)
    outlets = {"wire.txt": "Reuters", "state.txt": "Daily Beacon", "blog.txt": "Thinker&#x27;s Notes"}
    first_words = {"wire.txt": "Officials said", "state.txt": "special military operation", "blog.txt": "catastrophe"}
    for letter, aid in zip("ABC", order):
        section = key.split(f'<section class="article" id="{letter}">')[1].split("</section>")[0]
        assert outlets[aid] in section and aid in section
        text = sheet.split(f'<section class="article" id="{letter}">')[1].split("</section>")[0]
        assert first_words[aid] in text


def test_key_shows_the_evidence_and_says_the_guess_is_a_similarity_guess(corpus, tmp_path, no_chromium):
    out = tmp_path / "ws"
    assert run(["worksheet", str(corpus), "--out", str(out)]) == 0
    sheet, key = pages(out)
    assert "similarity guess" in key
    assert "not trained" in key  # the classifier's note
    # one article per type: no other article to compare with, and the key says so in the tool's words
    assert "<dt>Why undetermined</dt><dd>a source type&#x27;s score is undefined (no other article of that type)" in key
    wire = key.split("<dd>wire.txt</dd>")[1].split("</section>")[0]
    assert "<strong>Attributions</strong>" in key and "according to" in wire
    # The contested labels of these articles are listed for students, with the words to look for.
    assert "The war in Ukraine" in sheet and "special military operation" in sheet
    assert "Sanctions" in sheet


def test_same_seed_same_bytes_other_seed_other_order(corpus, tmp_path, no_chromium):
    outs = []
    for name, seed in (("a", "0"), ("b", "0")):
        assert run(["worksheet", str(corpus), "--out", str(tmp_path / name), "--seed", seed, "--quiet"]) == 0
        outs.append(pages(tmp_path / name))
    assert outs[0] == outs[1]
    orders = {tuple(shuffle_ids(["blog.txt", "state.txt", "wire.txt"], s)) for s in range(8)}
    assert len(orders) > 1
    seed = next(s for s in range(1, 50) if shuffle_ids(["blog.txt", "state.txt", "wire.txt"], s)
                != shuffle_ids(["blog.txt", "state.txt", "wire.txt"], 0))
    assert run(["worksheet", str(corpus), "--out", str(tmp_path / "c"), "--seed", str(seed), "--quiet"]) == 0
    assert pages(tmp_path / "c")[0] != outs[0][0]


def test_shuffle_does_not_depend_on_input_order_or_other_articles():
    ids = [f"a{i}" for i in range(20)]
    assert shuffle_ids(ids, 5) == shuffle_ids(list(reversed(ids)), 5)
    assert [i for i in shuffle_ids(ids + ["new"], 5) if i != "new"] == shuffle_ids(ids, 5)
    assert letters(28)[-3:] == ["Z", "AA", "AB"]


def test_articles_limits_and_says_which(corpus, tmp_path, no_chromium, capsys):
    out = tmp_path / "ws"
    assert run(["worksheet", str(corpus), "--out", str(out), "--articles", "2"]) == 0
    err = capsys.readouterr().err
    assert "the worksheet shows 2, the first 2 of the order of --seed 0" in err
    sheet, key = pages(out)
    assert "Article B" in sheet and "Article C" not in sheet
    assert "2 of the 3 articles" in key
    chosen = shuffle_ids(["blog.txt", "state.txt", "wire.txt"], 0)[:2]
    assert all(aid in key for aid in chosen)


def test_hostile_title_and_text_are_escaped(write, tmp_path, no_chromium):
    write("h/x.txt", "<script>alert(1)</script> said the <b onmouseover=x>minister</b>.\n")
    write("h/y.txt", "Officials said nothing. </section><script>alert(2)</script>\n")
    write("h/manifest.csv", 'file,outlet,source_type,title,url\n'
          'x.txt,"<script>alert(3)</script>",wire,"<img src=x onerror=alert(4)>",javascript:alert(5)\n'
          "y.txt,Ok,state_media,\"\"\"><script>alert(6)</script>\",\n")
    out = tmp_path / "ws"
    assert run(["worksheet", str(tmp_path / "h"), "--out", str(out)]) == 0
    for page in pages(out):
        assert "<script" not in page.lower()
        assert "<img" not in page and "<b " not in page
        assert 'href="javascript' not in page
        assert "&lt;script&gt;" in page
    assert "Content-Security-Policy" in pages(out)[0]


def test_print_css_and_no_scripts(corpus, tmp_path, no_chromium):
    out = tmp_path / "ws"
    assert run(["worksheet", str(corpus), "--out", str(out)]) == 0
    for page in pages(out):
        assert "@page{size:auto;margin:18mm}" in page
        assert "break-inside:avoid" in page and "@media print" in page
        assert "<script" not in page and "default-src &#x27;none&#x27;" in page
        assert not re.search(r"(?<![-\w])width:\s*\d+(px|mm|cm|in)", page)  # no fixed widths


@pytest.mark.parametrize(("args", "message"), [
    (["--articles", "0"], "error: --articles must be at least 1, got 0"),
    (["--seed", "-1"], "error: --seed must be 0 or more, got -1"),
])
def test_bad_options_are_one_line_and_exit_2(corpus, tmp_path, capsys, args, message):
    assert run(["worksheet", str(corpus), "--out", str(tmp_path / "ws"), *args]) == 2
    err = capsys.readouterr().err
    assert err == message + "\n"
    assert not (tmp_path / "ws").exists()


def test_no_chromium_is_a_note_not_an_error(corpus, tmp_path, no_chromium, capsys):
    out = tmp_path / "ws"
    (tmp_path / "ws").mkdir()
    (out / "worksheet.pdf").write_bytes(b"%PDF old")
    assert run(["worksheet", str(corpus), "--out", str(out)]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "chromium not found" in notes[0] and "removed the worksheet.pdf" in notes[0]
    assert sorted(p.name for p in out.iterdir()) == ["answer_key.html", "worksheet.html"]


def test_a_failing_converter_is_a_note(corpus, tmp_path, monkeypatch, capsys):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: str(fake))
    out = tmp_path / "ws"
    assert run(["worksheet", str(corpus), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "note: chromium could not print worksheet.pdf (exit status 3), answer_key.pdf (exit status 3)" in err
    assert sorted(p.name for p in out.iterdir()) == ["answer_key.html", "worksheet.html"]  # no temp file left


def test_the_core_checks_its_arguments(corpus):
    result = analyze(corpus, keep_texts=None, keep_rows=None)
    with pytest.raises(InputError):
        choose_articles(result, seed=-1)
    with pytest.raises(InputError):
        choose_articles(result, max_articles=0)

    def sheet():
        choice = choose_articles(result, seed=1, max_articles=2)
        return render_worksheet(result, choice, hide=ReaderMask.for_outlets(a.outlet for a in choice.articles).spans)

    first = sheet()
    assert len(first.ids) == 2 and first.n_candidates == 3
    assert first == sheet()


def hidden(text: str, names: list[str]) -> str:
    return mask_text(text, ReaderMask(tuple(names)).spans(text))


def test_mask_text_whole_words_only():
    assert hidden("Beacon and Beaconsfield; the daily beacon.", ["Daily Beacon", "Beacon"]) == \
        f"{MASK} and Beaconsfield; the {MASK}."
    assert hidden("(AP Photo/Evan Vucci) The talks", []) == f"{MASK} The talks"
    assert hidden("Tip: buymeacoffee.com/outlet. Then", []) == f"Tip: {MASK}. Then"


def test_the_outlets_of_all_shown_articles_are_hidden_in_each():
    mask = ReaderMask.for_outlets(["Daily Beacon", "Fox Online News"])
    assert {"Daily Beacon", "Fox Online News", "Fox", "Reuters"} <= set(mask.names)
    assert hidden("Fox said so.", list(mask.names)) == f"{MASK} said so."


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_pdfs_with_chromium(corpus, tmp_path, capsys):
    out = tmp_path / "ws"
    assert run(["worksheet", str(corpus), "--out", str(out), "--quiet"]) == 0
    for name in ("worksheet.pdf", "answer_key.pdf"):
        assert (out / name).read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in out.iterdir()) == ["answer_key.html", "answer_key.pdf", "worksheet.html",
                                                     "worksheet.pdf"]


FRAMES_YAML = """\
name: tf
categories:
  money:
    label: Money
    description: >-
      Costs, prices and trade
      (Test Codebook 1).
    classroom: frame
    validity: fair
    evidence: made up for the test
    terms: [trade, sanctions, costs]
  fight:
    label: Fight
    description: Sides against each other.
    classroom: frame
    validity: weak
    terms: [brutal, failure, invasion, catastrophe, operation]
  said:
    label: Said
    terms: [said]
"""


def frames_table(key: str, aid: str) -> str:
    """The key's frame table of the article with id ``aid``."""
    section = key.split(f"<dd>{aid}</dd>")[1].split("</section>")[0]
    return section.split("<h3>Frames: the tool’s reading</h3>")[1].split("<h3>")[0]


def test_frames_task_and_the_keys_reading(corpus, write, tmp_path, no_chromium):
    lexicon = write("tf.yaml", FRAMES_YAML)
    out = tmp_path / "ws"
    assert run(["worksheet", str(corpus), "--out", str(out), "--lexicon", str(lexicon), "--quiet"]) == 0
    sheet, key = pages(out)
    # Students: the marked frames with their descriptions (without the source they cite), a task per article.
    assert "<li><strong>Money</strong>: Costs, prices and trade.</li>" in sheet
    assert "<li><strong>Fight</strong>: Sides against each other.</li>" in sheet
    assert "Test Codebook" not in sheet and "<strong>Said</strong>" not in sheet
    assert sheet.count("Frames.</strong>") == 3
    assert sheet.count('<span class="box"></span>Money</span>') == 3
    # Teacher: per article the frames with a rate above 0, highest first, with words and validity.
    state = frames_table(key, "state.txt")
    assert state.index("<td>Fight</td>") < state.index("<td>Money</td>")
    assert "brutal <span class=\"muted\">×1" in state and "sanctions <span class=\"muted\">×1" in state
    assert "weak validity <span class=\"muted\">(the tool’s reading of this frame is a word count, not a judgement)" \
        in state
    assert "<td>fair validity</td>" in state
    wire = frames_table(key, "wire.txt")
    assert "<td>Money</td>" in wire and "Fight" not in wire and "trade" in wire
    blog = frames_table(key, "blog.txt")
    assert "<td>Fight</td>" in blog and "Money" not in blog and "catastrophe" in blog
    assert "frames are a reader’s judgement" in key.lower() and "starting point for discussion" in key
    # The frames of the frame table are not listed again under "Also counted".
    assert "Also counted</span>: Fight" not in key


def test_no_frame_marked_no_frame_task(corpus, write, tmp_path, no_chromium):
    lexicon = write("plain.yaml", "name: plain\ncategories:\n  said:\n    label: Said\n    terms: [said]\n")
    out = tmp_path / "ws"
    assert run(["worksheet", str(corpus), "--out", str(out), "--lexicon", str(lexicon), "--quiet"]) == 0
    sheet, key = pages(out)
    assert "Frames" not in sheet and "frame" not in sheet.lower()
    assert "classroom: frame</code>" in key
    assert "starting point for discussion" not in key
    # The other tasks are still there, and still say when no category was marked for them.
    assert "Attributions.</strong>" in sheet and "classroom: attribution</code>" in key


def test_hostile_frame_label_and_description_are_escaped(corpus, write, tmp_path, no_chromium):
    lexicon = write("h.yaml", 'name: h\ncategories:\n  x:\n    label: "<script>alert(1)</script>"\n'
                    '    description: "<img src=x onerror=alert(2)> & more"\n    classroom: frame\n'
                    "    terms: [trade, brutal, invasion]\n")
    out = tmp_path / "ws"
    assert run(["worksheet", str(corpus), "--out", str(out), "--lexicon", str(lexicon), "--quiet"]) == 0
    for page in pages(out):
        assert "<script" not in page.lower() and "<img" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt; &amp; more" in pages(out)[0]


def test_top_frames_ranks_by_rate_and_skips_zero_and_undefined():
    from framing.report.worksheet.evidence import Frame, student_description, top_frames

    marked = [Frame(("l", c), c, "") for c in ("a", "b", "c", "d", "e")]
    row = {"l.a": 2.0, "l.b": 5.0, "l.c": 0.0, "l.d": float("nan"), "l.e": 2.0}
    assert [(f.key[1], r) for f, r in top_frames(row, marked)] == [("b", 5.0), ("a", 2.0), ("e", 2.0)]
    assert [f.key[1] for f, _ in top_frames(row, marked, n=1)] == ["b"]
    assert top_frames({}, marked) == []
    assert student_description("Money and\n trade (Codebook 1).") == "Money and trade."
    assert student_description("(Only a source.)") == "(Only a source.)"
    assert student_description("Rights (civil) and duties.") == "Rights (civil) and duties."


def test_a_worksheet_from_one_story_shows_only_its_versions(write, tmp_path, no_chromium, capsys):
    summit = ("Premier Vantorin and Minister Oskeldt signed the Brelmark grain accord in Tallowmere on Tuesday. "
              "The Brelmark accord covers grain shipments through the Tallowmere port. ")
    write("s/a.txt", summit + "Officials praised the accord.\n")
    write("s/b.txt", summit + "Critics warned the accord hides debt.\n")
    write("s/c.txt", summit + "Farmers hope the accord lifts prices.\n")
    write("s/d.txt", "A storm flooded the coastal highway near Quillon; schools in Quillon closed for the week.\n")
    write("s/e.txt", "Quillon storm: the coastal highway flooded and the Quillon schools closed, officials said.\n")
    write("s/manifest.csv", "file,outlet,source_type\na.txt,RT,state_media\nb.txt,Reuters,wire\n"
          "c.txt,Blog,independent_commentary\nd.txt,AP,wire\ne.txt,TASS,state_media\n")
    out = tmp_path / "ws"
    assert run(["worksheet", str(tmp_path / "s"), "--out", str(out), "--story", "largest"]) == 0
    sheet, key = pages(out)
    assert "Article C" in sheet and "Article D" not in sheet
    assert "Brelmark" in sheet and "Quillon" not in sheet
    result = analyze(tmp_path / "s", keep_texts=None, keep_rows=None)
    quillon = result.story_of["d.txt"]
    assert result.story_of["e.txt"] == quillon and result.story_of["a.txt"] != quillon
    choice = choose_articles(result, story=quillon)
    assert sorted(choice.ids) == ["d.txt", "e.txt"]
    assert run(["worksheet", str(tmp_path / "s"), "--out", str(tmp_path / "x"), "--story", "s99"]) == 2
    assert "no story 's99'" in capsys.readouterr().err
    with pytest.raises(InputError, match="needs two or more"):
        alone = analyze(tmp_path / "s", keep_texts=None, keep_rows=None, story_window=0, story_threshold=1.0)
        choose_articles(alone, story=alone.story_of["d.txt"])
