"""CSV lexicons as researchers bring them (long and wide), lexicon encodings, and a .dic without its header.

The files are small texts written here in the published layouts, never the
published files themselves.
"""

from __future__ import annotations

import pytest

from framing import CsvColumns, analyze, load_lexicon
from framing.errors import InputError, LexiconError
from framing.lexicon import inspect_lexicon, load_lexicons
from framing.lexicon.formats import parse_lexicon
from framing.lexicon.model import Lexicon

# Loughran-McDonald's master dictionary: a category cell is the year the word was added, 0, or minus the year
# it was removed; other columns are not categories.
LM = (
    "Word,Seq_num,Word Count,Negative,Positive,Uncertainty,Syllables,Source\n"
    "ABANDON,1,3500,2009,0,0,3,12of12inf\n"
    "ABLE,2,90000,0,2009,0,2,12of12inf\n"
    "MAYBE,3,100,0,0,2012,2,12of12inf\n"
    "BOOST,4,700,0,-2020,0,1,12of12inf\n"
)
LM_CATEGORIES = CsvColumns(categories=("Negative", "Positive", "Uncertainty"))

# The General Inquirer spreadsheet: a cell holds the category's name or nothing; senses are numbered.
GI = (
    "Entry,Source,Positiv,Negativ,Econ@,ECON,Othtags,Defined\n"
    "ABANDON,H4Lvd,,Negativ,,,SUPV,\n"
    "ABOUND,H4,Positiv,,,,SUPV,\n"
    "ACCOUNT#1,H4Lvd,,,Econ@,ECON,Noun,| 40% noun: a bill\n"
    "ACCOUNT#2,H4Lvd,,,Econ@,,SUPV,| 35% verb: to explain\n"
    "ACCOUNT#3,H4Lvd,Positiv,,,,Noun,| 25%\n"
)
GI_CATEGORIES = CsvColumns(categories=("Positiv", "Negativ", "Econ@", "ECON"))


def read(text: str, columns: CsvColumns | None = None) -> tuple[Lexicon | None, list[str]]:
    lexicon, problems = parse_lexicon(text, suffix=".csv", path="x.csv", stem="x", csv_columns=columns)
    return lexicon, [str(p) for p in problems]


def members(lexicon: Lexicon | None) -> dict[str, list[tuple[str, float]]]:
    assert lexicon is not None
    return {c.id: [(t.text, t.weight) for t in c.terms] for c in lexicon.categories}


def errors(problems: list[str]) -> list[str]:
    return [p for p in problems if ": error: " in p]


# --- wide ---------------------------------------------------------------------


def test_loughran_mcdonald_wide_years_are_members_zero_and_removed_are_not():
    lexicon, problems = read(LM, LM_CATEGORIES)
    assert not errors(problems)
    assert members(lexicon) == {"negative": [("ABANDON", 1.0)], "positive": [("ABLE", 1.0)],
                                "uncertainty": [("MAYBE", 1.0)]}  # BOOST was removed from positive (-2020)
    assert [c.label for c in lexicon.categories] == ["Negative", "Positive", "Uncertainty"]


def test_loughran_mcdonald_without_options_is_an_error_that_lists_the_header_and_the_options():
    lexicon, problems = read(LM)
    assert lexicon is not None and not lexicon.categories
    assert problems == [
        "x.csv:1: error: cannot tell which columns hold the terms and the categories from the header "
        "'Word,Seq_num,Word Count,Negative,Positive,Uncertainty,Syllables,Source': a long CSV lexicon (one row per "
        "term and category) names them term (or word, entry, token, pattern) and category (or categories, class, "
        "label, emotion, sentiment); name them with csv_columns.term=COLUMN and csv_columns.category=COLUMN, or "
        "give csv_columns.layout=wide for a file with one column per category"]


def test_wide_without_categories_takes_every_other_column():
    text = "Word,Negative,Positive\nbad,2009,0\ngood,0,x\nmeh,no,false\n"
    assert members(read(text, CsvColumns(layout="wide"))[0]) == {"negative": [("bad", 1.0)],
                                                                  "positive": [("good", 1.0)]}


