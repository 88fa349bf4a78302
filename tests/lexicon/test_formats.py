"""Lexicon formats and conversion: LIWC .dic (2007 and 2015), LIWC-22 .dicx, CSV, the writers and `convert`."""

from __future__ import annotations

import argparse
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.cli.common import Parser
from framing.cli.convert import add_convert
from framing.errors import FramingError, InputError
from framing.lexicon import builtin_lexicon_paths, load_lexicon, parse_term
from framing.lexicon.formats import LEXICON_SUFFIXES, READERS, parse_lexicon
from framing.lexicon.model import Category, Lexicon, Negation, Term
from framing.lexicon.writers import WRITER_SUFFIXES, WRITERS, to_yaml, write_lexicon_text

from ..conftest import ROOT
from ..house.test_layout import top_level_imports


def term(text: str, weight: float = 1.0) -> Term:
    words, wild, problems = parse_term(text)
    assert not problems
    return Term(text=text, words=words, wildcard=wild, weight=weight)


def full_lexicon() -> Lexicon:
    """Weights, phrases, wildcards, nesting two deep, exclusions, negation rules, labels, extra keys."""
    cats = (
        Category("econ", "Economy & trade", "Trade, markets: money talk.",
                 (term("trade"), term("tariff*"), term("trade war", 2), term("supply chain*")),
                 exclude=(term("trade union"),), negation=None),
        Category("econ/energy", "Energy", "Oil and gas.", (term("oil"), term("gas pipeline*"), term("lng", 1.5)),
                 negation=Negation(), parent="econ"),
        Category("econ/energy/nuclear", "Nuclear power", "", (term("reactor*"),), negation=Negation(), parent="econ/energy"),
        Category("security", "Security", "War and arms; 'quoted' and #hash.", (term("war"), term("arms race")),
                 negation=Negation(cues=("not", "never*", "n't"), window=2), extra=(("referent", "x"), ("side", "yes"))),
    )
    return Lexicon(name="mini", categories=cats, role="style", version="1.0", description="A small lexicon. " * 8,
                   citation="Us: 2026", language="en", negation=Negation())


def parse(text: str, suffix: str, stem: str = "mini") -> Lexicon:
    lex, problems = parse_lexicon(text, suffix=suffix, path=f"x{suffix}", stem=stem)
    errors = [str(p) for p in problems if p.severity == "error"]
    assert not errors and lex is not None
    return lex


def problems_of(text: str, suffix: str) -> list[str]:
    return [str(p) for p in parse_lexicon(text, suffix=suffix, path=f"x{suffix}")[1]]


def terms(lex: Lexicon, *, weights: bool = True) -> dict[str, list[tuple]]:
    return {c.id: [(t.text, t.words, t.wildcard, t.weight if weights else 1.0) for t in c.terms] for c in lex.categories}


def shape(lex: Lexicon) -> list[tuple[str, str]]:
    return [(c.id, c.parent) for c in lex.categories]


# --- LIWC .dic --------------------------------------------------------------


def test_dic_2007_style_with_codes_comments_and_leading_zeros():
    dic = (
        "# made by hand\n%\n01\tpronoun\n02\tfunct\n125\taffect\n131\tcertain\n464\tfiller\n%\n"
        "// entries\ni\t01 02\n"
        "kind\t<of>131/125\n"
        "like\t(01 02)125/464\t(01 02)125\n"
        "#tbt\t125\n"
    )
    lex, problems = parse_lexicon(dic, suffix=".dic", path="l.dic")
    assert terms(lex, weights=False) == {
        "pronoun": [("i", ("i",), (False,), 1.0)],
        "funct": [("i", ("i",), (False,), 1.0)],
        "affect": [("kind", ("kind",), (False,), 1.0), ("#tbt", ("tbt",), (False,), 1.0)],
        "certain": [("kind of", ("kind", "of"), (False, False), 1.0)],
        "filler": [("like", ("like",), (False,), 1.0)],
    }
    messages = [str(p) for p in problems]
    assert messages[0] == ('l.dic:11: warning: "kind" <of>131/125: read as the phrase "kind of" in 131 and "kind" '
                           'in 125; "kind" before "of" counts in 125 too')
    assert messages[1] == ('l.dic:12: warning: "like" (01 02)125/464: the category depends on the word before it, '
                           "which framing cannot express; read as 464, its category otherwise")
    assert messages[2].startswith('l.dic:12: warning: "like" (01 02)125:') and messages[2].endswith("; ignored")
    assert messages[3].startswith("l.dic:13: warning: term \"#tbt\" contains punctuation")
    assert len(messages) == 4


