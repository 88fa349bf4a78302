import pytest

from framing import LexiconError, check_lexicon, load_lexicon
from framing.lexicon import builtin_lexicon_paths, parse_term

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


@pytest.mark.parametrize("term", ["sanc*ions", "*war", "**"])
def test_wildcard_only_at_word_end(term):
    problems = parse_term(term)[2]
    assert problems and "wildcard" in problems[0]


def test_all_errors_reported_with_lines(write):
    path = write(
        "bad.yaml",
        "name: bad\ncategories:\n  a:\n    terms:\n      - ok\n      - '!!!'\n      - {term: x, weight: nan}\n"
        "      - fo*o\n",
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
        load_lexicon(write("x.txt", "war"))


def test_builtin_lexicons_load_and_have_provenance():
    for path in builtin_lexicon_paths():
        lex = load_lexicon(path)
        assert lex.description and lex.citation and lex.version
        for cat in lex.categories:
            assert cat.description, f"{path}: {cat.id} has no description"
            if lex.name != "labels":
                assert len(cat.terms) >= 25, f"{path}: {cat.id} has {len(cat.terms)} terms"
        assert not [p for p in check_lexicon(path) if p.severity == "error"]