def test_general_inquirer_sense_markers_removed_with_one_warning_and_senses_counted_once():
    lexicon, problems = read(GI, GI_CATEGORIES)
    assert not errors(problems)
    assert members(lexicon) == {
        "positiv": [("ABOUND", 1.0), ("ACCOUNT", 1.0)],
        "negativ": [("ABANDON", 1.0)],
        "econ": [("ACCOUNT", 1.0)],  # ACCOUNT#1 and ACCOUNT#2: one term
        "econ_2": [("ACCOUNT", 1.0)],
    }
    assert [c.label for c in lexicon.categories] == ["Positiv", "Negativ", "Econ@", "ECON"]
    senses = [p for p in problems if "sense marker" in p]
    assert senses == ['x.csv:4: warning: 3 terms carry a sense marker such as "ACCOUNT#1" (#1, #2 ...: the senses of '
                      "a word in the General Inquirer); the markers are removed, since a text does not mark senses; "
                      "1 repeated senses of a term in one category counted once"]
    assert "x.csv:1: warning: categories 'Econ@' (line 1) and 'ECON' both make the id econ; 'ECON' is econ_2" in problems
    assert not [p for p in problems if "duplicate term" in p]


def test_senses_of_a_term_in_two_categories_that_make_one_id_count_in_both():
    # Econ@ and ECON are two categories (econ, econ_2): ACCOUNT#2 in ECON is not a repeat of ACCOUNT#1 in Econ@.
    lexicon, problems = read("term,category\nACCOUNT#1,Econ@\nACCOUNT#2,ECON\n")
    assert not errors(problems)
    assert members(lexicon) == {"econ": [("ACCOUNT", 1.0)], "econ_2": [("ACCOUNT", 1.0)]}


def test_skipping_the_columns_that_are_not_categories_reads_the_same_as_naming_the_categories():
    skipped, problems = read(GI, CsvColumns(skip=("Source", "othtags", "Defined")))
    assert not errors(problems)
    assert members(skipped) == members(read(GI, GI_CATEGORIES)[0])
    _, problems = read(GI, CsvColumns(skip=("Source", "Notes")))
    assert any("csv_columns.skip=Notes: the header has no column of that name" in p for p in problems)
    with pytest.raises(InputError, match="csv_columns.skip cannot go with csv_columns.categories"):
        CsvColumns(skip=("Source",), categories=("Positiv",))


def test_wide_weights_from_cells():
    text = "term,anger,joy\nrage,0.9,0\nglee,,0.75\nmeh,0,\n"
    lexicon, problems = read(text, CsvColumns(weights_from_cells=True))
    assert not errors(problems)
    assert members(lexicon) == {"anger": [("rage", 0.9)], "joy": [("glee", 0.75)]}


@pytest.mark.parametrize(("text", "columns", "message"), [
    ("Word,Negative\nbad,2009\n", CsvColumns(categories=("Negativ",)),
     "x.csv:1: error: csv_columns.categories=Negativ: the header has no column of that name; the header is "
     "'Word,Negative'"),
    ("Word,Negative\nbad,2009\n", CsvColumns(term="Wort", layout="wide"),
     "x.csv:1: error: csv_columns.term=Wort: the header has no column of that name; the header is 'Word,Negative'"),
    ("Word,Negative\nbad,2009\n,2009\n", CsvColumns(layout="wide"),
     "x.csv:3: error: row has no term in column 1 (Word), but is marked in negative"),
    ("Word,Negative\nbad,x\n", CsvColumns(categories=("Word",)),
     "x.csv:1: error: column Word holds the terms; it cannot also be a category"),
    ("Word\nbad\n", CsvColumns(layout="wide"),
     "x.csv:1: error: the header 'Word' has no category column besides the terms' (Word): a wide CSV lexicon has "
     "one column per category"),
    ("Word,Negative\n", CsvColumns(layout="wide"),
     "x.csv:1: error: the file has a header but no terms: a wide CSV lexicon has one row per term after its header"),
    ("Word,Negative\nbad,x\n", CsvColumns(weights_from_cells=True),
     "x.csv:2: error: weight of \"bad\" in negative must be a finite number, got 'x'"),
])
def test_wide_errors_name_their_line(text, columns, message):
    assert message in read(text, columns)[1]