def test_dic_2015_style_hierarchy_labels_phrases_and_padding():
    dic = (
        "\ufeff%\r\n1\tfunction\t(Function Words)\r\n\t2\tpronoun (Pronouns)\r\n\t\t3\tppron\r\n"
        "4   affect\r\n\t5\tposemo\r\n%\r\n"
        "i\t1\t2\t3 \r\n"        # a LIWC parent lists its children's words too
        "it\t1\t2\r\n"
        "the\t1\r\n"
        "kind of\t1 \r\n"        # a phrase, space after the id
        "happ*  \t  4   5\r\n"   # spaces around a tab
        "a lot 4 5\r\n"          # no tab at all: the ids at the end
        "\r\n"
    )
    lex = parse(dic, ".dic")
    assert shape(lex) == [("function", ""), ("function/pronoun", "function"),
                          ("function/pronoun/ppron", "function/pronoun"), ("affect", ""), ("affect/posemo", "affect")]
    assert [c.label for c in lex.categories] == ["Function Words", "Pronouns", "ppron", "affect", "posemo"]
    # Each term is kept in the deepest category listing it; framing rolls it up into the parents.
    assert {c.id: [t.text for t in c.terms] for c in lex.categories} == {
        "function": ["the", "kind of"], "function/pronoun": ["it"], "function/pronoun/ppron": ["i"],
        "affect": [], "affect/posemo": ["happ*", "a lot"],
    }
    assert not lex.warnings  # a parent without terms of its own is not a problem


@pytest.mark.parametrize(("dic", "line", "message"), [
    ("%\n1\ta\n%\nword\t7\n", 4, 'term "word" names category id 7, which the header does not define'),
    ("%\n1\ta\n%\nword\n", 4, "entry must be 'term<TAB>category ids', got 'word'"),
    ("%\n1\ta\n%\nword\t1 two\n", 4, "entry must be 'term<TAB>category ids', got 'word\\t1 two'"),
    ("%\n1\ta\n%\n\t1\n", 4, "entry must be 'term<TAB>category ids', got '1'"),
    ("%\n1\ta\n01\tb\n%\nx\t1\n", 3, "category id 01 is defined twice (first on line 2)"),
    ("%\nx\ta\n%\n", 2, "category line must be 'id<TAB>name', got 'x\\ta'"),
    ("%\n1\ta\nx\t1\n", 3, "the category block is not closed by a line holding only '%'"),
    ("1\ta\n%\n", 1, "a .dic file starts with a line holding only '%', then one 'id<TAB>name' line per category "
                    "and another '%'; line 1 is '1\\ta'"),
    ("%\n1\ta\n%\nsanc*ions\t7\n", 4, 'term "sanc*ions" names category id 7, which the header does not define'),
])
def test_dic_errors_name_their_line(dic, line, message):
    assert f"x.dic:{line}: error: {message}" in problems_of(dic, ".dic")


# --- LIWC-22 .dicx ----------------------------------------------------------


def test_dicx_marks_weights_paths_bom_and_crlf():
    dicx = "\ufeffDicTerm,Pos Emo,pos emo/Joy,neg,\r\nhappy,X,x,,\r\njoy*,X,X,,\r\nsad,,,,\r\n\"kind of\",,,2.5,\r\n,,,,\r\n"
    lex = parse(dicx, ".dicx")
    assert shape(lex) == [("pos_emo", ""), ("pos_emo/joy", "pos_emo"), ("neg", "")]
    assert terms(lex) == {
        "pos_emo": [],  # its column repeats its child's entries; framing rolls the child up itself
        "pos_emo/joy": [("happy", ("happy",), (False,), 1.0), ("joy*", ("joy",), (True,), 1.0)],
        "neg": [("kind of", ("kind", "of"), (False, False), 2.5)],
    }
    assert lex.categories[0].label == "Pos Emo" and lex.categories[1].label == "Joy"
    assert lex.warnings == ('x.dicx:4: warning: "sad" is marked in no column; it is in no category',)


