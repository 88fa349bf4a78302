"""Every table row the reader skips is named, with its file, its line and why; every row it keeps is kept as it is.

Found trying framing as a new user would, on a few hand-written rows: a CSV
whose ragged rows (fewer cells than the header) lack their text, and a JSONL
file whose records hold unusual Unicode (NUL escapes, lone surrogates,
control characters). The Dask engine's part reader gives the same warnings
and skips (tests/corpus/test_partitions.py).
"""

from __future__ import annotations

import json

import pytest

from framing import InputError, read_corpus
from framing.cli import main

RAGGED = "id,outlet,text\na1,AP,War began.\na2,RT\na3,BBC,\na4\na5,Reuters,Peace talks resumed.\n"


def test_a_ragged_csv_row_without_its_text_cell_is_named_as_short_and_one_with_an_empty_cell_is_kept(write):
    corpus = read_corpus([write("t.csv", RAGGED)])
    assert [(a.id, a.text, a.outlet) for a in corpus.articles] == [
        ("a1", "War began.", "AP"), ("a3", "", "BBC"), ("a5", "Peace talks resumed.", "Reuters")]
    name = corpus.articles[0].source.rpartition(":")[0]
    assert corpus.warnings == [
        f"{name}:3: a short row (2 cells, the header has 3): no 'text' cell; skipped",
        f"{name}:5: a short row (1 cell, the header has 3): no 'text' cell; skipped",
    ]
    assert corpus.skipped == 2


def test_a_short_row_elsewhere_in_the_header_and_a_missing_field_of_json_keep_their_words(write):
    # Only a CSV row can be short; a JSON record without the field says so as before.
    corpus = read_corpus([write("t.csv", "text,id,outlet\nWar.,a1,AP\n,a2\nPeace.\n"),
                          write("t.jsonl", '{"id": "j1"}\n{"id": "j2", "text": "ok"}\n')])
    assert [(a.id, a.text) for a in corpus.articles] == [("a1", "War."), ("a2", ""), ("t.csv:3", "Peace."), ("j2", "ok")]
    assert [w.rpartition("/")[2] for w in corpus.warnings] == ["t.jsonl:1: no 'text' field, skipped"]


def test_a_csv_whose_rows_are_all_skipped_says_which_and_why(write):
    path = write("t.csv", "id,outlet,text\na2,RT\na4\n")
    with pytest.raises(InputError) as caught:
        read_corpus([path])
    assert str(caught.value) == (
        f"no readable articles found in {path}; 2 skipped: {path}:2: a short row (2 cells, the header has 3): "
        f"no 'text' cell; {path}:3: a short row (1 cell, the header has 3): no 'text' cell"
    )


def test_a_jsonl_whose_records_are_all_skipped_says_which_and_why(write):
    path = write("t.jsonl", '{"id": "j1", "text": "NUL \\u0000 inside"}\n{"id": "j2", "text": "\\u0000"}\n')
    with pytest.raises(InputError) as caught:
        read_corpus([path])
    assert str(caught.value) == (
        f"no readable articles found in {path}; 2 skipped: {path}:1: text holds NUL characters (binary?); "
        f"{path}:2: text holds NUL characters (binary?)"
    )


def test_a_corpus_with_nothing_skipped_and_nothing_read_says_only_that(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError) as caught:
        read_corpus([tmp_path / "empty"])
    assert str(caught.value) == f"no readable articles found in {tmp_path / 'empty'}"


def test_many_skipped_rows_name_the_first_three_and_count_the_rest(write):
    path = write("t.jsonl", "".join(json.dumps({"id": f"j{i}"}) + "\n" for i in range(7)))
    with pytest.raises(InputError) as caught:
        read_corpus([path])
    message = str(caught.value)
    assert message.startswith(f"no readable articles found in {path}; 7 skipped: {path}:1: no 'text' field; ")
    assert message.endswith(f"{path}:3: no 'text' field; and 4 more")


@pytest.mark.parametrize("name, body, why", [
    ("t.csv", "id,outlet,text\na2,RT\n", "a short row (2 cells, the header has 3): no 'text' cell"),
    ("t.jsonl", '{"id": "j1", "text": "\\u0000"}\n', "text holds NUL characters (binary?)"),
])
def test_the_command_line_names_the_skipped_rows_when_nothing_is_left(write, tmp_path, capsys, name, body, why):
    path = write(name, body)
    assert main(["analyze", str(path), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err == f"error: no readable articles found in {path}; 1 skipped: {path}:{1 + name.endswith('.csv')}: {why}\n"


UNUSUAL = [  # (line of the file, kept text or None, warning of that line or None)
    ('{"id": "nul", "text": "NUL \\u0000 inside"}', None, "text holds NUL characters (binary?), skipped"),
    ('{"id": "lone", "text": "lone \\ud800 surrogate"}', "lone \ufffd surrogate",
     "lone surrogates (not Unicode characters) replaced by U+FFFD"),
    ('{"id": "bell", "text": "bell \\u0007 esc \\u001b del \\u007f"}', "bell \x07 esc \x1b del \x7f", None),
    ('{"id": "seps", "text": "ls \\u2028 ps \\u2029 nel \\u0085 bom \\ufeff non \\uffff"}',
     "ls \u2028 ps \u2029 nel \x85 bom \ufeff non \uffff", None),
    ('{"id": "pair", "text": "pair \\ud83d\\ude00"}', "pair \U0001f600", None),
    ('{"id": "raw", "text": "raw \x07 bell"}', None,
     "invalid JSON (control character U+0007 at column 28: JSON allows it only escaped), skipped"),
    ('{"id": "rawnul", "text": "raw \x00 NUL"}', None,
     "invalid JSON (control character U+0000 at column 31: JSON allows it only escaped), skipped"),
    ('{"id": "cut", "text": "unterminated', None, "invalid JSON (Unterminated string starting at column 23), skipped"),
    ("\x0c", None, "invalid JSON (Expecting value), skipped"),  # not blank to JSON: a form feed
    ("\u2028", None, "invalid JSON (Expecting value), skipped"),
    ("\xa0\x1e", None, "invalid JSON (Expecting value), skipped"),
    (" \t", None, None),  # blank: JSON's own whitespace
    ('{"id": "last", "text": "Officials said."}', "Officials said.", None),
]


def test_jsonl_records_with_unusual_unicode_are_kept_as_they_are_or_named_once(write):
    path = write("t.jsonl", "\n".join(line for line, _, _ in UNUSUAL) + "\n")
    corpus = read_corpus([path])
    kept = {a.id: a.text for a in corpus.articles}
    assert kept == {json.loads(line)["id"]: text for line, text, _ in UNUSUAL if text is not None}
    assert corpus.warnings == [f"{path}:{n}: {why}" for n, (_, _, why) in enumerate(UNUSUAL, 1) if why]
    assert corpus.skipped == sum(1 for _, text, why in UNUSUAL if text is None and why)
