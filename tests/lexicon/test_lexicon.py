import pytest

from framing import LexiconError, check_lexicon, load_lexicon
from framing.lexicon import builtin_lexicon_paths, inspect_lexicon, parse_term, pattern_matches

YAML = """\
name: test
version: "1"
description: d
citation: c
categories:
  security:
    label: Security
    description: s
    terms:
      - war
      - {term: "sanction*", weight: 2}
      - special military operation
  econ:
    label: Economy
    description: e
    terms: [trade, "war"]
"""


def test_yaml_reader_keeps_terms_weights_and_lines(write):
    lex = load_lexicon(write("t.yaml", YAML))
    assert lex.name == "test" and lex.version == "1"
    sec = lex.categories[0]
    assert [t.text for t in sec.terms] == ["war", "sanction*", "special military operation"]
    assert sec.terms[1].weight == 2.0 and sec.terms[1].wildcard == (True,)
    assert sec.terms[2].words == ("special", "military", "operation")
    assert sec.terms[0].line == 10
    assert lex.n_entries == 5
    assert len(lex.sha256) == 64


def test_parse_term_literal_metacharacters_are_word_separators():
    assert parse_term("a.b (c|d)")[0] == ("a", "b", "c", "d")
    assert parse_term("u.s.")[0] == ("u", "s")


@pytest.mark.parametrize(("term", "words", "wild"), [
    ("sanction*", ("sanction",), (True,)),
    ("fair-*", ("fair-",), (True,)),
    ("you'*", ("you'",), (True,)),
    ("*ing", ("*ing",), (False,)),
    ("sanc*ions", ("sanc*ions",), (False,)),
    ("*anti**", ("*anti",), (True,)),
    ("anti-* regime", ("anti-", "regime"), (True, False)),
])
def test_wildcards_anywhere_in_a_word(term, words, wild):
    assert parse_term(term) == (words, wild, [])


@pytest.mark.parametrize(("pattern", "matched", "unmatched"), [
    ("fair-*", ["fair-minded", "fair-"], ["fair", "fairness"]),
    ("you'*", ["you're", "you've"], ["you", "young"]),
    ("*ing", ["framing", "ing"], ["ingot", "kings"]),
    ("sanc*ions", ["sanctions", "sancions"], ["sanction", "sanctionsx"]),
    ("*anti*", ["anti", "pro-anti-war", "semantics"], ["ant"]),
    ("a*b*a", ["aba", "abba", "a-b-a"], ["ab", "aab"]),
])
def test_pattern_matches_whole_tokens(pattern, matched, unmatched):
    (word,), (wild,), _ = parse_term(pattern)
    assert all(pattern_matches(word, wild, t) for t in matched)
    assert not any(pattern_matches(word, wild, t) for t in unmatched)


@pytest.mark.parametrize("term", ["*", "** *"])
def test_a_lone_wildcard_is_a_problem(term):
    problems = parse_term(term)[2]
    assert problems and "only" in problems[0]


def test_entries_without_letters_are_skipped_with_one_warning(write):
    path = write("p.dic", "%\n1\tpunct\n%\n!\t1\n@\t1\nhello\t1\n:)\t1\n")
    lexicon, problems = inspect_lexicon(path)
    assert lexicon is not None and [t.text for t in lexicon.categories[0].terms] == ["hello"]
    skipped = [p for p in problems if "can never match" in p.message]
    assert len(skipped) == 1 and skipped[0].severity == "warning" and skipped[0].line == 4
    assert skipped[0].message.startswith("3 entries have no letters or digits")
    assert '"!" (line 4), "@" (line 5), ":)" (line 7)' in skipped[0].message


def test_all_errors_reported_with_lines(write):
    path = write(
        "bad.yaml",
        "name: bad\ncategories:\n  a:\n    terms:\n      - ok\n      - {term: y, weight: heavy}\n"
        "      - {term: x, weight: nan}\n      - {term: z, weight: inf}\n",
    )
    problems = [p for p in check_lexicon(path) if p.severity == "error"]
    assert [p.line for p in problems] == [6, 7, 8]
    assert str(problems[0]).startswith(f"{path}:6: error:")
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert len(info.value.problems) == 3