@pytest.mark.parametrize(("dicx", "message"), [
    ("DicTerm,a\nwar,heavy\n", "x.dicx:2: error: weight of \"war\" in a must be a finite number, got 'heavy'"),
    ("DicTerm,a\nwar,inf\n", "x.dicx:2: error: weight of \"war\" in a must be a finite number, got 'inf'"),
    ("DicTerm,a\nwar,X,X\n", 'x.dicx:2: error: "war" is marked in column 3, which has no category name in the header'),
    ("DicTerm,a\n,X\n", "x.dicx:2: error: row has marks but no entry in its first cell"),
    ("DicTerm,a,A\nwar,X,\n", "x.dicx:1: warning: column 3 repeats category 'A' of column 2; its marks count in that category"),
    ("DicTerm,!!\nwar,X\n", "x.dicx:1: error: column 2: category '!!' has no letters or digits"),
    ("war\n", "x.dicx:1: error: a .dicx file starts with a header row: DicTerm,<category>,<category>...; "
               "the first line, 'war', has no category column"),
])
def test_dicx_errors_name_their_line(dicx, message):
    assert message in problems_of(dicx, ".dicx")


def test_dicx_is_a_lexicon_suffix():
    assert ".dicx" in LEXICON_SUFFIXES and set(WRITER_SUFFIXES) == set(LEXICON_SUFFIXES)


# --- CSV --------------------------------------------------------------------


def test_csv_kind_column_and_paths():
    text = "category,term,weight,kind\nEcon/Energy,oil,,\necon,trade,2,term\necon,trade union,,EXCLUDE\n"
    lex = parse(text, ".csv")
    assert shape(lex) == [("econ", ""), ("econ/energy", "econ")]  # the parent is made before its first child
    assert [c.label for c in lex.categories] == ["econ", "energy"]  # CSV labels are ids
    econ = lex.category("econ")
    assert [(t.text, t.weight) for t in econ.terms] == [("trade", 2.0)]
    assert [t.text for t in econ.exclude] == ["trade union"]


def test_csv_bad_kind_and_weighted_exclusion():
    problems = problems_of("category,term,weight,kind\na,x,,maybe\na,y,3,exclude\na,z,,\n", ".csv")
    assert "x.csv:2: error: kind 'maybe' is not one of term, exclude (empty means term)" in problems
    assert 'x.csv:3: warning: weight of exclusion "y" in a is ignored: exclusions do not count' in problems


# --- writers: round trips ---------------------------------------------------


@pytest.mark.parametrize("suffix", [".dic", ".dicx", ".csv"])
def test_round_trip_keeps_what_each_format_holds(suffix):
    original = full_lexicon()
    text, _ = write_lexicon_text(original, suffix)
    back = parse(text, suffix)
    assert back.name == "mini" and back.warnings == ()
    assert shape(back) == shape(original)
    assert terms(back, weights=suffix != ".dic") == terms(original, weights=suffix != ".dic")
    labels = {c.id: c.label for c in back.categories}
    if suffix == ".dic":
        assert labels == {c.id: c.label for c in original.categories}
    else:
        assert labels == {"econ": "econ", "econ/energy": "energy", "econ/energy/nuclear": "nuclear",
                          "security": "security"}
    excluded = {c.id: [t.words for t in c.exclude] for c in back.categories if c.exclude}
    assert excluded == ({"econ": [("trade", "union")]} if suffix == ".csv" else {})
    assert all(c.negation is None and c.extra == () and c.description == "" for c in back.categories)
    # Writing what was read gives the same text again.
    assert write_lexicon_text(back, suffix)[0] == text


def test_dic_and_dicx_list_a_childs_terms_under_its_parents_for_liwc():
    dic = write_lexicon_text(full_lexicon(), ".dic")[0]
    assert dic.splitlines()[:6] == ["%", "1\tecon\t(Economy & trade)", "\t2\tenergy\t(Energy)",
                                    "\t\t3\tnuclear\t(Nuclear power)", "4\tsecurity\t(Security)", "%"]
    assert "reactor*\t1\t2\t3" in dic.splitlines() and "trade war\t1" in dic.splitlines()
    dicx = write_lexicon_text(full_lexicon(), ".dicx")[0].splitlines()
    assert dicx[0] == "DicTerm,econ,econ/energy,econ/energy/nuclear,security"
    assert "trade war,2,,," in dicx and "lng,1.5,1.5,," in dicx and "reactor*,1,1,1," in dicx