# --- long ---------------------------------------------------------------------


def test_word_category_long_file_is_read_without_options():
    lexicon, problems = read("word,category\nwar,conflict\npeace,harmony\nbattle*,conflict\n")
    assert problems == []
    assert members(lexicon) == {"conflict": [("war", 1.0), ("battle*", 1.0)], "harmony": [("peace", 1.0)]}


def test_word_sentiment_score_reads_the_score_as_weight():
    lexicon, problems = read("Word,Sentiment,Score\nglad,positive,2\nsad,negative,\n")
    assert problems == []
    assert members(lexicon) == {"positive": [("glad", 2.0)], "negative": [("sad", 1.0)]}


def test_long_columns_named_by_options_and_other_columns_left_with_a_warning():
    text = "Lemma,POS,Polarity,Strength\nglad,adj,positive,2\nsad,adj,negative,1.5\n"
    lexicon, problems = read(text, CsvColumns(term="lemma", category="Polarity", weight="Strength"))
    assert problems == []  # named: no warning about the columns left out
    assert members(lexicon) == {"positive": [("glad", 2.0)], "negative": [("sad", 1.5)]}
    _, found = read("word,pos,emotion\nrage,n,anger\n")
    assert found == ["x.csv:1: warning: column pos not read: terms from word, categories from emotion, every weight 1"]


def test_long_general_inquirer_markers_are_removed_too():
    lexicon, problems = read("Entry,Category\nACCOUNT#1,econ\nACCOUNT#2,econ\n")
    assert members(lexicon) == {"econ": [("ACCOUNT", 1.0)]}
    assert len([p for p in problems if "sense marker" in p]) == 1


@pytest.mark.parametrize(("text", "columns", "message"), [
    ("word,term,category\nx,y,z\n", None,
     "x.csv:1: error: the header has two term columns, word and term: name the one to read with "
     "csv_columns.term=COLUMN"),
    ("word,category\nwar\n", None,
     "x.csv:2: error: row has 1 cell; the term is in column 1 (word) and the category in column 2 (category)"),
    ("Lemma,Polarity\nglad,positive\n", CsvColumns(term="Lemma"),
     "x.csv:1: error: no category column in the header 'Lemma,Polarity': name it with csv_columns.category=COLUMN, "
     "or give csv_columns.layout=wide for a file with one column per category"),
    ("Lemma,Polarity\nglad,positive\n", CsvColumns(term="Lemma", layout="long"),
     "x.csv:1: error: no category column in the header 'Lemma,Polarity': name it with csv_columns.category=COLUMN"),
    ("word,category,score\nwar,conflict,heavy\n", None,
     "x.csv:2: error: weight of \"war\" in conflict must be a finite number, got 'heavy'"),
])
def test_long_errors_name_their_line(text, columns, message):
    assert message in read(text, columns)[1]


# --- the options ----------------------------------------------------------------


