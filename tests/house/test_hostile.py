"""Hostile and messy input: every problem gets one clear line, nothing leaks or mixes."""

import csv
import io
import json
import os
import threading

import pandas as pd
import pytest

from framing import Article, analyze_corpus, load_lexicon, read_corpus
from framing.cells import csv_bytes, rows_csv
from framing.cli import main
from framing.outputs import REPORT_FILES, write_report


def test_control_characters_in_file_names_stay_on_one_line(write, tmp_path, capsys):
    write("c/manifest.csv", "file,outlet,source_type\nother.txt,AP,wire\n")
    write("c/new\nline.txt", "an article")
    write("c/esc\x1b[31m.txt", "another article")
    assert main(["analyze", str(tmp_path / "c"), "--out", str(tmp_path / "o"), "--no-charts"]) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert any("new\\nline.txt" in w for w in warnings)
    assert any("esc\\x1b[31m.txt" in w for w in warnings)
    assert "\x1b" not in err


def test_malformed_manifest_rows_are_named(write, tmp_path):
    write("c/a.txt", "text a")
    write("c/b.txt", "text b")
    write("c/manifest.csv", 'file,outlet,source_type\na.txt,AP,wire,extra,cells\nb.txt,"Reuters,wire\n')
    corpus = read_corpus([tmp_path / "c"])
    joined = "\n".join(corpus.warnings)
    assert "manifest.csv:2: 2 more cells than the header has" in joined
    assert "a cell spans several lines" in joined
    assert {a.id for a in corpus.articles} == {"a.txt", "b.txt"}


def test_links_outside_loops_and_dangling(write, tmp_path):
    write("secret.txt", "outside the corpus")
    write("c/a.txt", "inside")
    os.symlink(tmp_path / "secret.txt", tmp_path / "c" / "leak.txt")
    os.symlink(tmp_path / "c", tmp_path / "c" / "loop")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "c" / "dangling.txt")
    corpus = read_corpus([tmp_path / "c"])
    assert [a.id for a in corpus.articles] == ["a.txt"]
    assert corpus.skipped == 2  # the link leading out and the dangling one; the loop is a folder
    joined = "\n".join(corpus.warnings)
    assert "leak.txt: link leads outside the corpus folder" in joined
    assert "loop: folder already read" in joined and "dangling.txt:" in joined
    assert all("outside the corpus" not in a.text for a in corpus.articles)


def test_csv_cells_survive_a_round_trip_and_formulas_are_neutralised():
    nasty = ['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tlead', '\rcr', 'quote " inside', 'new\nline', 'comma, here', 'ünï 北京', '']
    df = pd.DataFrame({"text": nasty, "n": range(len(nasty)), "x": [-1.5] * len(nasty)})
    data = csv_bytes(df).decode("utf-8")
    rows = list(csv.reader(io.StringIO(data, newline="")))
    assert rows[0] == ["text", "n", "x"]
    for original, row in zip(nasty, rows[1:]):
        expected = "'" + original if original[:1] in ("=", "+", "-", "@", "\t", "\r") else original
        assert row[0] == expected
        assert row[2] == "-1.5000"  # numbers stay numbers
    back = pd.read_csv(io.StringIO(data), keep_default_na=False)
    assert back["n"].tolist() == list(range(len(nasty)))


def test_rows_are_written_as_the_same_table_in_a_dataframe():
    # lexicon diff writes its small tables from rows, without pandas; the bytes must be csv_bytes's
    nasty = ['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tlead', '\rcr', 'quote " inside', 'new\nline', 'nul\x00here',
             'ünï 北京', '']
    x = [-1.5, float("nan"), -0.0, 0.0, 1e-9, -2.25, 123456.78901, float("nan"), 3.0, -1e-5, 7.5]
    rows = [(t, i, v, -v) for i, (t, v) in enumerate(zip(nasty, x))]
    df = pd.DataFrame(rows, columns=["=text", "n", "x", "minus"])
    assert rows_csv(["=text", "n", "x", "minus"], rows, floats=(2, 3)) == csv_bytes(df)
    assert rows_csv(["a", "b"], [], floats=(1,)) == csv_bytes(pd.DataFrame({"a": [], "b": []}).astype({"b": float}))


def _small_result(tag: str):
    lex = load_lexicon_from_text(tag)
    articles = [Article(id=f"{tag}{i}", text=f"{tag} said talks {i}", source_type="wire") for i in range(3)]
    return analyze_corpus(articles, [lex])