def test_yaml_writer_structure_without_the_reader():
    data = yaml.safe_load(to_yaml(full_lexicon()))
    assert {k: data[k] for k in ("name", "role", "version", "citation", "language", "negation")} == {
        "name": "mini", "role": "style", "version": "1.0", "citation": "Us: 2026", "language": "en", "negation": True}
    assert data["description"] == full_lexicon().description
    econ = data["categories"]["econ"]
    assert econ["label"] == "Economy & trade" and econ["negation"] is False and econ["exclude"] == ["trade union"]
    assert econ["terms"] == ["trade", "tariff*", {"term": "trade war", "weight": 2}, "supply chain*"]
    energy = econ["categories"]["energy"]
    assert energy["negation"] is True and energy["terms"][2] == {"term": "lng", "weight": 1.5}
    # energy's rule is the lexicon's but not its parent's, so it is written out; nuclear's is both, so it is not.
    assert energy["categories"]["nuclear"] == {"label": "Nuclear power", "terms": ["reactor*"]}
    sec = data["categories"]["security"]
    assert sec["negation"] == {"cues": ["not", "never*", "n't"], "window": 2}
    assert sec["referent"] == "x" and sec["side"] == "yes" and sec["description"] == "War and arms; 'quoted' and #hash."


def test_yaml_scalars_survive_yaml():
    tricky = ["yes", "1.0", "null", "a: b", "x #y", "*star", "it's", "line\nbreak", "tab\there", "Économie", "\u2028",
              "[list]", "{map}", "- dash", "trailing ", "  lead", "@at", "%pct", "'q'", '"dq"', "a  b c " * 20]
    lex = Lexicon(name="t", categories=(Category("c", "C", "", tuple(term(f"w{i}") for i in range(2)),
                                                 extra=tuple((f"k{i}", v) for i, v in enumerate(tricky))),),
                  description=tricky[-1], citation="x" * 200)
    data = yaml.safe_load(to_yaml(lex))
    assert [data["categories"]["c"][f"k{i}"] for i in range(len(tricky))] == tricky
    assert data["description"] == tricky[-1] and data["citation"] == "x" * 200


def test_yaml_round_trip_of_what_the_reader_reads_today():
    flat = Lexicon(name="mini", categories=tuple(
        Category(c.id, c.label, c.description, c.terms) for c in full_lexicon().categories if not c.parent),
        role="style", version="1.0", description=("One line. " * 12).strip(), citation="Us: 2026")
    text = to_yaml(flat)
    assert "description: >-\n  One line." in text  # long prose is folded
    back = parse(text, ".yaml")
    assert terms(back) == terms(flat)
    assert [(c.id, c.label, c.description) for c in back.categories] == [
        (c.id, c.label, c.description) for c in flat.categories]
    assert (back.name, back.role, back.version, back.description, back.citation) == (
        "mini", "style", "1.0", flat.description, "Us: 2026")


def test_yaml_round_trip_keeps_everything():
    original = full_lexicon()
    back = parse(to_yaml(original), ".yaml")
    assert shape(back) == shape(original)
    assert terms(back) == terms(original)
    for a, b in zip(original.categories, back.categories):
        assert (b.label, b.description, b.negation, b.extra) == (a.label, a.description, a.negation, a.extra)
        assert [t.words for t in b.exclude] == [t.words for t in a.exclude]
    assert (back.language, back.negation) == ("en", Negation())


# --- writers: what is dropped ------------------------------------------------


def test_each_format_names_what_it_drops():
    lex = full_lexicon()
    assert write_lexicon_text(lex, ".yaml")[1] == [] and write_lexicon_text(lex, ".YML")[1] == []
    dic = write_lexicon_text(lex, ".dic")[1]
    assert dic == [
        ".dic has no metadata: role (style), version, description, citation, language not written "
        "(the name will be the file's name)",
        ".dic has no descriptions: 3 category descriptions not written",
        ".dic has no weights: 2 weighted terms written unweighted",
        ".dic has no exclusions: 1 exclusion of 1 category not written, so those categories will also count "
        "matches inside the excluded phrases",
        ".dic has no negation rule: negation is off when the file is read (3 categories had one)",
        ".dic has no other keys: referent, side of 1 category not written",
    ]
    dicx = write_lexicon_text(lex, ".dicx")[1]
    assert ".dicx has no labels: 4 category labels not written (ids are kept)" in dicx
    assert not any("weights" in m for m in dicx)
    csv_ = write_lexicon_text(lex, ".csv")[1]
    assert not any("exclusions" in m or "weights" in m for m in csv_)
    assert "CSV has no labels: 4 category labels not written (ids are kept)" in csv_