@pytest.mark.parametrize(("fields", "message"), [
    ({"layout": "tall"}, "csv_columns.layout must be one of long, wide, got 'tall'"),
    ({"layout": "long", "categories": ("a",)}, "csv_columns.categories is for csv_columns.layout=wide; it cannot go "
     "with csv_columns.layout=long"),
    ({"category": "c", "weights_from_cells": True}, "csv_columns.weights_from_cells is for csv_columns.layout=wide; "
     "it cannot go with csv_columns.category"),
    ({"layout": "wide", "weight": "w"}, "csv_columns.weight is for csv_columns.layout=long"),
    ({"categories": ()}, "csv_columns.categories must name at least one column"),
    ({"categories": "Negative"}, "csv_columns.categories must be a sequence of column names"),
    ({"categories": ("a", "a")}, "csv_columns.categories names a more than once"),
    ({"term": " "}, "csv_columns.term must be a column name"),
])
def test_contradictory_options_are_input_errors(fields, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        CsvColumns(**fields)
    assert caught.value.argument == "csv_columns"


def test_a_list_of_categories_is_kept_as_a_tuple():
    assert CsvColumns(categories=["a", "b"]).categories == ("a", "b")  # type: ignore[arg-type]


def test_options_go_through_load_inspect_and_analyze(write, tmp_path):
    path = write("lm.csv", LM)
    assert load_lexicon(path, csv_columns=LM_CATEGORIES).category("negative").terms[0].text == "ABANDON"
    assert inspect_lexicon(path, csv_columns=LM_CATEGORIES)[0] is not None
    assert load_lexicons([path, "style"], csv_columns=LM_CATEGORIES)[0].name == "lm"
    with pytest.raises(InputError, match=r"csv_columns applies to CSV lexicons \(\.csv\) only"):
        load_lexicons(["style"], csv_columns=LM_CATEGORIES)
    with pytest.raises(LexiconError, match="cannot tell which columns"):
        load_lexicon(path)
    write("corpus/a.txt", "They abandon the plan. We are able to act, maybe.")
    result = analyze(tmp_path / "corpus", lexicons=[path], csv_columns=LM_CATEGORIES)
    assert result.scores["lm.negative"].iloc[0] > 0


# --- encodings --------------------------------------------------------------------


def test_cp1252_lexicon_is_read_with_one_warning(write):
    path = write("es.csv", "category,term\nemoción,alegría\nemoción,miedo\n".encode("cp1252"))
    lexicon = load_lexicon(path)
    assert [t.text for t in lexicon.category("emoci_n").terms] == ["alegría", "miedo"]
    assert lexicon.warnings == (f"{path}:1: warning: not UTF-8; decoded as cp1252 (Windows-1252)",)


def test_utf8_with_bom_and_utf16_with_bom_read_without_warning(write):
    text = "category,term\nemotion,alegría\n"
    for name, data in (("a.csv", b"\xef\xbb\xbf" + text.encode()), ("b.csv", text.encode("utf-16"))):
        lexicon = load_lexicon(write(name, data))
        assert lexicon.warnings == () and lexicon.category("emotion").terms[0].text == "alegría"


@pytest.mark.parametrize(("data", "message"), [
    (b"category,term\nx,ok\nx,\x81bad\n", "3: error: neither UTF-8 nor cp1252 (Windows-1252): byte 0x81 means "
     "nothing in cp1252; save the lexicon as UTF-8"),
    (b"category,term\nx,o\x00k\n", "2: error: holds NUL bytes: a binary file, or UTF-16 without a byte-order mark; "
     "save the lexicon as UTF-8"),
])
def test_bytes_that_are_not_text_are_an_error_on_their_line(write, data, message):
    path = write("bad.csv", data)
    problems = [str(p) for p in inspect_lexicon(path)[1]]
    assert problems == [f"{path}:{message}"]


def test_liwc2007_translation_in_cp1252_without_header_says_the_header_is_missing(write):
    path = write("liwc_es.dic", "abandon*\t125 127\nacción\t12\n".encode("cp1252"))
    problems = [str(p) for p in inspect_lexicon(path)[1]]
    assert problems == [
        f"{path}:1: error: the category header is missing: the file starts with entries (line 1 is "
        "'abandon*\\t125 127'), but a .dic file starts with its header, a line holding only '%', one 'id<TAB>name' "
        "line per category the entries' ids refer to, and another '%'; add it (the dictionary's documentation "
        "names its categories)",
        f"{path}:1: warning: not UTF-8; decoded as cp1252 (Windows-1252)",
    ]
    with_header = "%\n12\tacci\u00f3n\n125\tneg\n127\tother\n%\n".encode("cp1252") + path.read_bytes()
    lexicon = load_lexicon(write("liwc_es2.dic", with_header))
    assert [t.text for t in lexicon.category("acci_n").terms] == ["acción"]