def load_lexicon_from_text(tag: str):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    path = folder / f"{tag}.yaml"
    path.write_text(f"name: {tag}\ncategories:\n  talk:\n    terms: [said, talks]\n", encoding="utf-8")
    return load_lexicon(path)


def test_concurrent_runs_into_one_folder_never_mix(tmp_path):
    results = {tag: _small_result(tag) for tag in ("alpha", "beta")}
    out = tmp_path / "out"
    for _ in range(5):
        threads = [
            threading.Thread(target=write_report, args=(results[tag], out), kwargs={"record": {"run": tag}, "charts": False})
            for tag in results
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        run = json.loads((out / "run.json").read_text())["run"]
        report = pd.read_csv(out / "report.csv")
        summary = pd.read_csv(out / "summary.csv")
        assert f"{run}.talk" in report.columns
        assert set(summary["lexicon"]) == {run}
        assert report["article_id"].str.startswith(run).all()
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_FILES)


def test_output_inside_a_file_or_unwritable_parent(tmp_path, capsys):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("text")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    assert main(["analyze", str(tmp_path / "c"), "--out", str(blocker / "sub"), "--no-charts", "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: cannot create output folder")


def test_utf16_without_bom_is_read_with_a_warning_and_binary_is_not(write, tmp_path):
    write("c/le.txt", "Trade talks in Genève".encode("utf-16-le"))
    write("c/be.txt", "Peace talks".encode("utf-16-be"))
    write("c/bin.txt", bytes(range(256)) * 4)
    corpus = read_corpus([tmp_path / "c"])
    texts = {a.id: a.text for a in corpus.articles}
    assert texts == {"le.txt": "Trade talks in Genève", "be.txt": "Peace talks"}
    joined = "\n".join(corpus.warnings)
    assert "le.txt: no byte-order mark; decoded as UTF-16" in joined
    assert "bin.txt: binary file" in joined


def test_metacharacter_terms_stay_literal_and_wildcard_chains_run_in_linear_time(write, tmp_path):
    from framing.analysis.match import compile_lexicons, match
    from framing.analysis.tokentable import build_token_table

    lex = load_lexicon(write("m.yaml", "name: m\ncategories:\n  a:\n    terms: ['(a|b)', '[x]', 'c++', '\\\\d+', 'e.g.', "
                                        + "'" + " ".join(["a*"] * 40) + "']\n"))
    text = "a b a|b x c++ d+ e.g. " + "aa " * 20000
    table = build_token_table([text])
    found = match(compile_lexicons([lex]), table)
    matched = {text[table.starts[s]:table.ends[e - 1]] for s, e in zip(found.start, found.end)}
    assert "a b" in matched and "a|b" in matched      # "(a|b)" is the phrase "a b"
    assert "x" in matched and "c" in matched and "d" in matched and "e.g" in matched
    # The 40-word wildcard phrase matches 20,000 // 40 times over "aa aa ...", greedily from the left.
    long_matches = [(s, e) for s, e in zip(found.start, found.end) if e - s == 40]
    assert len(long_matches) == 20000 // 40


@pytest.mark.slow
def test_a_very_large_lexicon(write, tmp_path):
    import random

    rng = random.Random(0)
    words = {"".join(rng.choice("abcdefghij") for _ in range(rng.randint(3, 9))) for _ in range(30000)}
    lines = ["name: big", "categories:"]
    for c in range(10):
        lines += [f"  c{c}:", "    terms:"]
        lines += [f"      - {w}{'*' if i % 10 == 0 else ''}" for i, w in enumerate(sorted(words)) if i % 10 == c]
    lex = load_lexicon(write("big.yaml", "\n".join(lines) + "\n"))
    assert lex.n_entries > 25000
    result = analyze_corpus([Article(id="a", text=" ".join(sorted(words)[:500]))], [lex])
    assert result.scores.filter(regex=r"^big\.c\d+$").to_numpy().sum() > 0


def test_thousands_of_tiny_files_in_deep_folders_and_stale_staging(tmp_path):
    root = tmp_path / "c"
    deep = root.joinpath(*[f"d{i}" for i in range(40)])
    deep.mkdir(parents=True)
    for i in range(1500):
        (root / f"t{i:04d}.txt").write_text(f"tiny {i}")
    (deep / "bottom.txt").write_text("at the bottom")
    out = tmp_path / "out"
    stale = out / ".framing-staging-999999999-abc"  # no such process
    stale.mkdir(parents=True)
    (stale / "report.csv").write_text("half-written")
    assert main(["analyze", str(root), "--out", str(out), "--no-charts", "--quiet"]) == 0
    report = pd.read_csv(out / "report.csv")
    assert len(report) == 1501
    assert "/".join(f"d{i}" for i in range(40)) + "/bottom.txt" in set(report["article_id"])
    assert not stale.exists()


def test_a_pipe_named_like_an_article_is_skipped_not_waited_on(write, tmp_path):
    write("c/a.txt", "a real article")
    os.mkfifo(tmp_path / "c" / "pipe.txt")  # reading it would block for ever
    corpus = read_corpus([tmp_path / "c"])
    assert [a.id for a in corpus.articles] == ["a.txt"]
    assert any("pipe.txt: not a regular file" in w for w in corpus.warnings)


def test_articles_over_the_size_limit_are_skipped_and_named(write, tmp_path):
    write("c/small.txt", "short")
    write("c/big.txt", "word " * 400)
    write("t.jsonl", json.dumps({"id": "ok", "text": "short"}) + "\n" + json.dumps({"id": "huge", "text": "x" * 5000}) + "\n")
    write("t.csv", "id,text\nok,short\nhuge," + "y" * 5000 + "\n")
    corpus = read_corpus([tmp_path / "c", tmp_path / "t.jsonl", tmp_path / "t.csv"], max_article_bytes=1000)
    assert sorted(a.id for a in corpus.articles) == ["ok", "ok#2", "small.txt"]
    assert corpus.skipped == 3
    joined = "\n".join(corpus.warnings)
    assert "big.txt: 2,000 bytes, over the 1,000 bytes limit" in joined
    assert "t.jsonl:2: line over the 1,000 bytes limit" in joined
    assert "t.csv:3: line over the 1,000 bytes limit" in joined
    assert "limit for one article (raise it: max_article_bytes= in Python, --max-article-mb on the command line);" \
        " skipped" in joined
    # The default limit reads all of them.
    assert len(read_corpus([tmp_path / "c", tmp_path / "t.jsonl", tmp_path / "t.csv"]).articles) == 6


def test_max_article_mb_on_the_command_line(write, tmp_path, capsys):
    write("c/small.txt", "short")
    write("c/big.txt", "word " * 400)
    out = tmp_path / "o"
    assert main(["analyze", str(tmp_path / "c"), "--out", str(out), "--no-charts", "--max-article-mb", "0.001"]) == 0
    assert "big.txt: 2,000 bytes, over the 1,000 bytes limit" in capsys.readouterr().err
    assert list(pd.read_csv(out / "report.csv")["article_id"]) == ["small.txt"]
    for bad in ("0", "-1", "nan", "inf", "lots"):
        try:
            status = main(["analyze", str(tmp_path / "c"), "--out", str(out), "--max-article-mb", bad])
        except SystemExit as exc:  # argparse's own refusal
            status = exc.code
        assert status == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "error:" in err and "Traceback" not in err


def test_tables_decode_line_by_line_and_accept_every_line_break(write, tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "plain"}).encode(),
        json.dumps({"id": "b", "text": "caf\u00e9"}, ensure_ascii=False).encode("cp1252"),  # one stray legacy line
        json.dumps({"id": "c", "text": "\u5317\u4eac"}, ensure_ascii=False).encode(),
    ]
    write("t.jsonl", b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n")
    write("cr.csv", b"id,text\r1,old mac line ends\r2,\"quoted\rcell\"\r")
    corpus = read_corpus([tmp_path / "t.jsonl", tmp_path / "cr.csv"])
    texts = {a.id: a.text for a in corpus.articles}
    assert texts == {"a": "plain", "b": "caf\u00e9", "c": "\u5317\u4eac", "1": "old mac line ends", "2": "quoted\ncell"}
    assert any("t.jsonl: 1 line not UTF-8 (first: line 2); decoded as cp1252" in w for w in corpus.warnings)


def test_a_table_cell_holding_nul_is_skipped(write, tmp_path):
    write("t.jsonl", json.dumps({"id": "a", "text": "fine"}) + "\n" + json.dumps({"id": "b", "text": "bin\x00ary"}) + "\n")
    corpus = read_corpus([tmp_path / "t.jsonl"])
    assert [a.id for a in corpus.articles] == ["a"]
    assert any("t.jsonl:2: text holds NUL characters" in w for w in corpus.warnings)


def test_report_html_from_the_cli_escapes_everything_from_input(write, tmp_path):
    write("c/a.txt", "Officials said <script>alert('text')</script> the talks went well.")
    write("c/<img src=x onerror=alert(1)>.txt", "An article whose file name is markup.")
    write(
        "c/manifest.csv",
        "file,outlet,source_type,title,url\n"
        'a.txt,"<b onmouseover=alert(2)>Outlet</b>",wire,"</title><script>alert(3)</script>",javascript:alert(4)\n',
    )
    out = tmp_path / "o"
    assert main(["analyze", str(tmp_path / "c"), "--out", str(out), "--no-charts", "--quiet"]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    from framing.report.html import SCRIPT

    # The one script is the page's own toggle script (allowed by its hash); none comes from input.
    assert page.count("<script") == 1 and f"<script>{SCRIPT}</script>" in page
    assert "<img src=x" not in page and "<b onmouseover" not in page
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;alert(&#x27;text&#x27;)&lt;/script&gt;" in page  # shown, as text
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in page
    assert "Content-Security-Policy" in page


def test_matches_rows_are_the_bytes_csv_writer_gives(tmp_path):
    """The pass-1 row formatter against ``csv.writer``: quotes, commas, line breaks, formulas, surrogates."""
    from framing.analysis.chunk_rows import score_chunk
    from framing.analysis.match import compile_lexicons
    from framing.cells import csv_cell, neutralize

    path = tmp_path / "odd.yaml"
    path.write_text(
        'name: odd\ncategories:\n  c1:\n    terms: [war crimes, "=sum", talks]\n'
        '  "c,2":\n    terms: [talks, "say \\"so\\""]\n',
        encoding="utf-8",
    )
    lex = compile_lexicons([load_lexicon(path)])
    articles = [
        Article(id="=1+1", text='War, crimes "talks"\nsay "so"'),
        Article(id='a "b", c\r\nd', text="war\ncrimes and talks"),
        Article(id="\ud800lone", text="Talks; war,crimes."),
        Article(id="plain", text="nothing here"),
    ]
    rows = score_chunk(articles, lex)
    for art, got, d in zip(articles, rows.matches_csv, range(len(articles))):
        led = rows.ledger
        sl = led.rows_of(d)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for i in range(sl.start, sl.stop):
            cat = lex.category_ref[int(led.category[i])]
            term = lex.terms[int(led.term[i])]
            writer.writerow([neutralize(art.id), int(led.sentence[i]), int(led.start[i]), int(led.end[i]),
                             led.text[i], cat[0], cat[1], neutralize(term.text), f"{term.weight:.4f}",
                             int(led.quoted[i]), int(led.negated[i])])
        assert got == buffer.getvalue().encode("utf-8", "backslashreplace")
    assert any(b'"' in r for r in rows.matches_csv[:2])  # the quoting path ran
    for text in ['a', 'a,b', 'say "so"', 'x\ny', 'x\ry', '', ' ']:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow([text, "z"])
        assert csv_cell(text) + ",z\r\n" == buffer.getvalue()


def test_lone_surrogates_in_ids_titles_outlets_and_texts_are_written_as_escapes(tmp_path):
    """pandas 3 keeps text in Arrow, which cannot hold a lone surrogate (a JSON "\\ud83d", a file name that is
    not UTF-8): every table, the page and the files still come out, the surrogate written as its escape."""
    from framing import analyze_corpus, load_lexicon
    from framing.outputs import write_report
    from framing.report.html import render_html

    odd = "\ud83d"
    articles = [
        Article(id=f"a{odd}", text=f"Trade and war {odd} and trade.", title=f"T{odd}", outlet=f"O{odd}",
                source_type="wire"),
        Article(id="b", text="Trade talks and sanctions.", title="B", outlet=odd, source_type="state_media"),
    ]
    result = analyze_corpus(articles, [load_lexicon("frames"), load_lexicon("labels")])
    assert set(result.scores["article_id"]) == {"a\\ud83d", "b"}
    assert "T\\ud83d" in set(result.scores["title"])
    render_html(result).decode("utf-8")  # strict
    write_report(result, tmp_path / "r", record={}, charts=False)
    report = (tmp_path / "r" / "report.csv").read_bytes()
    assert b"a\\ud83d,T\\ud83d,O\\ud83d,wire" in report
    report.decode("utf-8")  # strict: valid UTF-8