def test_unknown_target_format_lists_the_choices():
    with pytest.raises(InputError, match=r"use one of \.yaml, \.yml, \.dic, \.dicx, \.csv, \.cat, \.lc3, \.ykd, "
                       r"\.txt, \.json$"):
        write_lexicon_text(full_lexicon(), ".docx")


def test_output_is_deterministic():
    for suffix in WRITER_SUFFIXES:
        assert write_lexicon_text(full_lexicon(), suffix) == write_lexicon_text(full_lexicon(), suffix)


def test_readers_and_writers_import_no_yaml_at_module_level():
    lexicon = ROOT / "framing" / "lexicon"
    paths = [*(lexicon / "formats").glob("*.py"), *(lexicon / "writers").glob("*.py")]
    assert len(paths) > 2
    for path in paths:
        imports = top_level_imports(path)
        assert not any(name == "yaml" or name.startswith("yaml.") for name in imports), path


def test_each_format_is_registered_once():
    """The suffix tables are the one place a format is registered; the suffix lists follow them."""
    assert LEXICON_SUFFIXES == tuple(READERS) and WRITER_SUFFIXES == tuple(WRITERS)
    assert set(WRITER_SUFFIXES) <= set(LEXICON_SUFFIXES)  # what framing writes, it reads back


# --- the built-in lexicons --------------------------------------------------


@pytest.mark.parametrize("suffix", [".dic", ".dicx", ".csv", ".yaml"])
def test_frames_converts_to_each_format_and_back(tmp_path, suffix):
    frames = next(p for p in builtin_lexicon_paths() if p.name == "frames.yaml")
    original = load_lexicon(frames)
    text, _ = write_lexicon_text(original, suffix)
    (tmp_path / f"frames{suffix}").write_text(text, encoding="utf-8")
    back = load_lexicon(tmp_path / f"frames{suffix}")
    assert back.name == "frames" and back.n_entries == original.n_entries == 764
    if suffix == ".yaml":
        assert (back.description, back.citation) == (original.description, original.citation)
        assert [(c.label, c.description) for c in back.categories] == [
            (c.label, c.description) for c in original.categories]
    assert terms(back, weights=suffix != ".dic") == terms(original, weights=suffix != ".dic")


# --- framing lexicon convert ------------------------------------------------


def run(argv: list[str]) -> int:
    """``framing lexicon ...`` with only the convert action, errors handled as ``framing.cli.main`` does."""
    parser = Parser(prog="framing lexicon")
    lsub = parser.add_subparsers(dest="lexicon_command", parser_class=Parser)
    add_convert(lsub)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args, argv))
    except FramingError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2


def test_add_convert_adds_the_action():
    parser = argparse.ArgumentParser()
    add_convert(parser.add_subparsers(dest="action"))
    args = parser.parse_args(["convert", "a.yaml", "b.dic"])
    assert (args.source, args.target) == ("a.yaml", "b.dic") and callable(args.handler)


def test_convert_writes_the_file_and_names_what_was_dropped(write, tmp_path, capsys):
    src = write("in.csv", "category,term,weight\nwar,war,2\nwar,war,\npeace,truce,\n")
    assert run(["convert", str(src), str(tmp_path / "out.dic")]) == 0
    out, err = capsys.readouterr()
    assert out == f"wrote {tmp_path / 'out.dic'} (2 categories, 2 terms)\n"
    assert err.splitlines() == [
        f'{src}:3: warning: duplicate term "war" in war (first on line 2); counted once',
        "warning: .dic has no weights: 1 weighted term written unweighted",
    ]
    assert (tmp_path / "out.dic").read_text(encoding="utf-8") == "%\n1\twar\n2\tpeace\n%\nwar\t1\ntruce\t2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.dic"]  # no temporary file left
    assert run(["convert", str(tmp_path / "out.dic"), str(tmp_path / "back.csv")]) == 0
    assert (tmp_path / "back.csv").read_text() == "category,term,weight\nwar,war,\npeace,truce,\n"