def test_yaml_syntax_error_has_line(write):
    path = write("s.yaml", "name: x\ncategories:\n  a: [unclosed\n")
    problems = check_lexicon(path)
    assert problems[0].severity == "error" and "YAML" in problems[0].message and problems[0].line >= 3


def test_duplicate_term_is_a_warning_and_counted_once(write):
    lex = load_lexicon(write("d.yaml", "name: d\ncategories:\n  a:\n    terms: [war, War, peace]\n"))
    assert [t.text for t in lex.categories[0].terms] == ["war", "peace"]
    assert any("duplicate" in w for w in lex.warnings)


def test_liwc_dic_with_bom_crlf_and_padding(write):
    dic = "\ufeff%\r\n1\tposemo \r\n 02\tnegemo\r\n%\r\nhappy\t1\r\nsad*  \t 2\r\nkind of\t1 2\r\n"
    lex = load_lexicon(write("l.dic", dic.encode("utf-8")))
    cats = {c.id: [t.text for t in c.terms] for c in lex.categories}
    assert cats == {"posemo": ["happy", "kind of"], "negemo": ["sad*", "kind of"]}
    assert lex.name == "l"


def test_liwc_dic_unknown_category_id(write):
    problems = check_lexicon(write("u.dic", "%\n1\ta\n%\nword\t7\n"))
    errors = [p for p in problems if p.severity == "error"]
    assert errors[0].line == 4 and "7" in errors[0].message


def test_csv_lexicon(write):
    lex = load_lexicon(write("c.csv", "category,term,weight\nwar,war,\nwar,invasion,1.5\npeace,truce,1\n"))
    cats = {c.id: [(t.text, t.weight) for t in c.terms] for c in lex.categories}
    assert cats == {"war": [("war", 1.0), ("invasion", 1.5)], "peace": [("truce", 1.0)]}


def test_unknown_format(write):
    with pytest.raises(LexiconError, match="unknown lexicon format"):
        load_lexicon(write("x.docx", "war"))


def test_builtin_lexicons_load_and_have_provenance():
    for path in builtin_lexicon_paths():
        lex = load_lexicon(path)
        assert lex.description and lex.citation and lex.version
        for cat in lex.categories:
            assert cat.description, f"{path}: {cat.id} has no description"
            if lex.name != "labels":
                assert len(cat.terms) >= 25, f"{path}: {cat.id} has {len(cat.terms)} terms"
        assert not [p for p in check_lexicon(path) if p.severity == "error"]


# --- `framing lexicon check` on files of the wrong shape: every problem has a line and says what is wrong ---

YAML_SHAPE = "a YAML lexicon is a mapping with 'name' and 'categories'"
CSV_HEADER = "a CSV lexicon starts with a header with columns category,term[,weight][,kind]"
DIC_START = "a .dic file starts with a line holding only '%', then one 'id<TAB>name' line per category and another '%'"
DICX_HEADER = "a .dicx file starts with a header row: DicTerm,<category>,<category>..."