@pytest.mark.parametrize(("args", "message"), [
    (["in.yaml", "out.docx"], "error: {t}/out.docx has extension '.docx'; the format is taken from it: "
                              "use one of .yaml, .yml, .dic, .dicx, .csv, .cat, .lc3, .ykd, .txt, .json"),
    (["in.yaml", "in.yaml"], "error: {t}/in.yaml is the input file itself; write the converted lexicon to another file"),
    (["in.yaml", "missing/out.csv"], "error: cannot write {t}/missing/out.csv: No such file or directory"),
    (["bad.yaml", "out.csv"], 'error: {t}/bad.yaml:4: error: weight of "a" in a must be a finite number, got \'x\''),
    (["nope.dic", "out.csv"], "error: {t}/nope.dic: error: cannot read: No such file or directory"),
])
def test_convert_errors_are_one_line(write, tmp_path, capsys, args, message):
    write("in.yaml", "name: x\ncategories:\n  a:\n    terms: [war]\n")
    write("bad.yaml", "name: x\ncategories:\n  a:\n    terms: [{term: a, weight: x}]\n")
    assert run(["convert", *(str(tmp_path / a) for a in args)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == message.format(t=tmp_path) + "\n"
    assert not (tmp_path / "out.csv").exists()


def test_convert_replaces_an_existing_target(write, tmp_path, capsys):
    src = write("in.yaml", "name: x\ncategories:\n  a:\n    label: A\n    terms: [war]\n")
    target = write("out.yaml", "old")
    assert run(["convert", str(src), str(target)]) == 0
    assert target.read_text() == "name: x\nrole: dimensions\ncategories:\n  a:\n    label: A\n    terms:\n      - war\n"
    assert capsys.readouterr().err == ""


# --- any bytes in -----------------------------------------------------------


def test_a_label_with_a_line_breaking_character_is_not_written_into_a_dic_header():
    # Found by the fuzz test below: a .dicx category labelled "\x01\x0b0" was written as "1<TAB>0<TAB>(\x01\x0b0)",
    # and reading the .dic again broke that line at the vertical tab.
    lexicon = Lexicon(name="x", categories=(Category("a", "one\x0btwo\u2028three", "", (term("word"),)),))
    back = parse(write_lexicon_text(lexicon, ".dic")[0], ".dic")
    assert [[t.words for t in c.terms] for c in back.categories] == [[("word",)]]


@pytest.mark.parametrize("suffix", [".dic", ".dicx"])
@given(data=st.one_of(st.binary(max_size=300), st.text(alphabet="%\t\n\r 0123x(<>)/,*#Xab", max_size=300).map(str.encode)))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_give_a_lexicon_or_errors(tmp_path_factory, suffix, data):
    path = tmp_path_factory.mktemp("fuzz") / f"x{suffix}"
    path.write_bytes(data)
    try:
        lexicon = load_lexicon(path)
    except FramingError:
        return
    assert all(t.words for c in lexicon.categories for t in c.terms)
    # Whatever was read can be written and read again, with the same terms.
    for target in (".dic", ".dicx", ".csv") if lexicon.n_entries else (".dic", ".dicx"):  # CSV lists terms
        back = parse(write_lexicon_text(lexicon, target)[0], target)
        assert [[t.words for t in c.terms] for c in back.categories if c.terms] == [
            [t.words for t in c.terms] for c in lexicon.categories if c.terms]


@pytest.mark.parametrize("suffix", [".yaml", ".csv", ".dic", ".dicx"])
@given(text=st.text(alphabet="%\t\n 01x(<>)/,*#X:-[]{}~'\"", max_size=200))
@settings(max_examples=200, deadline=None)
def test_every_problem_of_any_text_has_a_line_in_the_file(suffix, text):
    """``file:line: severity: message`` for every problem, so an editor can jump to each one."""
    last = text.count("\n") + 1
    for problem in parse_lexicon(text, suffix=suffix, path=f"x{suffix}")[1]:
        assert 1 <= problem.line <= last + 1, (text, str(problem))


@pytest.mark.parametrize(("text", "suffix", "line"), [
    ("%\n1\tEcon@\n2\tECON\n%\ntrade\t1\nmarket\t2\n", ".dic", 3),
    ("DicTerm,Econ@,ECON\ntrade,X,\nmarket,,X\n", ".dicx", 1),
    ("category,term\nEcon@,trade\nECON,market\n", ".csv", 3),
])
def test_names_that_make_one_id_stay_two_categories(text, suffix, line):
    # The General Inquirer's "Econ@" and "ECON" are different categories; both make the id "econ".
    lex = parse(text, suffix)
    assert {c.id: [t.text for t in c.terms] for c in lex.categories} == {"econ": ["trade"], "econ_2": ["market"]}
    assert [c.label for c in lex.categories][1] in ("ECON", "econ_2")
    (warning,) = lex.warnings
    assert warning.startswith(f"x{suffix}:{line}: warning: categories ") and warning.endswith("is econ_2")