BAD_FILES = [
    # YAML: empty documents
    ("t.yaml", "", [f"1: error: the file is empty: {YAML_SHAPE}"]),
    ("t.yaml", "\n  \n", [f"1: error: the file is empty: {YAML_SHAPE}"]),
    ("t.yaml", "---\n", [f"1: error: the file is empty but for comments and '---': {YAML_SHAPE}"]),
    ("t.yaml", "# only a comment\n", [f"1: error: the file is empty but for comments and '---': {YAML_SHAPE}"]),
    # YAML: a document of the wrong shape, named by its type
    ("t.yaml", "- a\n- b\n", [f"1: error: {YAML_SHAPE}, not a list"]),
    ("t.yaml", "---\nhello\n", [f"2: error: {YAML_SHAPE}, not a string ('hello')"]),
    ("t.yaml", "~\n", [f"1: error: {YAML_SHAPE}, not null"]),
    # YAML: 'categories' missing, empty, or of the wrong type
    ("t.yaml", "name: x\n", ["1: error: missing 'categories': a mapping from category id to its terms"]),
    ("t.yaml", "name: x\ncategories: {}\n",
     ["2: error: 'categories' is empty: a lexicon needs at least one category (id: its description and terms)"]),
    ("t.yaml", "name: x\ncategories:\n",
     ["2: error: 'categories' is empty: a lexicon needs at least one category (id: its description and terms)"]),
    ("t.yaml", "name: x\ncategories: 3\n",
     ["2: error: 'categories' must be a mapping from category id to its terms, not a number (3)"]),
    ("t.yaml", "name: x\ncategories:\n  - 1\n",
     ["2: error: 'categories' must be a mapping from category id to its terms, not a list"]),
    ("t.yaml", "name: x\ncategories: war\n",
     ["2: error: 'categories' must be a mapping from category id to its terms, not a string ('war')"]),
    ("t.yaml", "name: x\ncategories:\n  a:\n    terms: [war]\n    categories: [b]\n",
     ["5: error: 'categories' of category a must be a mapping of its subcategories, not a list"]),
    # YAML: two categories with one id
    ("t.yaml", "name: x\ncategories:\n  Trade:\n    terms: [tariff]\n  trade:\n    terms: [export]\n",
     ["5: error: category trade is defined twice (first on line 3, as 'Trade')"]),
    # CSV
    ("t.csv", "", [f"1: error: the file is empty: {CSV_HEADER}"]),
    ("t.csv", "\n\n", [f"1: error: the file is empty: {CSV_HEADER}"]),
    ("t.csv", "category,term\n",
     ["1: error: the file has a header but no terms: a CSV lexicon has one row per term after its header"]),
    ("t.csv", "category,term\n\n,\n",
     ["1: error: the file has a header but no terms: a CSV lexicon has one row per term after its header"]),
    ("t.csv", "a,b\nc,d\n", ["1: error: cannot tell which columns hold the terms and the categories from the header "
                            "'a,b': a long CSV lexicon (one row per term and category) names them term (or word, "
                            "entry, token, pattern) and category (or categories, class, label, emotion, sentiment); "
                            "name them with --csv-term COLUMN and --csv-category COLUMN, or give --csv-layout wide "
                            "for a file with one column per category"]),
    # LIWC .dic
    ("t.dic", "", [f"1: error: the file is empty: {DIC_START}"]),
    ("t.dic", "# a comment\n", [f"1: error: the file is empty but for comments: {DIC_START}"]),
    ("t.dic", "war 1\n", [f"1: error: {DIC_START}; line 1 is 'war 1'"]),
    ("t.dic", "%\n%\n", ["1: error: the category block (lines 1-2) defines no categories: put one 'id<TAB>name' "
                         "line per category between the two '%' lines"]),
    # LIWC-22 .dicx
    ("t.dicx", "", [f"1: error: the file is empty: {DICX_HEADER}"]),
    ("t.dicx", "DicTerm\n", [f"1: error: {DICX_HEADER}; the first line, 'DicTerm', has no category column"]),
    ("t.dicx", "\nDicTerm,a\n", [f"1: error: {DICX_HEADER}; the first line is empty"]),
    ("t.csv", "\ncategory,term\nwar,war\n", [f"1: error: {CSV_HEADER}; the first line is empty"]),
    ("t.dicx", "DicTerm,,\n", [f"1: error: {DICX_HEADER}; the header names no category"]),
    # any format
    ("t.docx", "war\n", ["1: error: unknown lexicon format '.docx'; use one of .yaml, .yml, .dic, .dicx, .csv, "
                         ".cat, .lc3, .ykd, .txt, .json"]),
]


@pytest.mark.parametrize(("name", "text", "expected"), BAD_FILES)
def test_check_names_the_line_and_what_is_wrong(write, capsys, name, text, expected):
    from framing.cli import main

    path = write(name, text)
    assert main(["lexicon", "check", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{path}:{line}" for line in expected]
    assert err == f"error: {len(expected)} error{'s' if len(expected) > 1 else ''} in 1 lexicon file\n"


def test_a_header_only_dicx_is_a_lexicon_of_empty_categories(write, capsys):
    from framing.cli import main

    path = write("t.dicx", "DicTerm,a\n")
    assert main(["lexicon", "check", "-q", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:1: warning: category a has no terms",
        f"{path}: 1 warning: lexicon t (dimensions), 1 category, 0 terms",
    ]
